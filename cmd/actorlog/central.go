package main

import (
	"fmt"
	"io"
	stdnet "net"
	"strconv"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// centralAddr is the default collector: where send ships its records
// without --config (--to changes it), and where serve's default config
// listens.
const centralAddr = "127.0.0.1:9020"

// The Socket handler's counters reach the stats through the sink contract.
var _ actors.StatsReporter = (*anet.Socket)(nil)

// central is send's default destination: a Socket handler with ack: true to
// the default collector, on the root logger.
type central struct {
	sock      *anet.Socket
	addr      string
	listening bool
}

// startCentral builds send's default engine. It first tries the collector
// (within timeout) so that, with nothing listening, send says so at once;
// the records are then still logged and counted as dropped. With a
// collector, a record waits at most timeout for room in the handler's
// mailbox.
func startCentral(addr string, timeout time.Duration, stderr io.Writer) (*engine.Engine, *central, error) {
	host, portText, err := stdnet.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--to %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return nil, nil, fmt.Errorf("--to %q: want a port from 1 to 65535", addr)
	}
	c := &central{addr: addr}
	probe, err := stdnet.DialTimeout("tcp", c.addr, min(timeout, 2*time.Second))
	if err == nil {
		_ = probe.Close()
		c.listening = true
	} else {
		fmt.Fprintf(stderr, "actorlog send: nothing is listening on %s (start `actorlog serve`): %v\n", c.addr, err)
	}
	sock, err := anet.NewSocket(anet.SocketOptions{Host: host, Port: port, Ack: true})
	if err != nil {
		return nil, nil, err
	}
	c.sock = sock
	eng := engine.New(engine.Options{ErrorOutput: stderr})
	mb := mailbox.Options{Overflow: mailbox.DropNewest} // the Socket's capacity
	if c.listening {
		mb.Overflow, mb.BlockTimeout = mailbox.Block, timeout
	}
	h, err := eng.NewHandler("central", sock, actors.HandlerOptions{Mailbox: mb})
	if err != nil {
		return nil, nil, err
	}
	root := eng.Logger("")
	root.SetLevel(record.LevelNotSet) // --level decides
	root.AddHandler(h)
	return eng, c, nil
}

// report prints how many records the collector acknowledged and reports
// whether it acknowledged all sent.
func (c *central) report(sent int64, stdout, stderr io.Writer) bool {
	s := c.sock.NetStats()
	fmt.Fprintf(stdout, "acknowledged %d by %s\n", s.Acknowledged, c.addr)
	if s.Resends > 0 {
		fmt.Fprintf(stdout, "resent %d after reconnects (the collector counts any duplicates)\n", s.Resends)
	}
	switch {
	case !c.listening || s.Connects == 0:
		fmt.Fprintf(stderr, "actorlog send: no collector on %s: nothing delivered\n", c.addr)
		return false
	case int64(s.Acknowledged) < sent:
		fmt.Fprintf(stderr, "actorlog send: %d of %d records not acknowledged\n", sent-int64(s.Acknowledged), sent)
		return false
	}
	return true
}
