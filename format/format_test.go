package format

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

func TestGroupOfEmpties(t *testing.T) {
	r := &record.Record{Level: record.LevelInfo, Message: "m"}
	r.AddAttrs(slog.Group("g", slog.Any("", nil)), slog.Int("a", 1))
	r.Scope = (*record.Scope)(nil).WithGroup("s")
	if got, want := string(NewJSON(JSONOptions{}).Append(nil, r)), `{"level":"INFO","msg":"m","s":{"a":1}}`; got != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
	if got, want := string(NewLogfmt(LogfmtOptions{}).Append(nil, r)), `level=INFO msg=m s.a=1`; got != want {
		t.Errorf("logfmt\n got %s\nwant %s", got, want)
	}
}

func TestJSONOddValues(t *testing.T) {
	var nilErr *myErr
	r := &record.Record{Level: 33, Message: "m"}
	r.AddAttrs(slog.Any("nilerr", nilErr), slog.Any("ch", make(chan int)), slog.Any("panics", panicker{}))
	got := string(NewJSON(JSONOptions{}).Append(nil, r))
	want := `{"level":"Level 33","msg":"m","nilerr":"<nil>","ch":"!ERROR:json: unsupported type: chan int","panics":"!PANIC: boom"}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	got = string(NewLogfmt(LogfmtOptions{}).Append(nil, r))
	if !strings.HasPrefix(got, `level="Level 33" msg=m nilerr=<nil> ch=0x`) || !strings.HasSuffix(got, `panics="!PANIC: boom"`) {
		t.Errorf("logfmt: %s", got)
	}
}

type myErr struct{ s string }

func (e *myErr) Error() string { return e.s }

type panicker struct{}

func (panicker) MarshalJSON() ([]byte, error) { panic("boom") }
func (panicker) MarshalText() ([]byte, error) { panic("boom") }
func (panicker) String() string               { panic("boom") }

func TestLocationOption(t *testing.T) {
	r := &record.Record{Time: time.Date(2024, 7, 1, 12, 0, 0, 0, berlin), Level: record.LevelInfo, Message: "m"}
	if got := string(NewJSON(JSONOptions{Location: time.UTC}).Append(nil, r)); !strings.HasPrefix(got, `{"time":"2024-07-01T10:00:00Z"`) {
		t.Errorf("JSON: %s", got)
	}
	if got := string(NewLogfmt(LogfmtOptions{Location: time.UTC}).Append(nil, r)); !strings.HasPrefix(got, `time=2024-07-01T10:00:00.000Z `) {
		t.Errorf("logfmt: %s", got)
	}
}

func TestNewPythonErrors(t *testing.T) {
	for _, tc := range []struct {
		fmt   string
		style Style
		want  string
	}{
		{"no fields", StylePercent, "no %(key) field"},
		{"%s %(message)s", StylePercent, "has no (key)"},
		{"%(message)s %", StylePercent, "incomplete format"},
		{"%(message", StylePercent, "incomplete format key"},
		{"%(message)q", StylePercent, "unsupported format character 'q'"},
		{"%(message)*d", StylePercent, "* width"},
		{"%(message).*d", StylePercent, "* precision"},
		{"%(a-b)s", StylePercent, "no %(key) field"},
		{"%(message)%", StylePercent, "unsupported format character '%'"},
		{"{message", StyleBrace, "expected '}'"},
		{"message}", StyleBrace, "single '}'"},
		{"{0}", StyleBrace, "invalid field name"},
		{"{}", StyleBrace, "invalid field name"},
		{"{a[0]}", StyleBrace, "invalid field name"}, // {a.b} is the attribute b in group a
		{"{message!x}", StyleBrace, "invalid conversion"},
		{"{message:{w}}", StyleBrace, "nested field"},
		{"{message:Q}", StyleBrace, "bad specifier"},
		{"{{}}", StyleBrace, "no fields"},
		{"$", StyleDollar, "bare '$'"},
		{"${message", StyleDollar, "bare '$'"},
		{"$$", StyleDollar, "no fields"},
	} {
		_, err := NewPython(tc.fmt, PythonOptions{Style: tc.style})
		if err == nil {
			t.Errorf("NewPython(%q, %c) succeeded", tc.fmt, tc.style)
			continue
		}
		if !errors.Is(err, ErrInvalidFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewPython(%q, %c) = %v, want ErrInvalidFormat mentioning %q", tc.fmt, tc.style, err, tc.want)
		}
	}
}

func TestPythonOptionsValidate(t *testing.T) {
	for _, st := range []Style{0, StylePercent, StyleBrace, StyleDollar} {
		if err := (PythonOptions{Style: st}).Validate(); err != nil {
			t.Errorf("Style %q: %v", rune(st), err)
		}
	}
	opts := PythonOptions{Style: Style('x')}
	err := opts.Validate()
	fields := optcheck.Fields(err)
	if !errors.Is(err, ErrInvalidOptions) || len(fields) != 1 || fields[0].Field != "Style" ||
		!strings.Contains(err.Error(), "unknown style 'x'") {
		t.Fatalf("Validate = %v (fields %v), want one ErrInvalidOptions for Style naming 'x'", err, fields)
	}
	p, err := NewPython("%(message)s", opts)
	if p != nil || !errors.Is(err, ErrInvalidOptions) || errors.Is(err, ErrInvalidFormat) {
		t.Errorf("NewPython with an unknown style = %v, %v; want nil and ErrInvalidOptions only", p, err)
	}
	if got, want := err.Error(), "format: invalid options: Style: unknown style 'x' (want '%', '{' or '$')"; got != want {
		t.Errorf("error\n got %s\nwant %s", got, want)
	}
}

func TestDefault(t *testing.T) {
	if Default() != Default() {
		t.Error("Default returns a new formatter on each call")
	}
	r := &record.Record{Time: winter, Level: record.LevelError, Logger: "app", Message: "m", ErrText: "E", Stack: "S"}
	r.AddAttrs(slog.Int("a", 1))
	if got, want := string(Default().Append(nil, r)), "m\nE\nS"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPythonMarkers(t *testing.T) {
	r := &record.Record{Time: winter, Level: record.LevelInfo, Message: "m"}
	r.AddAttrs(slog.String("s", "abc"), slog.Float64("f", 1.5), slog.Float64("nan", math.NaN()),
		slog.Group("", slog.String("inl", "I")), slog.Any("nil", nil), slog.Group("grp", slog.Int("a", 1), slog.String("b", "x")),
		slog.Duration("d", time.Second), slog.Time("t", time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)),
		slog.Any("err", errors.New("bad")), slog.Uint64("u", math.MaxUint64))
	for _, tc := range []struct{ fmt, want string }{
		{"%(missing)s|%(message)s", "%!(MISSING missing)|m"},
		{"%(s)d", "%!d(str='abc')"},
		{"%(f)x", "%!x(float=1.5)"},
		{"%(nan)d", "%!d(float=nan)"},
		{"%(s)c", "%!c(str='abc')"},
		{"%(s)f", "%!f(str='abc')"},
		{"%(inl)s", "I"},
		{"%(nil)s %(nil)r", "None None"},
		{"%(grp)s", "{'a': 1, 'b': 'x'}"},
		{"%(d)s %(t)s", "1s 2024-01-02 03:04:05.000006+00:00"},
		{"%(err)s %(err)r", "bad 'bad'"},
		{"%(u)d %(u)x %(u)s", "18446744073709551615 ffffffffffffffff 18446744073709551615"},
		{"%(message)s %(exc_text)s %(taskName)s", "m None None"},
	} {
		p, err := NewPython(tc.fmt, PythonOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(p.Append(nil, r)); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.fmt, got, tc.want)
		}
	}
	// Missing in the brace and dollar styles too.
	for _, s := range []struct {
		style Style
		fmt   string
	}{{StyleBrace, "{missing}"}, {StyleDollar, "$missing"}, {StyleBrace, "{missing:>4}"}} {
		p := MustPython(s.fmt, PythonOptions{Style: s.style})
		if got := string(p.Append(nil, r)); got != "%!(MISSING missing)" {
			t.Errorf("%q: got %q", s.fmt, got)
		}
	}
}

func TestPythonCallerFromPC(t *testing.T) {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	r := &record.Record{Time: winter, Level: record.LevelInfo, Message: "m", PC: pcs[0]}
	p := MustPython("%(filename)s %(module)s %(funcName)s %(lineno)d", PythonOptions{})
	got := string(p.Append(nil, r))
	if !strings.HasPrefix(got, "format_test.go format_test TestPythonCallerFromPC ") {
		t.Errorf("got %q", got)
	}
}

func TestUTCOption(t *testing.T) {
	r := &record.Record{Time: winter, Level: record.LevelInfo, Message: "m"}
	p := MustPython("%(asctime)s", PythonOptions{UTC: true, Location: berlin})
	if got := string(p.Append(nil, r)); got != "2024-01-15 09:20:30,123" {
		t.Errorf("got %q", got)
	}
	p = MustPython("%(asctime)s", PythonOptions{Datefmt: "%H:%M %Z %z"})
	want := string(strftime(nil, "%H:%M %Z %z", time.Unix(winter.Unix(), 0).In(time.Local)))
	if got := string(p.Append(nil, r)); got != want {
		t.Errorf("Location nil: got %q, want %q (time.Local)", got, want)
	}
}

func TestPyFloatRepr(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", 1: "1.0", -2.5: "-2.5", 1e16: "1e+16", 1e15: "1000000000000000.0",
		1e-4: "0.0001", 1e-5: "1e-05", 123456789.125: "123456789.125", 1.5e300: "1.5e+300",
		math.Inf(1): "inf", math.Inf(-1): "-inf", math.NaN(): "nan", 0.1: "0.1", 5e-324: "5e-324",
	} {
		if got := string(appendPyFloatRepr(nil, f)); got != want {
			t.Errorf("repr(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestExceptionNewlines(t *testing.T) {
	p := MustPython("%(message)s", PythonOptions{})
	for _, tc := range []struct {
		msg, exc, stack, want string
	}{
		{"m", "E", "S", "m\nE\nS"},
		{"m\n", "E\n", "S", "m\nE\nS"},
		{"", "E", "", "\nE"},
		{"", "", "S", "\nS"},
		{"m", "", "", "m"},
	} {
		r := &record.Record{Message: tc.msg, ErrText: tc.exc, Stack: tc.stack}
		if got := string(p.Append([]byte("prefix"), r)); got != "prefix"+tc.want {
			t.Errorf("%+v: got %q", tc, got)
		}
	}
}

func TestCustomLevelNameEscaped(t *testing.T) {
	const odd record.Level = 77
	record.AddLevelName(odd, "BAD \"LEVEL\"")
	r := &record.Record{Level: odd, Message: "m"}
	if got, want := string(NewJSON(JSONOptions{}).Append(nil, r)), `{"level":"BAD \"LEVEL\"","msg":"m"}`; got != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
	if got, want := string(NewLogfmt(LogfmtOptions{}).Append(nil, r)), `level="BAD \"LEVEL\"" msg=m`; got != want {
		t.Errorf("logfmt\n got %s\nwant %s", got, want)
	}
}

// TestConcurrentUse formats the golden records from several goroutines at
// once, through one shared formatter of each kind whose caches start empty,
// and checks every output against what another formatter of the same kind
// writes for the record on one goroutine. Run under -race, it also checks
// that Append only reads shared state.
func TestConcurrentUse(t *testing.T) {
	seq := benchFormatters(t)
	want := map[string][][]byte{}
	for name, f := range seq {
		for _, g := range goldenRecords {
			want[name] = append(want[name], f.Append(nil, g.record()))
		}
	}

	const workers = 4
	shared := benchFormatters(t)
	runTogether(t, workers, func(w int) string {
		var buf []byte
		for i := range goldenRecords {
			// Each worker takes the records in its own order, so that the
			// workers write different seconds and Scopes at once.
			k := (i + w*len(goldenRecords)/workers) % len(goldenRecords)
			r := goldenRecords[k].record()
			for name, f := range shared {
				buf = f.Append(buf[:0], r)
				if !bytes.Equal(buf, want[name][k]) {
					return fmt.Sprintf("%s, record %s: concurrent output differs\n got %s\nwant %s",
						name, goldenRecords[k].name, buf, want[name][k])
				}
			}
		}
		return ""
	})
}

// runTogether runs work on n goroutines, released at once, and reports every
// non-empty message they return.
func runTogether(t *testing.T, n int, work func(w int) string) {
	t.Helper()
	start := make(chan struct{})
	errs := make(chan string, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if e := work(w); e != "" {
				errs <- e
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
