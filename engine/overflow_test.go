package engine

import (
	"bytes"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// slowSink keeps every line it is given and takes its time over each batch,
// so that producers overrun a small mailbox.
type slowSink struct {
	mu    sync.Mutex
	lines [][]byte
}

func (s *slowSink) WriteBatch(b *actors.Batch) (int, error) {
	time.Sleep(200 * time.Microsecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < b.Len(); i++ {
		s.lines = append(s.lines, bytes.Clone(b.Record(i)))
	}
	return b.Len(), nil
}
func (s *slowSink) Close() error { return nil }

// TestOverflowPoliciesAccountForEveryRecord runs 4 producers against a slow
// handler with a 64-record mailbox under each overflow policy, and checks
// that what the sink received is, per producer, an in-order subsequence of
// what was logged, and that the records missing from it are exactly the
// records the stats count as dropped, under the policy's reason.
func TestOverflowPoliciesAccountForEveryRecord(t *testing.T) {
	const producers, each = 4, 3000
	for _, tc := range []struct {
		name   string
		opts   mailbox.Options
		reason string
	}{
		{"drop_newest", mailbox.Options{Capacity: 64, Overflow: mailbox.DropNewest}, "full"},
		{"drop_oldest", mailbox.Options{Capacity: 64, Overflow: mailbox.DropOldest}, "oldest"},
		{"block_timeout", mailbox.Options{Capacity: 64, Overflow: mailbox.Block, BlockTimeout: 100 * time.Microsecond}, "timeout"},
		{"block", mailbox.Options{Capacity: 64, Overflow: mailbox.Block}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, Options{})
			sink := &slowSink{}
			h, err := e.NewHandler("slow", sink, actors.HandlerOptions{
				Formatter: format.MustPython("%(p)d %(seq)d", format.PythonOptions{}),
				Mailbox:   tc.opts,
			})

			if err != nil {
				t.Fatal(err)
			}
			l := e.Logger("")
			l.SetLevel(record.LevelInfo)
			l.AddHandler(h)
			logFromProducers(l, producers, each, "")
			flush(t, e)

			last := make([]int, producers)
			for i := range last {
				last[i] = -1
			}
			sink.mu.Lock()
			delivered := len(sink.lines)
			for _, line := range sink.lines {
				f := bytes.Fields(line)
				p, _ := strconv.Atoi(string(f[0]))
				seq, _ := strconv.Atoi(string(f[1]))
				if seq <= last[p] {
					t.Fatalf("producer %d: seq %d after %d", p, seq, last[p])
				}
				last[p] = seq
			}
			sink.mu.Unlock()

			st, _ := e.Stats().ForHandler("slow")
			missing := uint64(producers*each - delivered)
			if st.Received != producers*each || st.Written != uint64(delivered) || st.InFlight != 0 {
				t.Fatalf("stats %+v, delivered %d", st, delivered)
			}
			if st.DroppedTotal() != missing {
				t.Fatalf("%d records missing, %d counted as dropped: %v", missing, st.DroppedTotal(), st.Dropped)
			}
			if tc.reason == "" {
				if missing != 0 {
					t.Fatalf("Block lost %d records", missing)
				}
				return
			}
			if st.Dropped[tc.reason] != missing {
				t.Fatalf("drops %v, want all %d under %q", st.Dropped, missing, tc.reason)
			}
			if missing == 0 {
				t.Fatalf("the slow sink never overflowed a %d-record mailbox: the test proves nothing", tc.opts.Capacity)
			}
		})
	}
}
