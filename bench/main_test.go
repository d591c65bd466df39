package bench

import (
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// Every logger here writes RFC 3339 timestamps with nanoseconds, as
	// slog's JSONHandler and actorlog's JSON formatter do. zerolog keeps the
	// format in a package variable; this is the only place that sets it.
	zerolog.TimeFieldFormat = time.RFC3339Nano
	// lumberjack starts a goroutine at its first rotation that nothing stops
	// (its issue #56); everything else must be gone at the end.
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("gopkg.in/natefinch/lumberjack%2ev2.(*Logger).millRun"))
}
