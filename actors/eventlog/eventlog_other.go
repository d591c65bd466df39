//go:build !windows

package eventlog

import (
	"fmt"

	"github.com/actorlog/actorlog/actors"
)

// EventLog is Python's NTEventLogHandler: each record is reported to the
// Windows event log under Options.AppName. On this system it cannot be
// made: New returns ErrUnsupported.
type EventLog struct{}

// New registers o.AppName as an event source and opens it. On this system
// it returns an error wrapping ErrUnsupported (after ErrInvalidOptions for
// invalid options): Python's handler prints a notice and drops every record
// where pywin32 is missing; actorlog refuses at once.
func New(o Options) (*EventLog, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("eventlog %q: %w", o.AppName, err)
	}
	return nil, fmt.Errorf("eventlog %q: %w", o.AppName, ErrUnsupported)
}

// Supported returns nil where New can work (Windows) and ErrUnsupported
// elsewhere, for a config check to say why a config cannot run here.
func Supported() error { return ErrUnsupported }

// WriteBatch is never called: New makes no EventLog here.
func (*EventLog) WriteBatch(*actors.Batch) (int, error) { return 0, ErrUnsupported }

// Close does nothing.
func (*EventLog) Close() error { return nil }
