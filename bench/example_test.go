package bench_test

import (
	"log/slog"
	"os"
	"time"

	"github.com/actorlog/actorlog/bench"
)

func ExampleChanLogger() {
	l := bench.NewChanLogger(os.Stdout, bench.ChanOptions{
		Now: func() time.Time { return time.Date(2024, 3, 31, 2, 59, 59, 0, time.UTC) },
	})
	l.Log(slog.LevelInfo, "request handled", slog.String("path", "/api"), slog.Int("status", 200))
	if err := l.Close(); err != nil {
		panic(err)
	}
	// Output:
	// {"time":"2024-03-31T02:59:59Z","level":"INFO","msg":"request handled","path":"/api","status":200}
}
