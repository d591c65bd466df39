package format

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// onlyAttrs makes slog's TextHandler write the attributes alone: no time,
// level or message.
func onlyAttrs(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 {
		switch a.Key {
		case slog.TimeKey, slog.LevelKey, slog.MessageKey:
			return slog.Attr{}
		}
	}
	return a
}

// TestAttrsFieldMatchesSlog compares %(attrs)s with what slog's TextHandler
// writes for the same attributes, for every golden record.
func TestAttrsFieldMatchesSlog(t *testing.T) {
	for _, style := range []struct {
		format string
		style  Style
	}{{"%(attrs)s", StylePercent}, {"{attrs}", StyleBrace}, {"${attrs}", StyleDollar}} {
		p := MustPython(style.format, PythonOptions{Style: style.style})
		for _, g := range goldenRecords {
			t.Run(string(style.style)+g.name, func(t *testing.T) {
				want := slogOutput(t, g, func(b *bytes.Buffer) slog.Handler {
					return slog.NewTextHandler(b, &slog.HandlerOptions{ReplaceAttr: onlyAttrs})
				})
				r := g.record()
				r.ErrText, r.Stack = "", ""
				got := append(p.Append(nil, r), '\n')
				if !bytes.Equal(got, want) {
					t.Errorf("bytes differ\n got %q\nwant %q", got, want)
				}
			})
		}
	}
}

func attrsRecord() *record.Record {
	r := &record.Record{Time: time.Date(2024, 3, 31, 0, 59, 59, 0, time.UTC), Level: record.LevelInfo, Logger: "app.db", Message: "connected"}
	r.Scope = (*record.Scope)(nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("db")
	r.AddAttrs(slog.String("host", "db 1"), slog.Group("pool", slog.Int("size", 4)))
	return r
}

func TestAttrsFieldInFormat(t *testing.T) {
	plain := &record.Record{Level: record.LevelInfo, Logger: "app", Message: "hi"}
	for _, tc := range []struct {
		format string
		style  Style
		r      *record.Record
		want   string
	}{
		{"%(levelname)s %(name)s: %(message)s %(attrs)s", 0, attrsRecord(), `INFO app.db: connected svc=api db.host="db 1" db.pool.size=4`},
		{"%(levelname)s %(name)s: %(message)s %(attrs)s", 0, plain, `INFO app: hi`},
		{"%(message)s [%(attrs)s]", 0, plain, `hi []`},
		{"%(message)s|%(attrs)-6s|", 0, plain, `hi|      |`},
		{"%(message)s|%(attrs)-8s|", 0, attrsRecord(), `connected|svc=api db.host="db 1" db.pool.size=4|`},
		{"{message} {attrs}", StyleBrace, attrsRecord(), `connected svc=api db.host="db 1" db.pool.size=4`},
		{"$message $attrs", StyleDollar, plain, `hi`},
	} {
		got := string(MustPython(tc.format, PythonOptions{Style: tc.style}).Append(nil, tc.r))
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.format, got, tc.want)
		}
	}
}

// TestDottedNames reaches attributes inside groups by their dotted name, as
// %(attrs)s and logfmt write them.
func TestDottedNames(t *testing.T) {
	r := attrsRecord()
	for _, tc := range []struct {
		format string
		style  Style
		want   string
	}{
		{"%(db.host)s %(db.pool.size)03d %(svc)s", 0, "db 1 004 api"},
		{"{db.host} {db.pool.size:>3}", StyleBrace, "db 1   4"},
		{"%(db.nothere)s", 0, "%!(MISSING db.nothere)"},
		{"%(host)s", 0, "%!(MISSING host)"}, // inside a group: only by its dotted name
	} {
		got := string(MustPython(tc.format, PythonOptions{Style: tc.style}).Append(nil, r))
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.format, got, tc.want)
		}
	}
	if _, err := NewPython("{db..host}", PythonOptions{Style: StyleBrace}); err == nil {
		t.Error("{db..host} parsed")
	}
}

func TestNeedsCaller(t *testing.T) {
	for _, tc := range []struct {
		f    Formatter
		want bool
	}{
		{MustPython("%(message)s", PythonOptions{}), false},
		{MustPython("%(filename)s:%(lineno)d %(message)s", PythonOptions{}), true},
		{MustPython("{funcName} {message}", PythonOptions{Style: StyleBrace}), true},
		{MustPython("$module $message", PythonOptions{Style: StyleDollar}), true},
		{MustPython("%(pathname)s", PythonOptions{}), true},
		{NewJSON(JSONOptions{}), false},
		{NewJSON(JSONOptions{AddSource: true}), true},
		{NewLogfmt(LogfmtOptions{AddSource: true}), true},
	} {
		if got := tc.f.(CallerNeeder).NeedsCaller(); got != tc.want {
			t.Errorf("%#v: NeedsCaller() = %v, want %v", tc.f, got, tc.want)
		}
	}
}

func TestJSONKeysAndTimeFormats(t *testing.T) {
	r := &record.Record{Time: time.Date(2024, 3, 31, 0, 59, 59, 123456789, time.UTC), Level: record.LevelInfo, Logger: "app", Message: "hi"}
	for _, tc := range []struct {
		o    JSONOptions
		want string
	}{
		{JSONOptions{}, `{"time":"2024-03-31T00:59:59.123456789Z","level":"INFO","logger":"app","msg":"hi"}`},
		{JSONOptions{TimeFormat: TimeRFC3339}, `{"time":"2024-03-31T00:59:59Z","level":"INFO","logger":"app","msg":"hi"}`},
		{JSONOptions{TimeFormat: TimeUnix}, `{"time":1711846799,"level":"INFO","logger":"app","msg":"hi"}`},
		{JSONOptions{TimeFormat: TimeUnixMilli}, `{"time":1711846799123,"level":"INFO","logger":"app","msg":"hi"}`},
		{JSONOptions{TimeFormat: TimeUnixNano}, `{"time":1711846799123456789,"level":"INFO","logger":"app","msg":"hi"}`},
		{JSONOptions{TimeKey: "ts", LevelKey: "severity", LoggerKey: "name", MessageKey: "message"},
			`{"ts":"2024-03-31T00:59:59.123456789Z","severity":"INFO","name":"app","message":"hi"}`},
		{JSONOptions{MessageKey: `m"`}, `{"time":"2024-03-31T00:59:59.123456789Z","level":"INFO","logger":"app","m\"":"hi"}`},
	} {
		if err := tc.o.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := string(NewJSON(tc.o).Append(nil, r)); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.o, got, tc.want)
		}
	}
	if err := (JSONOptions{TimeFormat: "iso"}).Validate(); err == nil {
		t.Error("Validate accepted time format iso")
	}
}
