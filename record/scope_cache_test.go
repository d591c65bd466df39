package record

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
)

func TestScopeCache(t *testing.T) {
	var nilScope *Scope
	nilScope.StoreCache("k", 1)
	if v := nilScope.Cached("k"); v != nil {
		t.Errorf("nil scope: Cached = %v, want nil", v)
	}

	s := (*Scope)(nil).WithGroup("g")
	if v := s.Cached("a"); v != nil {
		t.Errorf("empty cache: Cached = %v, want nil", v)
	}
	s.StoreCache("a", 1)
	s.StoreCache("a", 2) // the first value stays
	if v := s.Cached("a"); v != 1 {
		t.Errorf("Cached(a) = %v, want 1", v)
	}

	// Storing more than the bound drops the oldest entries.
	for i := 0; i < 10; i++ {
		s.StoreCache(i, i*10)
	}
	if n := len(s.cache.Load().entries); n != scopeCacheMax {
		t.Errorf("%d entries, want %d", n, scopeCacheMax)
	}
	if v := s.Cached("a"); v != nil {
		t.Errorf("oldest entry still there: %v", v)
	}
	for i := 10 - scopeCacheMax; i < 10; i++ {
		if v := s.Cached(i); v != i*10 {
			t.Errorf("Cached(%d) = %v, want %d", i, v, i*10)
		}
	}

	// A Scope derived from s starts with an empty cache.
	if v := s.WithAttrs(nil).Cached(9); v != 90 {
		t.Errorf("WithAttrs(nil) returns s itself: Cached(9) = %v, want 90", v)
	}
	if v := s.WithGroup("h").Cached(9); v != nil {
		t.Errorf("a new Scope shares its parent's cache: %v", v)
	}
}

// TestScopeCacheConcurrent stores and reads from several goroutines at once;
// run it under -race. Every value read is the one stored for its owner.
func TestScopeCacheConcurrent(t *testing.T) {
	s := (*Scope)(nil).WithGroup("g")
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan int, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < 100; i++ {
				owner := (w + i) % 6
				if v := s.Cached(owner); v != nil && v != owner*7 {
					errs <- owner
					return
				}
				s.StoreCache(owner, owner*7)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for o := range errs {
		t.Errorf("owner %d read another owner's value", o)
	}
	if n := len(s.cache.Load().entries); n > scopeCacheMax {
		t.Errorf("%d entries, over the bound %d", n, scopeCacheMax)
	}
}

func TestFlatAttrs(t *testing.T) {
	var r Record
	r.Scope = (*Scope)(nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("req")
	r.AddAttrs(slog.Int("id", 7), slog.Group("db", slog.String("host", "h1"), slog.Group("empty")), slog.Attr{}, slog.Group("", slog.Bool("inl", true)))
	var got []string
	r.FlatAttrs(func(k string, v slog.Value) bool {
		got = append(got, k+"="+v.String())
		return true
	})
	if want := "svc=api req.id=7 req.db.host=h1 req.inl=true"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	n := 0
	r.FlatAttrs(func(string, slog.Value) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("FlatAttrs went on after false: %d calls", n)
	}
}
