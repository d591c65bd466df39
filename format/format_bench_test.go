package format

import (
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// benchRecord is the usual call: a message and four attributes.
func benchRecord() *record.Record {
	r := &record.Record{
		Time:    time.Date(2024, 3, 31, 0, 59, 59, 123456789, time.UTC),
		Level:   record.LevelWarning,
		Logger:  "app.db",
		Message: "connection pool exhausted, waiting",
	}
	r.AddAttrs(slog.String("user", "alice"), slog.Int("conns", 64), slog.Float64("wait", 0.125), slog.Bool("retry", true))
	return r
}

func benchFormatters(tb testing.TB) map[string]Formatter {
	py, err := NewPython("%(asctime)s %(levelname)-8s %(name)s: %(message)s user=%(user)s conns=%(conns)d", PythonOptions{Location: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	brace := MustPython("{asctime} {levelname} {name}: {message}", PythonOptions{Style: StyleBrace, Location: time.UTC})
	attrs := MustPython("%(asctime)s %(levelname)s %(name)s: %(message)s %(attrs)s", PythonOptions{Location: time.UTC})
	return map[string]Formatter{
		"Python": py, "PythonBrace": brace, "PythonAttrs": attrs,
		"JSON": NewJSON(JSONOptions{}), "Logfmt": NewLogfmt(LogfmtOptions{}),
	}
}

// benchAppend formats r with f into a reused buffer, b.N times.
func benchAppend(b *testing.B, f Formatter, r *record.Record) {
	b.ReportAllocs()
	buf := make([]byte, 0, 1024)
	for b.Loop() {
		buf = f.Append(buf[:0], r)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkFormat(b *testing.B) {
	r := benchRecord()
	for name, f := range benchFormatters(b) {
		b.Run(name, func(b *testing.B) {
			benchAppend(b, f, r)
		})
	}
}

// BenchmarkFormatSend formats the record `actorlog send --count N MESSAGE`
// logs: a message and one integer attribute, the handler's share of what
// bench/'s procbench times as a process.
func BenchmarkFormatSend(b *testing.B) {
	r := &record.Record{Time: time.Date(2024, 3, 31, 0, 59, 59, 123456789, time.UTC), Level: record.LevelInfo, Message: "hello there"}
	r.AddAttrs(slog.Int("seq", 123456))
	for name, f := range map[string]Formatter{"JSON": NewJSON(JSONOptions{}), "Logfmt": NewLogfmt(LogfmtOptions{})} {
		b.Run(name, func(b *testing.B) {
			benchAppend(b, f, r)
		})
	}
}

// TestAllocs enforces the budget: formatting the usual record allocates
// nothing once the buffer has grown.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	with := benchRecord()
	with.Scope = (*record.Scope)(nil).WithAttrs([]slog.Attr{slog.String("svc", "api"), slog.Int("req", 42)})
	group := benchRecord()
	group.Scope = with.Scope.WithGroup("db")
	for rname, r := range map[string]*record.Record{"plain": benchRecord(), "With": with, "Group": group} {
		for name, f := range benchFormatters(t) {
			buf := make([]byte, 0, 1024)
			if n := testing.AllocsPerRun(100, func() { buf = f.Append(buf[:0], r) }); n != 0 {
				t.Errorf("%s, %s record: %v allocs per record, want 0", name, rname, n)
			}
		}
	}
}

// BenchmarkFormatScope formats records logged through loggers with bound
// attributes: "With" has two attributes and no group; "Group" adds a group
// that the record's own attributes sit in.
func BenchmarkFormatScope(b *testing.B) {
	with := benchRecord()
	with.Scope = (*record.Scope)(nil).WithAttrs([]slog.Attr{slog.String("svc", "api"), slog.Int("req", 42)})
	group := benchRecord()
	group.Scope = with.Scope.WithGroup("db")
	for _, rc := range []struct {
		name string
		r    *record.Record
	}{{"With", with}, {"Group", group}} {
		for name, f := range benchFormatters(b) {
			b.Run(rc.name+"/"+name, func(b *testing.B) {
				benchAppend(b, f, rc.r)
			})
		}
	}
}
