package jetstream_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/internal/natstest"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// TestShutdownUnreachable: Shutdown with a deadline while the handler
// cannot reach the stream, with records queued. With every node down the
// handler waits out its back-off; with two of three down the stream has no
// leader, so a connect's stream check or a batch's acknowledgements wait on
// the one server left (longer than the deadline: ConnectTimeout and
// AckTimeout 30 s). Either way Shutdown returns soon after its deadline,
// every record logged is written or counted as dropped, and no goroutine
// is left behind once the interrupted call returned.
func TestShutdownUnreachable(t *testing.T) {
	for _, tc := range []struct {
		name string
		kill []int
	}{{"all nodes down", []int{0, 1, 2}}, {"no quorum", []int{0, 1}}} {
		t.Run(tc.name, func(t *testing.T) {
			c := natstest.Start(t, 3)
			o := jetstream.Options{StreamOptions: jetstream.StreamOptions{
				Servers: c.URLs(), Stream: "GONE", CreateStream: true, Replicas: 3, ConnectTimeout: 30 * time.Second,
			}, AckTimeout: 30 * time.Second, BatchRecords: 64}
			before := goleak.IgnoreCurrent()
			e, l, s := newHandler(t, o, mailbox.Options{Capacity: 10_000})
			const up, down = 1000, 5000
			for i := range up {
				l.Log(record.LevelInfo, "up", slog.Int("seq", i))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := e.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			sent := s.Stats().Messages
			for _, i := range tc.kill {
				c.Kill(i)
			}
			for i := range down {
				l.Log(record.LevelInfo, "down", slog.Int("seq", up+i))
			}
			// The handler has met the outage: it failed, or published a
			// message that waits for its acknowledgement (bounded wait).
			deadline := time.Now().Add(30 * time.Second)
			for st := s.Stats(); st.Failures == 0 && st.Messages == sent; st = s.Stats() {
				if time.Now().After(deadline) {
					t.Fatalf("no failure while %v are down: %+v", tc.kill, s.Stats())
				}
				time.Sleep(20 * time.Millisecond) // polling a counter; bounded above
			}
			sctx, scancel := context.WithTimeout(context.Background(), time.Second)
			defer scancel()
			start := time.Now()
			err := e.Shutdown(sctx)
			took := time.Since(start)
			st, _ := e.Stats().ForHandler("js")
			t.Logf("Shutdown took %v (%v): written %d, dropped %v, in flight %d, restarts %d; sink %+v",
				took.Round(time.Millisecond), err, st.Written, st.Dropped, st.InFlight, st.Restarts, s.Stats())
			if took > 10*time.Second {
				t.Errorf("Shutdown took %v with a 1 s deadline", took)
			}
			if st.Written < up || st.Written+st.DroppedTotal() != up+down || st.InFlight != 0 {
				t.Errorf("logged %d: written %d + dropped %d, in flight %d", up+down, st.Written, st.DroppedTotal(), st.InFlight)
			}
			if st.Dropped[string(mailbox.ReasonShutdown)] == 0 {
				t.Errorf("nothing counted as dropped at shutdown: %v", st.Dropped)
			}
			goleak.VerifyNone(t, before)
		})
	}
}
