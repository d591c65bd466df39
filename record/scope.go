package record

import (
	"log/slog"
	"strings"
	"sync/atomic"
)

// Scope is what slog's WithAttrs and WithGroup built: attributes bound to a
// logger and the groups that later attributes belong to. A Scope is immutable
// and shared by every record logged through the handler that owns it.
type Scope struct {
	// Groups is the full path of groups open for the record's own attributes.
	Groups []string
	// Parts are the bound attributes in the order they were added, each with the
	// number of Groups that were open when it was added.
	Parts []ScopePart

	// cache holds what formatters derived from the Scope (see Cached).
	cache atomic.Pointer[scopeCache]
}

// scopeCacheMax bounds the entries a Scope keeps, so that a Scope shared by
// many formatters cannot grow without bound.
const scopeCacheMax = 4

// scopeCache is an immutable list of entries, replaced as a whole.
type scopeCache struct {
	entries []scopeCacheEntry
}

type scopeCacheEntry struct {
	owner, v any
}

// Cached returns the value stored for owner by StoreCache, or nil. It is for
// formatters: a formatter derives something from the Scope once (its
// attributes already encoded, say), stores it under a key of its own and
// reuses it for every record that shares the Scope. Cached takes no lock and
// does not allocate; it is safe for concurrent use.
func (s *Scope) Cached(owner any) any {
	if s == nil {
		return nil
	}
	c := s.cache.Load()
	if c == nil {
		return nil
	}
	for i := range c.entries {
		if c.entries[i].owner == owner {
			return c.entries[i].v
		}
	}
	return nil
}

// StoreCache stores v for owner, for Cached to return; owner must be
// comparable, and v must not be changed afterwards, since other goroutines
// may read it at once. A Scope keeps a few entries: storing more drops the
// oldest. If another goroutine stored a value for owner first, that value
// stays (both derived the same thing). StoreCache is safe for concurrent use;
// a nil s stores nothing.
func (s *Scope) StoreCache(owner, v any) {
	if s == nil {
		return
	}
	for {
		old := s.cache.Load()
		var es []scopeCacheEntry
		if old != nil {
			for i := range old.entries {
				if old.entries[i].owner == owner {
					return
				}
			}
			es = old.entries
		}
		if len(es) >= scopeCacheMax {
			es = es[len(es)-scopeCacheMax+1:]
		}
		n := &scopeCache{entries: make([]scopeCacheEntry, 0, len(es)+1)}
		n.entries = append(append(n.entries, es...), scopeCacheEntry{owner, v})
		if s.cache.CompareAndSwap(old, n) {
			return
		}
	}
}

// ScopePart is one WithAttrs call: Attrs sit inside the first Depth groups.
type ScopePart struct {
	Depth int
	Attrs []slog.Attr
}

// WithAttrs returns a scope that adds attrs inside the currently open groups.
// s may be nil.
func (s *Scope) WithAttrs(attrs []slog.Attr) *Scope {
	if len(attrs) == 0 {
		return s
	}
	n := &Scope{}
	if s != nil {
		n.Groups = s.Groups
		n.Parts = append(n.Parts, s.Parts...)
	}
	// Resolve LogValuers once here, as slog's own handlers do, rather than
	// on every record.
	own := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		a.Value = a.Value.Resolve()
		own[i] = a
	}
	n.Parts = append(n.Parts, ScopePart{Depth: len(n.Groups), Attrs: own})
	return n
}

// WithGroup returns a scope in which later attributes sit inside group name.
// An empty name returns s unchanged, as slog requires. s may be nil.
func (s *Scope) WithGroup(name string) *Scope {
	if name == "" {
		return s
	}
	n := &Scope{}
	if s != nil {
		n.Groups = append(append(make([]string, 0, len(s.Groups)+1), s.Groups...), name)
		n.Parts = s.Parts
	} else {
		n.Groups = []string{name}
	}
	return n
}

// Walk calls f for every attribute of r, the Scope's first, then the record's
// own, each with the group path it sits in, until f returns false. Paths only
// grow along the walk (each is a prefix of the next), so an encoder can open
// groups lazily and close them all at the end; a group that receives no
// attribute is then never written, as slog requires. Attributes are passed as
// they are: resolving LogValuers and dropping empty attributes is the
// encoder's job (see Skip).
func (r *Record) Walk(f func(path []string, a slog.Attr) bool) {
	var groups []string
	if s := r.Scope; s != nil {
		groups = s.Groups
		for _, p := range s.Parts {
			for _, a := range p.Attrs {
				if !f(groups[:p.Depth], a) {
					return
				}
			}
		}
	}
	for i := 0; i < r.nFront; i++ {
		if !f(groups, r.front[i]) {
			return
		}
	}
	for _, a := range r.back {
		if !f(groups, a) {
			return
		}
	}
}

// Skip reports whether an attribute is to be left out, by slog's rules: an
// empty key with a nil value, or a group with no attributes. Call it after
// resolving the value.
func Skip(a slog.Attr) bool {
	if a.Value.Kind() == slog.KindGroup {
		return len(a.Value.Group()) == 0
	}
	return a.Key == "" && a.Value.Any() == nil
}

// FlatAttrs calls f for every attribute of r that is not a group, in Walk's
// order, with its dotted key: the names of the groups it sits in (from the
// Scope and from slog.Group values) and its own, joined by dots ("req.db.host"),
// as logfmt writes keys. Values are resolved; attributes slog leaves out
// (see Skip) are left out. It stops when f returns false. It allocates; it
// is for lookups by dotted name and for tests, not for encoders.
func (r *Record) FlatAttrs(f func(key string, v slog.Value) bool) {
	more := true
	var visit func(prefix string, a slog.Attr)
	visit = func(prefix string, a slog.Attr) {
		a.Value = a.Value.Resolve()
		if !more || Skip(a) {
			return
		}
		if a.Value.Kind() != slog.KindGroup {
			more = f(prefix+a.Key, a.Value)
			return
		}
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, c := range a.Value.Group() {
			visit(prefix, c)
		}
	}
	r.Walk(func(path []string, a slog.Attr) bool {
		prefix := ""
		if len(path) > 0 {
			prefix = strings.Join(path, ".") + "."
		}
		visit(prefix, a)
		return more
	})
}
