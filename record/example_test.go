package record_test

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/actorlog/actorlog/record"
)

// A record's attributes are walked with the groups they sit in: those a
// logger bound (its Scope) first, then the record's own.
func ExampleRecord_Walk() {
	scope := (*record.Scope)(nil).
		WithAttrs([]slog.Attr{slog.String("svc", "api")}).
		WithGroup("req")
	r := record.Record{Level: record.LevelInfo, Message: "done", Scope: scope}
	r.AddAttrs(slog.String("method", "GET"), slog.Int("status", 200))

	r.Walk(func(path []string, a slog.Attr) bool {
		key := a.Key
		if len(path) > 0 {
			key = strings.Join(path, ".") + "." + key
		}
		fmt.Printf("%s=%v\n", key, a.Value)
		return true
	})
	// Output:
	// svc=api
	// req.method=GET
	// req.status=200
}

// Levels are Python's; slog's levels map onto them.
func ExampleFromSlog() {
	for _, l := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, slog.LevelError + 4} {
		fmt.Println(l, "->", int(record.FromSlog(l)), record.FromSlog(l))
	}
	// Output:
	// DEBUG -> 10 DEBUG
	// INFO -> 20 INFO
	// WARN -> 30 WARNING
	// ERROR -> 40 ERROR
	// ERROR+4 -> 50 CRITICAL
}

// A custom level gets a name as with Python's logging.addLevelName, and
// ParseLevel then accepts it, as it accepts numbers.
func ExampleAddLevelName() {
	const trace record.Level = 5
	record.AddLevelName(trace, "TRACE")
	for _, s := range []string{"TRACE", "WARNING", "25", "warning"} {
		l, ok := record.ParseLevel(s)
		fmt.Println(s, int(l), l, ok)
	}
	// Output:
	// TRACE 5 TRACE true
	// WARNING 30 WARNING true
	// 25 25 Level 25 true
	// warning 0 NOTSET false
}
