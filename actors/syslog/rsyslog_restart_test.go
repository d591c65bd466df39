package syslog

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// Issue item 3 with a real daemon: rsyslog restarts while records are
// logged over TCP and TLS. The handler backs off, reconnects and sends
// what it had not written: no record twice, all in order, every record
// logged after the restart delivered, and at most what a dead connection's
// socket buffer took lost (plain TCP has no acknowledgements).
func TestRsyslogRestartIsSurvived(t *testing.T) {
	r := startRsyslog(t)
	cases := []struct {
		name string
		o    Options
	}{
		{"tcp", Options{Address: Address{Host: "127.0.0.1", Port: r.tcp}, Socktype: "stream", Format: FormatRFC5424}},
		{"tls", Options{Address: Address{Host: "localhost", Port: r.tls}, TLS: true, CAFile: r.caFile, Format: FormatRFC5424}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tag := "restart-" + tc.name
			tc.o.AppName, tc.o.SDID = tag, "-"
			s, err := New(tc.o)
			if err != nil {
				t.Fatal(err)
			}
			e, l := runHandler(t, s, tag, 10*time.Millisecond)
			const before, after = 50, 50
			n := 0
			log := func(k int) {
				for range k {
					l.Log(record.LevelError, strconv.Itoa(n))
					n++
				}
			}
			log(before)
			r.await(t, tag, before)
			r.stop()
			// Log until the handler finds the connection dead and backs off:
			// the first writes may still go into the dead socket's buffer.
			during := 0
			awaitRestart(t, e, func() { log(1); during++ })
			r.start(t)
			log(after)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := e.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			// Every record logged after the restart arrives; before it, a few
			// may have gone into the dead connection.
			last := strconv.Itoa(n - 1)
			deadline := time.Now().Add(30 * time.Second)
			var got []line
			for {
				got = got[:0]
				for _, x := range r.lines() {
					if x.tag == tag {
						got = append(got, x)
					}
				}
				if len(got) > 0 && strings.TrimSpace(got[len(got)-1].msg) == last {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the last record never arrived; got %d records", len(got))
				}
				time.Sleep(20 * time.Millisecond) // polling another process's output file
			}
			prev := -1
			for _, x := range got {
				v, err := strconv.Atoi(strings.TrimSpace(x.msg))
				if err != nil || v <= prev {
					t.Fatalf("record %q after %d: duplicated or out of order", x.msg, prev)
				}
				prev = v
			}
			lost := n - len(got)
			st, _ := e.Stats().ForHandler("syslog")
			t.Logf("%d records, %d lost in the dead connection, %d restarts", n, lost, st.Restarts)
			if lost > during {
				t.Fatalf("%d records lost, more than were logged while rsyslog was down", lost)
			}
		})
	}
}
