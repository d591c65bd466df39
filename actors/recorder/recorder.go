package recorder

import (
	"bytes"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

// Entry is one record as the Recorder kept it: a copy, safe to keep after
// the batch it came in.
type Entry struct {
	Time    time.Time
	Level   record.Level
	Logger  string // "" for the root logger
	Message string
	// Attrs are the record's attributes, the Scope's (WithAttrs) first,
	// resolved and flattened: an attribute inside groups has its dotted
	// key ("req.id"), as %(attrs)s and logfmt write it.
	Attrs []slog.Attr
	// Text is the record as the handler formatted it, without its
	// terminator.
	Text string
}

// Attr returns the value of the attribute with the dotted key, the last one
// when several have it.
func (e Entry) Attr(key string) (slog.Value, bool) {
	for i := len(e.Attrs) - 1; i >= 0; i-- {
		if e.Attrs[i].Key == key {
			return e.Attrs[i].Value, true
		}
	}
	return slog.Value{}, false
}

// Recorder is a sink that keeps every record it is given, in memory, for a
// program's own tests, as zap's observer does. Its methods are safe to call
// from the test's goroutine while the handler writes; call Engine.Flush (or
// run the engine with Options.Synchronous) before reading, so that what
// was logged has arrived.
type Recorder struct {
	mu      sync.Mutex
	entries []Entry
}

var _ actors.Sink = (*Recorder)(nil)

// New returns an empty Recorder.
func New() *Recorder { return &Recorder{} }

// WriteBatch implements actors.Sink: it copies each record of the batch.
func (r *Recorder) WriteBatch(b *actors.Batch) (int, error) {
	es := make([]Entry, b.Len())
	for i, rec := range b.Records {
		es[i] = Entry{Time: rec.Time, Level: rec.Level, Logger: rec.Logger, Message: rec.Message,
			Attrs: flatten(rec), Text: string(trimTerminator(b.Record(i)))}
	}
	r.mu.Lock()
	r.entries = append(r.entries, es...)
	r.mu.Unlock()
	return b.Len(), nil
}

// Close implements actors.Sink; the entries stay readable.
func (r *Recorder) Close() error { return nil }

// Len returns how many entries the Recorder holds.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// All returns a copy of every entry, in the order written.
func (r *Recorder) All() []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.entries)
}

// TakeAll returns every entry and empties the Recorder.
func (r *Recorder) TakeAll() []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	es := r.entries
	r.entries = nil
	return es
}

// Filter returns the entries for which keep is true, in order.
func (r *Recorder) Filter(keep func(Entry) bool) []Entry {
	var out []Entry
	for _, e := range r.All() {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// FilterMessage returns the entries whose message is msg.
func (r *Recorder) FilterMessage(msg string) []Entry {
	return r.Filter(func(e Entry) bool { return e.Message == msg })
}

// FilterLevel returns the entries at level or above.
func (r *Recorder) FilterLevel(level record.Level) []Entry {
	return r.Filter(func(e Entry) bool { return e.Level >= level })
}

// FilterAttr returns the entries with an attribute of the dotted key whose
// value equals v (slog.Value.Equal; v is turned into one with slog.AnyValue).
func (r *Recorder) FilterAttr(key string, v any) []Entry {
	want := slog.AnyValue(v)
	return r.Filter(func(e Entry) bool {
		got, ok := e.Attr(key)
		return ok && got.Equal(want)
	})
}

// Messages returns the entries' messages, in order.
func (r *Recorder) Messages() []string {
	es := r.All()
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Message
	}
	return out
}

// trimTerminator removes the handler's default terminator.
func trimTerminator(b []byte) []byte { return bytes.TrimSuffix(b, []byte{'\n'}) }

// flatten lists rec's attributes resolved, with dotted keys, leaving out
// what slog leaves out (empty attributes, empty groups).
func flatten(rec *record.Record) []slog.Attr {
	var out []slog.Attr
	rec.FlatAttrs(func(k string, v slog.Value) bool {
		out = append(out, slog.Attr{Key: k, Value: v})
		return true
	})
	return out
}
