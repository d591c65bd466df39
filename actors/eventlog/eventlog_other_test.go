//go:build !windows

package eventlog

import (
	"errors"
	"testing"
)

// TestNewIsUnsupportedHere: off Windows, New says so at once (Python
// prints a notice and drops every record), after judging the options.
func TestNewIsUnsupportedHere(t *testing.T) {
	s, err := New(Options{AppName: "app"})
	if s != nil || !errors.Is(err, ErrUnsupported) || !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("New = %v, %v", s, err)
	}
	if err.Error() != `eventlog "app": eventlog: the Windows event log exists only on Windows: unsupported operation` {
		t.Errorf("message %q", err)
	}
	if _, err := New(Options{}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("invalid options: %v", err)
	}
	if !errors.Is(Supported(), ErrUnsupported) {
		t.Fatal("Supported")
	}
}
