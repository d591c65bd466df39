package format

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// cacheZones are zones whose offsets change (daylight saving time, a
// 30-minute shift), are not whole hours, or are odd.
var cacheZones = []*time.Location{
	time.UTC, time.Local, berlin,
	mustLoad("America/New_York"), mustLoad("Australia/Lord_Howe"), mustLoad("Asia/Kathmandu"),
	time.FixedZone("odd", -(3*3600 + 25*60 + 7)), time.FixedZone("far", 99*3600+59*60),
	time.FixedZone("UTC0", 0),
}

// cacheTimes returns times that exercise the second cache: runs within one
// second, steps forward and back, daylight saving time changes, zone changes
// within one second, times before year 1 and after year 9999.
func cacheTimes() []time.Time {
	rng := rand.New(rand.NewPCG(1, 2))
	nano := func() int {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return rng.IntN(1000) * 1e6
		}
		return rng.IntN(1e9)
	}
	var ts []time.Time
	bases := []int64{
		time.Date(2024, 3, 31, 0, 59, 58, 0, time.UTC).Unix(),  // Berlin spring forward
		time.Date(2024, 10, 27, 0, 59, 58, 0, time.UTC).Unix(), // Berlin fall back
		time.Date(2024, 11, 3, 5, 59, 58, 0, time.UTC).Unix(),  // New York fall back
		time.Date(2024, 4, 6, 14, 59, 58, 0, time.UTC).Unix(),  // Lord Howe: 30 minutes back
		0, -1, 1<<31 - 2, minTruncSec - 2, minTruncSec + 1,
		time.Date(-2, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
		time.Date(12345, 6, 7, 8, 9, 10, 0, time.UTC).Unix(),
	}
	for _, base := range bases {
		for i := 0; i < 400; i++ {
			sec := base + int64(rng.IntN(5)) // forward and back within a few seconds
			loc := cacheZones[0]
			if rng.IntN(3) == 0 {
				loc = cacheZones[rng.IntN(len(cacheZones))]
			}
			ts = append(ts, time.Unix(sec, int64(nano())).In(loc))
		}
	}
	for i := 0; i < 2000; i++ {
		// A second that stays put for a while, then moves on.
		sec := bases[0] + int64(i/50)
		ts = append(ts, time.Unix(sec, int64(nano())).In(cacheZones[(i/7)%len(cacheZones)]))
	}
	return ts
}

// TestSecCache checks that the cached timestamps are byte for byte what the
// uncached code writes, through hits, misses and replacements.
func TestSecCache(t *testing.T) {
	ts := cacheTimes()
	// Unframed, and framed as a structured formatter frames its time.
	for _, fr := range [][2]string{{"", ""}, {`{"time":"`, `","level":"`}} {
		nano, millis := secCache{before: fr[0], after: fr[1]}, secCache{before: fr[0], after: fr[1]}
		for _, tm := range ts {
			if got, want := string(nano.appendRFC3339Nano(nil, tm)), fr[0]+tm.Format(time.RFC3339Nano)+fr[1]; got != want {
				t.Fatalf("RFC3339Nano of %v (%s): got %q, want %q", tm, tm.Location(), got, want)
			}
			if got, want := string(millis.appendRFC3339Millis(nil, tm)), fr[0]+string(appendRFC3339Millis(nil, tm))+fr[1]; got != want {
				t.Fatalf("RFC3339 millis of %v (%s): got %q, want %q", tm, tm.Location(), got, want)
			}
		}
	}
	for _, loc := range cacheZones {
		for _, layout := range []string{"%Y-%m-%d %H:%M:%S", "%c %Z %z %s %j %U %V"} {
			var c secCache
			for _, tm := range ts {
				sec := tm.Unix()
				want := string(strftime(nil, layout, time.Unix(sec, 0).In(loc)))
				if got := string(c.appendStrftimeSec(nil, layout, sec, loc)); got != want {
					t.Fatalf("strftime %q of %d in %s: got %q, want %q", layout, sec, loc, got, want)
				}
			}
		}
	}
}

// TestSecCacheConcurrent formats through one cache from several goroutines at
// once (run it with -race).
func TestSecCacheConcurrent(t *testing.T) {
	ts := cacheTimes()
	var c secCache
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := g; i < len(ts); i += 2 {
				tm := ts[i]
				buf = c.appendRFC3339Nano(buf[:0], tm)
				if want := tm.Format(time.RFC3339Nano); string(buf) != want {
					errs <- "got " + string(buf) + ", want " + want
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestSecCacheStraggler checks the replacement policy: an earlier second does
// not replace the entry until it has missed missStore times.
func TestSecCacheStraggler(t *testing.T) {
	var c secCache
	now := time.Unix(1_700_000_000, 5).UTC()
	c.appendRFC3339Nano(nil, now)
	first := c.last.Load()
	old := now.Add(-time.Second)
	for i := 1; i < missStore; i++ {
		c.appendRFC3339Nano(nil, old)
	}
	if c.last.Load() != first {
		t.Fatalf("an earlier second replaced the entry before %d misses", missStore)
	}
	c.appendRFC3339Nano(nil, old)
	if e := c.last.Load(); e == first || e.sec != old.Unix() {
		t.Fatalf("the entry was not replaced after %d misses", missStore)
	}
	c.appendRFC3339Nano(nil, now)
	if e := c.last.Load(); e.sec != now.Unix() {
		t.Fatal("a later second did not replace the entry")
	}
}
