package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

// TestPoisonRecordCostsOnlyItself logs 50 good records, one that crashes
// the sink every time, and 10 more, all in one batch, with the default
// back-off (1 s, doubling, at most 30 s) on a fake clock. Before, the
// handler gave up the first record of the batch after 3 crashes, again and
// again: 51 dropped, 153 restarts, none of the 50 written, and a stall of
// about 75 minutes. Now the batch is written one record at a time after the
// first crash: the 50 and the 10 are written, the poison record alone is
// dropped (error), after 4 restarts and 15 s of back-off.
func TestPoisonRecordCostsOnlyItself(t *testing.T) {
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{ErrorOutput: errOut})
	clk := clock.NewFake(time.Unix(1_000_000, 0))
	delays := clk.Scheduled(100)
	sink := &poisonSink{hold: make(chan struct{}), entered: make(chan struct{})}
	h, err := e.NewHandler("p", sink, actors.HandlerOptions{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	l.Log(record.LevelError, "hold")
	<-sink.entered
	var want []string
	for i := 0; i < 50; i++ {
		want = append(want, fmt.Sprint("good ", i))
	}
	want = append(want, "poison")
	for i := 0; i < 10; i++ {
		want = append(want, fmt.Sprint("more ", i))
	}
	for _, m := range want {
		l.Log(record.LevelError, m)
	}
	close(sink.hold)

	flushed := make(chan error, 1)
	go func() { flushed <- e.Flush(context.Background()) }()
	var stall time.Duration
	timeout := time.After(20 * time.Second)
wait:
	for {
		select {
		case d := <-delays: // a restart is due after d: let the time pass
			stall += d
			clk.Advance(d)
		case err := <-flushed:
			if err != nil {
				t.Fatal(err)
			}
			break wait
		case <-timeout:
			t.Fatal("the handler did not get through the batch")
		}
	}

	sink.mu.Lock()
	got := strings.Join(sink.got, ",")
	sink.mu.Unlock()
	good := strings.Join(append(append([]string{"hold"}, want[:50]...), want[51:]...), ",")
	if got != good {
		t.Fatalf("sink got %s\nwant %s", got, good)
	}
	st, _ := e.Stats().ForHandler("p")
	t.Logf("written %d, dropped %v, restarts %d, back-off stall %v", st.Written, st.Dropped, st.Restarts, stall)
	if st.Written != 61 || st.Dropped["error"] != 1 || st.DroppedTotal() != 1 || st.InFlight != 0 {
		t.Fatalf("stats %+v", st)
	}
	if st.Restarts != 4 || stall != 15*time.Second {
		t.Fatalf("%d restarts and %v of back-off, want 4 and 15s", st.Restarts, stall)
	}
	if !strings.Contains(errOut.String(), "record given up after it crashed the handler 3 times in a row") {
		t.Fatalf("error output %q", errOut.String())
	}
}
