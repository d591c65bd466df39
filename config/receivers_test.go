package config

import (
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/receiver"
)

// TestReceiverTypes: every receiver type parses into receiver.Options with
// its type set, and their mistakes come with file:line.
func TestReceiverTypes(t *testing.T) {
	cfg, err := Parse([]byte(`version: 1
receivers:
  - {type: tcp, listen: "127.0.0.1:9020", key: s3cret, maxConnections: 10, ackEvery: 100}
  - {type: udp, listen: "127.0.0.1:9021", maxFrame: 65536}
  - {type: unix, listen: run/log.sock, idleTimeout: 30s}
  - {type: HTTP, listen: "127.0.0.1:8080", readTimeout: 5s}
`), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []receiver.Options{
		{Type: "tcp", Listen: "127.0.0.1:9020", Key: "s3cret", MaxConnections: 10, AckEvery: 100},
		{Type: "udp", Listen: "127.0.0.1:9021", MaxFrame: 65536},
		{Type: "unix", Listen: "run/log.sock", IdleTimeout: 30 * time.Second},
		{Type: "http", Listen: "127.0.0.1:8080", ReadTimeout: 5 * time.Second},
	}
	for i, r := range cfg.Receivers {
		o := r.Options.(*receiver.Options)
		if *o != want[i] || r.Type != want[i].Type || r.Listen != want[i].Listen {
			t.Errorf("receiver %d: %+v (%s %s), want %+v", i, *o, r.Type, r.Listen, want[i])
		}
	}
	_, err = Parse([]byte("version: 1\nreceivers:\n  - {type: http, listen: \"127.0.0.1:1\", key: k}\n  - {type: unix}\n"), "r.yaml")
	for _, w := range []string{"r.yaml:3:46: receivers[0].key: frames of an http receiver carry no tag", "r.yaml:4:5: receivers[1].listen: missing (want the socket's path)"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v, want %q", err, w)
		}
	}
}
