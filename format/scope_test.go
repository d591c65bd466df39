package format

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// scopeOp is one call on a logger: WithAttrs when group is "", else
// WithGroup(group).
type scopeOp struct {
	group string
	attrs []slog.Attr
}

func with(attrs ...slog.Attr) scopeOp { return scopeOp{attrs: attrs} }
func group(name string) scopeOp       { return scopeOp{group: name} }

// countingValuer resolves to a string and counts how often it is resolved.
type countingValuer struct {
	n *atomic.Int64
	v slog.Value
}

func (c countingValuer) LogValue() slog.Value {
	c.n.Add(1)
	return c.v
}

// emptyValuer resolves to an empty group: an attribute holding it is left out.
type emptyValuer struct{}

func (emptyValuer) LogValue() slog.Value { return slog.GroupValue() }

var scopeShapes = []struct {
	name string
	ops  []scopeOp
}{
	{"none", nil},
	{"attrs", []scopeOp{with(slog.String("svc", "api"), slog.Int("req", 42))}},
	{"attrs-group", []scopeOp{with(slog.String("svc", "api")), group("db")}},
	{"group-attrs", []scopeOp{group("db"), with(slog.String("svc", "api"))}},
	{"group-only", []scopeOp{group("db")}},
	{"empty-name-group", []scopeOp{group(""), with(slog.Int("a", 1)), group("")}},
	{"nested-empty", []scopeOp{group("g1"), group("g2"), group("g3")}},
	{"nested-attrs-between", []scopeOp{
		with(slog.Int("a", 1)), group("g1"), with(slog.Int("b", 2)), group("g2"), with(slog.Int("c", 3)), group("g3"),
	}},
	{"nested-attrs-last", []scopeOp{group("g1"), group("g2"), with(slog.Bool("deep", true))}},
	{"empty-attrs-in-group", []scopeOp{
		group("g1"), with(slog.Group("e"), slog.Any("", nil)), group("g2"), with(slog.Attr{Key: "v", Value: slog.AnyValue(emptyValuer{})}),
	}},
	{"attrs-groups-values", []scopeOp{
		with(slog.Group("req", slog.String("method", "GET"), slog.Group("empty"), slog.Group("", slog.Int("inl", 7)))),
		group("h"),
		with(slog.Duration("d", 1500*time.Millisecond), slog.Time("t", time.Date(2024, 3, 31, 1, 2, 3, 4000000, time.UTC)),
			slog.Any("err", errors.New("boom")), slog.Any("m", map[string]int{"x": 1}), slog.Float64("f", 0.5),
			slog.Uint64("u", 7), slog.Any("nil", nil)),
	}},
	{"quoting", []scopeOp{
		with(slog.String("a b", "c d"), slog.String("q", `say "hi"`)), group("x=y"), with(slog.String("k", "v\n")), group("plain"),
	}},
	{"unicode-groups", []scopeOp{group("é"), with(slog.String("\u2028", "\x00")), group("\xff")}},
	{"deep", []scopeOp{
		group("a"), group("b"), group("c"), group("d"), group("e"), group("f"), group("g"), group("h"), group("i"),
		with(slog.Group("j", slog.Group("k", slog.Int("l", 1)))),
	}},
}

var recordAttrSets = []struct {
	name  string
	attrs []slog.Attr
}{
	{"none", nil},
	{"plain", []slog.Attr{slog.String("user", "alice"), slog.Int("conns", 64), slog.Float64("wait", 0.125), slog.Bool("retry", true)}},
	{"skipped", []slog.Attr{slog.Group("e"), slog.Any("", nil), slog.Attr{Key: "v", Value: slog.AnyValue(emptyValuer{})}}},
	{"skipped-then-plain", []slog.Attr{slog.Group("e"), slog.Int("n", 1), slog.Duration("d", time.Second)}},
	{"groups", []slog.Attr{slog.Group("g", slog.Int("a", 1), slog.Group("", slog.String("b", "x y"))), slog.Group("", slog.Int("c", 3))}},
	{"quoting", []slog.Attr{slog.String("a=b", "1"), slog.String("", "empty key"), slog.Any("k", []byte("bytes"))}},
	{"many", []slog.Attr{
		slog.Int("a1", 1), slog.Int("a2", 2), slog.Int("a3", 3), slog.Int("a4", 4), slog.Int("a5", 5),
		slog.Int("a6", 6), slog.Any("a7", struct{ X int }{7}), slog.Time("a8", time.Unix(8, 0).UTC()),
	}},
}

// buildScope applies ops to a record.Scope and, in step, to a slog handler.
func buildScope(ops []scopeOp, h slog.Handler) (*record.Scope, slog.Handler) {
	var sc *record.Scope
	for _, op := range ops {
		if op.group != "" || op.attrs == nil {
			sc = sc.WithGroup(op.group)
			if op.group != "" {
				h = h.WithGroup(op.group)
			}
			continue
		}
		sc = sc.WithAttrs(op.attrs)
		h = h.WithAttrs(op.attrs)
	}
	return sc, h
}

// walkJSON and walkLogfmt are the plain encoders: every attribute of the
// record, the Scope's included, encoded on every call through Record.Walk,
// for the record with no time, level INFO, message "m" and nothing else.
func walkJSON(r *record.Record) []byte {
	st := state{dst: []byte(`{"level":"INFO","msg":"m"`), syn: syntaxJSON, sep: true}
	r.Walk(st.walk)
	return append(st.closeScope(), '}')
}

func walkLogfmt(r *record.Record) []byte {
	st := state{dst: []byte("level=INFO msg=m"), syn: syntaxText, sep: true}
	r.Walk(st.walk)
	return st.closeScope()
}

// TestScopePreformatted checks that a record with a Scope formats as the plain
// encoders write it, on the first call (which encodes the Scope's part) and on
// later ones (which reuse it), through the formatter that stored it and
// another one, for many shapes of Scope and of the record's own attributes;
// and that slog's handlers, built by the same WithAttrs and WithGroup calls,
// write the same bytes.
func TestScopePreformatted(t *testing.T) {
	for _, shape := range scopeShapes {
		for _, ras := range recordAttrSets {
			t.Run(shape.name+"/"+ras.name, func(t *testing.T) {
				var jb, tb bytes.Buffer
				opts := &slog.HandlerOptions{ReplaceAttr: pythonLevels}
				sc, jh := buildScope(shape.ops, slog.NewJSONHandler(&jb, opts))
				_, th := buildScope(shape.ops, slog.NewTextHandler(&tb, opts))
				r := &record.Record{Level: record.LevelInfo, Message: "m", Scope: sc}
				r.AddAttrs(ras.attrs...)
				sr := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
				sr.AddAttrs(ras.attrs...)
				if err := jh.Handle(context.Background(), sr); err != nil {
					t.Fatal(err)
				}
				if err := th.Handle(context.Background(), sr); err != nil {
					t.Fatal(err)
				}

				for _, c := range []struct {
					name    string
					want    []byte
					slog    []byte
					f1, f2  Formatter
					refWalk func(*record.Record) []byte
				}{
					{"JSON", walkJSON(r), jb.Bytes(), NewJSON(JSONOptions{}), NewJSON(JSONOptions{AddSource: true}), walkJSON},
					{"Logfmt", walkLogfmt(r), tb.Bytes(), NewLogfmt(LogfmtOptions{}), NewLogfmt(LogfmtOptions{AddSource: true}), walkLogfmt},
				} {
					// Where every attribute for an open group is left out,
					// slog's JSONHandler still writes the group, as "g":{};
					// we write a group only when something lands in it.
					slogWritesEmpty := c.name == "JSON" && (shape.name == "empty-attrs-in-group" || ras.name == "skipped")
					if !slogWritesEmpty && !bytes.Equal(append(append([]byte(nil), c.want...), '\n'), c.slog) {
						t.Errorf("%s: plain encoder and slog differ\nplain %s\n slog %s", c.name, c.want, c.slog)
					}
					for i, f := range []Formatter{c.f1, c.f1, c.f2, c.f1} {
						if got := f.Append([]byte("prefix"), r); !bytes.Equal(got, append([]byte("prefix"), c.want...)) {
							t.Errorf("%s, call %d\n got %s\nwant prefix%s", c.name, i, got, c.want)
						}
					}
				}
			})
		}
	}
}

// TestScopeRecordsShareOne formats records with different attributes through
// one Scope and checks each against the plain encoders: the Scope's encoded
// part holds nothing of the record it was first encoded for.
func TestScopeRecordsShareOne(t *testing.T) {
	j, l := NewJSON(JSONOptions{}), NewLogfmt(LogfmtOptions{})
	for _, shape := range scopeShapes {
		sc, _ := buildScope(shape.ops, slog.DiscardHandler)
		for round := 0; round < 2; round++ {
			for _, ras := range recordAttrSets {
				r := &record.Record{Level: record.LevelInfo, Message: "m", Scope: sc}
				r.AddAttrs(ras.attrs...)
				if got, want := j.Append(nil, r), walkJSON(r); !bytes.Equal(got, want) {
					t.Errorf("%s/%s JSON\n got %s\nwant %s", shape.name, ras.name, got, want)
				}
				if got, want := l.Append(nil, r), walkLogfmt(r); !bytes.Equal(got, want) {
					t.Errorf("%s/%s logfmt\n got %s\nwant %s", shape.name, ras.name, got, want)
				}
			}
		}
	}
}

// TestScopeLogValuerResolvedOnce checks that a LogValuer bound by WithAttrs is
// resolved by Scope.WithAttrs alone, not again per record or per formatter.
func TestScopeLogValuerResolvedOnce(t *testing.T) {
	var n atomic.Int64
	v := countingValuer{n: &n, v: slog.StringValue("resolved")}
	sc := (*record.Scope)(nil).WithGroup("g").WithAttrs([]slog.Attr{slog.Any("lv", v)})
	if got := n.Load(); got != 1 {
		t.Fatalf("WithAttrs resolved %d times, want 1", got)
	}
	j, l := NewJSON(JSONOptions{}), NewLogfmt(LogfmtOptions{})
	for i := 0; i < 3; i++ {
		r := &record.Record{Level: record.LevelInfo, Message: "m", Scope: sc}
		r.AddAttrs(slog.Int("i", i))
		if got, want := string(j.Append(nil, r)), fmt.Sprintf(`{"level":"INFO","msg":"m","g":{"lv":"resolved","i":%d}}`, i); got != want {
			t.Errorf("JSON\n got %s\nwant %s", got, want)
		}
		if got, want := string(l.Append(nil, r)), fmt.Sprintf(`level=INFO msg=m g.lv=resolved g.i=%d`, i); got != want {
			t.Errorf("logfmt\n got %s\nwant %s", got, want)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("resolved %d times in all, want 1", got)
	}
}

// TestScopeConcurrent has several goroutines format records sharing one new
// Scope through one formatter of each kind, all starting together so that they
// race to encode and store the Scope's part; run it under -race.
func TestScopeConcurrent(t *testing.T) {
	const workers, records = 4, 50
	j, l := NewJSON(JSONOptions{}), NewLogfmt(LogfmtOptions{})
	for _, shape := range scopeShapes {
		sc, _ := buildScope(shape.ops, slog.DiscardHandler)
		runTogether(t, workers, func(w int) string {
			var jbuf, tbuf []byte
			for i := 0; i < records; i++ {
				ras := recordAttrSets[(w+i)%len(recordAttrSets)]
				r := &record.Record{Level: record.LevelInfo, Message: "m", Scope: sc}
				r.AddAttrs(ras.attrs...)
				jbuf = j.Append(jbuf[:0], r)
				tbuf = l.Append(tbuf[:0], r)
				if want := walkJSON(r); !bytes.Equal(jbuf, want) {
					return fmt.Sprintf("%s/%s JSON\n got %s\nwant %s", shape.name, ras.name, jbuf, want)
				}
				if want := walkLogfmt(r); !bytes.Equal(tbuf, want) {
					return fmt.Sprintf("%s/%s logfmt\n got %s\nwant %s", shape.name, ras.name, tbuf, want)
				}
			}
			return ""
		})
	}
}
