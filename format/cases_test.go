package format

import (
	"errors"
	"log/slog"
	"math"
	"time"

	"github.com/actorlog/actorlog/record"
)

// This file is the one table of golden records shared by every formatter's
// tests: the Python formatter compares against logging.Formatter's output
// (testdata/python_golden.json), JSON and logfmt against slog's handlers.

// levelNotice is a custom level registered (in TestMain) as Python's
// addLevelName would.
const levelNotice record.Level = 25

// scopeStep is one WithAttrs (attrs) or WithGroup (group) call.
type scopeStep struct {
	group string
	attrs []slog.Attr
}

// goldenRecord describes a record declaratively, so that the same event can
// be built as a record.Record and replayed through slog's handlers.
type goldenRecord struct {
	name    string
	time    time.Time
	level   record.Level
	logger  string
	msg     string
	attrs   []slog.Attr
	scope   []scopeStep
	errText string
	stack   string
	origin  *record.Origin
}

func (g goldenRecord) record() *record.Record {
	r := &record.Record{Time: g.time, Level: g.level, Logger: g.logger, Message: g.msg,
		ErrText: g.errText, Stack: g.stack, Origin: g.origin}
	var s *record.Scope
	for _, st := range g.scope {
		if st.attrs != nil {
			s = s.WithAttrs(st.attrs)
		} else {
			s = s.WithGroup(st.group)
		}
	}
	r.Scope = s
	r.AddAttrs(g.attrs...)
	return r
}

// slogRecord and slogHandler replay the event through a slog handler.
func (g goldenRecord) slogRecord() slog.Record {
	r := slog.NewRecord(g.time, g.level.Slog(), g.msg, 0)
	r.AddAttrs(g.attrs...)
	return r
}

func (g goldenRecord) slogHandler(h slog.Handler) slog.Handler {
	for _, st := range g.scope {
		if st.attrs != nil {
			h = h.WithAttrs(st.attrs)
		} else {
			h = h.WithGroup(st.group)
		}
	}
	return h
}

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// redacted is a LogValuer.
type redacted string

func (redacted) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// point is a LogValuer that expands into a group.
type point struct{ X, Y int }

func (p point) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("x", p.X), slog.Int("y", p.Y))
}

// marshaler is a json.Marshaler and an encoding.TextMarshaler.
type marshaler struct{}

func (marshaler) MarshalJSON() ([]byte, error) { return []byte(`{"custom":true}`), nil }
func (marshaler) MarshalText() ([]byte, error) { return []byte("custom text"), nil }

var (
	winter = time.Date(2024, 1, 15, 10, 20, 30, 123456789, berlin)
	origin = &record.Origin{
		Pathname: "/srv/app/worker.py", Filename: "worker.py", Module: "worker",
		FuncName: "handle", Lineno: 42, Thread: 140234567890123, ThreadName: "Worker-1",
		Process: 4242, ProcessName: "SpawnProcess-1", TaskName: "Task-7",
		RelativeCreated: 1234.5678,
	}
	traceback = "Traceback (most recent call last):\n  File \"/srv/app/worker.py\", line 42, in handle\n    1/0\nZeroDivisionError: division by zero"
	stackText = "Stack (most recent call last):\n  File \"/srv/app/main.py\", line 7, in <module>\n    run()"
)

// pyExtras are the attributes the Python format strings name.
var pyExtras = []slog.Attr{
	slog.String("user", "alice"), slog.Int("count", 7), slog.Float64("ratio", 0.125),
	slog.Bool("ok", true), slog.Int("neg", -42), slog.String("quote", "it's \"x\"\n"),
}

var goldenRecords = []goldenRecord{
	{name: "basic", time: winter, level: record.LevelInfo, logger: "app", msg: "hello world",
		attrs: []slog.Attr{slog.String("s", "v"), slog.Int("n", 3), slog.Float64("f", 1.5), slog.Bool("b", true)}},
	{name: "root-debug", time: winter.Add(time.Second), level: record.LevelDebug, msg: "debugging"},
	{name: "warning-unicode", time: winter, level: record.LevelWarning, logger: "app.db.pool",
		msg: "héllo wörld ✓ 日本語 😀"},
	{name: "error-traceback", time: winter, level: record.LevelError, logger: "app.worker",
		msg: "line one\nline two\ttabbed", errText: traceback},
	{name: "critical-stack", time: winter, level: record.LevelCritical, logger: "app",
		msg: "fatal", errText: traceback + "\n", stack: stackText},
	{name: "empty-msg-exc", time: winter, level: record.LevelError, msg: "", errText: traceback},
	{name: "custom-level", time: winter, level: levelNotice, logger: "audit", msg: "notice me"},
	{name: "unnamed-level", time: winter, level: 15, logger: "trace", msg: "fine detail"},
	{name: "trace-level", time: winter, level: record.LevelTrace, logger: "trace", msg: "slog TRACE"},
	{name: "percent-quotes", time: winter, level: record.LevelInfo, logger: "q",
		msg: `100% "double" 'single' \back %(name)s {name} $name`},
	{name: "dst-spring-last-ns", time: time.Date(2024, 3, 31, 0, 59, 59, 999999999, time.UTC),
		level: record.LevelInfo, logger: "dst", msg: "created rounds up into the next second"},
	{name: "dst-spring-after", time: time.Date(2024, 3, 31, 1, 0, 0, 1000000, time.UTC),
		level: record.LevelInfo, logger: "dst", msg: "first millisecond of summer time"},
	{name: "dst-autumn-cest", time: time.Date(2024, 10, 27, 0, 30, 0, 500000000, time.UTC),
		level: record.LevelInfo, logger: "dst", msg: "02:30 CEST"},
	{name: "dst-autumn-cet", time: time.Date(2024, 10, 27, 1, 30, 0, 999000000, time.UTC),
		level: record.LevelInfo, logger: "dst", msg: "02:30 CET"},
	{name: "before-epoch", time: time.Date(1969, 12, 31, 23, 59, 58, 250000000, time.UTC),
		level: record.LevelWarning, logger: "old", msg: "before 1970"},
	{name: "extras", time: winter, level: record.LevelInfo, logger: "app.extra", msg: "with extras",
		attrs: pyExtras},
	{name: "origin", time: winter, level: record.LevelWarning, logger: "remote.worker",
		msg: "from the wire", origin: origin, attrs: pyExtras[:2]},
	{name: "all-kinds", time: winter, level: record.LevelInfo, logger: "kinds", msg: "every kind",
		attrs: []slog.Attr{
			slog.String("str", "a b=c \"d\""), slog.String("empty", ""),
			slog.Int64("int", math.MinInt64), slog.Uint64("uint", math.MaxUint64),
			slog.Float64("float", 1e-7), slog.Float64("big", 1e21), slog.Float64("third", 1.0/3),
			slog.Bool("false", false), slog.Duration("dur", 1500*time.Millisecond),
			slog.Time("when", time.Date(2023, 5, 6, 7, 8, 9, 10, time.UTC)),
			slog.Any("err", errors.New("boom")), slog.Any("nil", nil),
			slog.Any("slice", []int{1, 2}), slog.Any("map", map[string]int{"k": 1}),
			slog.Any("marshaler", marshaler{}), slog.Any("bytes", []byte("hi\n")),
			slog.Any("secret", redacted("x")), slog.Any("pt", point{1, 2}),
			slog.Group("grp", slog.String("a", "1"), slog.Group("inner", slog.Int("b", 2))),
			slog.Group("emptygrp"), slog.Group("", slog.String("inlined", "yes")),
			{}, slog.String("unicode key ✓", "ü\u2028\x01"), slog.String("tab\tkey", "v"),
			// Last on purpose: slog (as of Go 1.26) drops such a group but
			// keeps its state, losing the next comma (JSON) or keeping its
			// key prefix (text); we write the next attribute correctly
			// (see TestGroupOfEmpties).
			slog.Group("onlyempty", slog.Any("", nil)),
		}},
	{name: "scope", time: winter, level: record.LevelInfo, logger: "scoped", msg: "scoped",
		scope: []scopeStep{
			{attrs: []slog.Attr{slog.Int("a", 1), slog.Any("lv", redacted("y"))}},
			{group: "g"},
			{attrs: []slog.Attr{slog.Int("b", 2)}},
			{group: "h"},
		},
		attrs: []slog.Attr{slog.Int("c", 3), slog.Group("d", slog.Int("e", 4))}},
	{name: "scope-empty-group", time: winter, level: record.LevelInfo, logger: "scoped", msg: "nothing in g",
		scope: []scopeStep{{attrs: []slog.Attr{slog.Int("a", 1)}}, {group: "g"}, {group: "h"}}},
	{name: "scope-empty-attrs", time: winter, level: record.LevelInfo, msg: "g holds only empties",
		scope: []scopeStep{{group: "g"}},
		attrs: []slog.Attr{{}, slog.Group("e")}},
	{name: "nonfinite", time: winter, level: record.LevelInfo, msg: "nonfinite",
		attrs: []slog.Attr{slog.Float64("nan", math.NaN()), slog.Float64("inf", math.Inf(1)), slog.Float64("ninf", math.Inf(-1))}},
	{name: "zero-time", level: record.LevelInfo, logger: "z", msg: "no time"},
}
