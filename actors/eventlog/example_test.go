package eventlog_test

import (
	"fmt"

	"github.com/actorlog/actorlog/actors/eventlog"
	"github.com/actorlog/actorlog/record"
)

// The event type of each level, as Python's NTEventLogHandler typemap.
func ExampleTypeOf() {
	for _, l := range []record.Level{record.LevelDebug, record.LevelInfo, record.LevelWarning, record.LevelError, record.LevelCritical, 25} {
		fmt.Println(l, eventlog.TypeOf(l))
	}
	// Output:
	// DEBUG information
	// INFO information
	// WARNING warning
	// ERROR error
	// CRITICAL error
	// Level 25 error
}
