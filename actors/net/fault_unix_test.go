//go:build unix

package net_test

import (
	"context"
	stdnet "net"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// listenSmallWindow listens on loopback with a 4 KiB receive buffer for the
// connections it accepts, so that a peer that never reads blocks a sender
// after a few MiB rather than after the tens of MiB the kernel would grow
// the buffer to.
func listenSmallWindow(t *testing.T) stdnet.Listener {
	lc := stdnet.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// A drain's deadline reaches a write blocked on a peer that stopped
// reading: Shutdown returns by its deadline, the records are counted, and
// no goroutine is left (actors.Deadliner, actors.Interrupter).
func TestSocketShutdownBlockedWrite(t *testing.T) {
	ln := listenSmallWindow(t)
	held := acceptOne(ln)
	defer ln.Close()
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String()), WriteTimeout: time.Hour, Ack: true})
	r := newRig(t, s, actors.HandlerOptions{Mailbox: mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute}})
	big := strings.Repeat("x", 256<<10)
	for range 40 { // 10 MiB: more than the send buffer and the peer's 4 KiB hold
		r.log.Log(record.LevelInfo, big)
	}
	c := recv(t, "the connection", held)
	defer c.Close()
	start := time.Now()
	r.shutdown(300 * time.Millisecond)
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("Shutdown took %v", el)
	}
	st := r.stats()
	if st.InFlight != 0 || st.Written+st.DroppedTotal() != 40 || st.DroppedTotal() == 0 {
		t.Fatalf("stats %+v", st)
	}
	if ns := s.NetStats(); ns.Acknowledged != 0 || ns.Unacknowledged != st.Written {
		t.Fatalf("net stats %+v, handler %+v", ns, st)
	}
	goleak.VerifyNone(t)
}
