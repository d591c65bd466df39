package main

import (
	"fmt"
	"io"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/receiver"
)

// startJetStream joins the consumer group of each jetstream receiver of
// cfg, feeding eng; on a failure it closes those it started and says why.
func startJetStream(cfg *config.Config, eng *engine.Engine, out, stderr io.Writer) ([]*receiver.JetStreamReceiver, bool) {
	var rs []*receiver.JetStreamReceiver
	for _, spec := range cfg.Receivers {
		o, ok := spec.Options.(*receiver.JetStreamOptions)
		if !ok {
			continue
		}
		r, err := receiver.ListenJetStream(eng, *o)
		if err != nil {
			fmt.Fprintf(stderr, "actorlog serve: %s: %v\n", spec.Path, err)
			closeJetStream(rs)
			return nil, false
		}
		fmt.Fprintf(out, "  receiving: %s\n", r.String())
		rs = append(rs, r)
	}
	return rs, true
}

// closeJetStream stops pulling and acknowledges what the handlers wrote.
func closeJetStream(rs []*receiver.JetStreamReceiver) {
	for _, r := range rs {
		_ = r.Close()
	}
}
