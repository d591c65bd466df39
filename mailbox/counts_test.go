package mailbox

import (
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/clock"
)

// TestCountsWhileProducersBlocked takes snapshots while producers are
// blocked on a full Block mailbox, in rounds: wait until a producer blocks,
// take snapshots, let the consumer free some room. Every snapshot must keep
// both identities: a blocked producer's record is counted nowhere yet.
func TestCountsWhileProducersBlocked(t *testing.T) {
	const producers, rounds, perRound = 4, 50, 20
	m := mustNew[int](t, Options{Capacity: 4, MaxBatch: 2})
	d := &manualDispatcher{}
	proto(m).RegisterHandlers(&recorder{}, d)
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; m.Post(&i); i++ {
			}
		}()
	}
	bad, snaps, blocked := 0, 0, 0
	var first error
	for r := 0; r < rounds; r++ {
		waitBlocked(t, m, 1)
		for k := 0; k < perRound; k++ {
			c := m.Counts()
			snaps++
			blocked += c.Blocked
			if err := identities(c); err != nil {
				bad++
				if first == nil {
					first = err
				}
			}
		}
		d.runAll()
	}
	m.Close() // releases the producers: their records are refused as closed
	wg.Wait()
	d.runAll()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Blocked != 0 || c.Dropped[ReasonClosed] != producers {
		t.Fatalf("after Close: %+v", c)
	}
	t.Logf("%d of %d snapshots broke the identities (%d blocked producers seen)", bad, snaps, blocked)
	if bad > 0 {
		t.Fatalf("%d of %d snapshots broke the identities, first: %v", bad, snaps, first)
	}
}

// TestCountsWhileBlockedWithTimeout is the same with BlockTimeout on a
// fake clock: records refused on time-out keep the identities too.
func TestCountsWhileBlockedWithTimeout(t *testing.T) {
	clk := clock.NewFake(t0)
	timers := clk.Scheduled(16)
	m := mustNew[int](t, Options{Capacity: 2, BlockTimeout: time.Second, Clock: clk})
	d := &manualDispatcher{}
	proto(m).RegisterHandlers(&recorder{}, d)
	for i := 0; i < 2; i++ {
		m.Post(&i)
	}
	const producers = 3
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() { defer wg.Done(); v := p; m.Post(&v) }()
	}
	for p := 0; p < producers; p++ {
		<-timers
	}
	waitBlocked(t, m, producers)
	checkInvariants(t, m.Counts())
	clk.Advance(time.Second)
	wg.Wait()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Dropped[ReasonTimeout] != producers || c.Received != 2+producers || c.Blocked != 0 {
		t.Fatalf("counts %+v", c)
	}
}
