package net_test

import (
	"bufio"
	stdnet "net"
	"sync"
	"testing"
	"time"

	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/record"
)

// receiver is a small collector for the tests: it reads frames, decodes the
// records and, when the sender says hello, acknowledges what it read
// (batched: after each run of frames it has buffered).
type receiver struct {
	t   testing.TB
	ln  stdnet.Listener
	key *record.FrameKey
	// silent answers hellos but never acknowledges a record.
	silent bool

	mu      sync.Mutex
	recs    []record.Record
	hellos  []anet.Hello
	dupes   int
	seen    map[[anet.SessionSize]byte]uint64
	conns   map[stdnet.Conn]bool
	accepts int
	bad     []error
	changed chan struct{} // signalled after every change (buffered 1)
	wg      sync.WaitGroup
}

func listen(t testing.TB, network, addr string) stdnet.Listener {
	t.Helper()
	ln, err := stdnet.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serve starts a receiver on ln; it stops at the end of the test.
func serve(t testing.TB, ln stdnet.Listener, key *record.FrameKey) *receiver {
	return serveWith(t, ln, key, false)
}

// serveWith starts a receiver that, when silent, never acknowledges.
func serveWith(t testing.TB, ln stdnet.Listener, key *record.FrameKey, silent bool) *receiver {
	r := &receiver{t: t, ln: ln, key: key, silent: silent, seen: map[[anet.SessionSize]byte]uint64{}, conns: map[stdnet.Conn]bool{}, changed: make(chan struct{}, 1)}
	r.wg.Add(1)
	go r.accept()
	t.Cleanup(r.kill)
	return r
}

func (r *receiver) signal() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

func (r *receiver) accept() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		r.conns[c] = true
		r.accepts++
		r.mu.Unlock()
		r.signal()
		r.wg.Add(1)
		go r.read(c)
	}
}

func (r *receiver) read(c stdnet.Conn) {
	defer r.wg.Done()
	defer func() {
		c.Close()
		r.mu.Lock()
		delete(r.conns, c)
		r.mu.Unlock()
		r.signal()
	}()
	br := bufio.NewReader(c)
	var (
		hello *anet.Hello
		count uint64
		ack   []byte
	)
	for {
		p, err := record.ReadFrame(br, nil, 0, r.key)
		if err != nil {
			return
		}
		if anet.IsControl(p) {
			h, err := anet.ParseHello(p)
			if err != nil {
				r.fail(err)
				return
			}
			hello = &h
			r.mu.Lock()
			r.hellos = append(r.hellos, h)
			r.mu.Unlock()
			if _, err := c.Write(anet.AppendAck(nil, 0, r.key)); err != nil {
				return
			}
			continue
		}
		rec, err := record.DecodeMsgpack(p)
		if err != nil {
			r.fail(err)
			return
		}
		count++
		r.mu.Lock()
		r.recs = append(r.recs, rec)
		if hello != nil {
			seq := hello.Base + count - 1
			if seq < r.seen[hello.Session] {
				r.dupes++
			} else {
				r.seen[hello.Session] = seq + 1
			}
		}
		r.mu.Unlock()
		r.signal()
		if hello != nil && br.Buffered() == 0 && !r.silent {
			ack = anet.AppendAck(ack[:0], count, r.key)
			if _, err := c.Write(ack); err != nil {
				return
			}
		}
	}
}

func (r *receiver) fail(err error) {
	r.mu.Lock()
	r.bad = append(r.bad, err)
	r.mu.Unlock()
	r.signal()
}

// kill closes the listener and every connection at once, with a reset
// (as a killed process's sockets), and waits for the goroutines.
func (r *receiver) kill() {
	r.ln.Close()
	r.mu.Lock()
	for c := range r.conns {
		if tc, ok := c.(*stdnet.TCPConn); ok {
			tc.SetLinger(0)
		}
		c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// messages returns the messages received, in order.
func (r *receiver) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.recs))
	for i, rec := range r.recs {
		out[i] = rec.Message
	}
	return out
}

// waitUntil waits (at most 10 s) until cond holds under the receiver's lock.
func (r *receiver) waitUntil(what string, cond func(r *receiver) bool) {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		ok := cond(r)
		bad := r.bad
		r.mu.Unlock()
		if len(bad) > 0 {
			r.t.Fatalf("receiver: %v", bad)
		}
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-deadline:
			r.t.Fatalf("receiver: timed out waiting for %s", what)
		}
	}
}

// waitDrained waits until the receiver has accepted n connections and read
// each to its end (the sender closed it).
func (r *receiver) waitDrained(n int) {
	r.t.Helper()
	r.waitUntil("connections read to their end", func(r *receiver) bool { return r.accepts >= n && len(r.conns) == 0 })
}

func (r *receiver) waitRecords(n int) {
	r.t.Helper()
	r.waitUntil("records", func(r *receiver) bool { return len(r.recs) >= n })
}
