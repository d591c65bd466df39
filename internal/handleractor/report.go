package handleractor

import (
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/actorlog/actorlog/clock"
)

// reportInterval is the least time between two reports of the same error.
const reportInterval = 10 * time.Second

// maxSeen bounds the errors an ErrorReporter remembers, under errors that
// vary without end.
const maxSeen = 1000

// ErrorReporter is Python's handleError for actorlog: it writes a handler's
// errors to an io.Writer (the engine's error output, stderr by default) as
//
//	--- Logging error ---
//	handler "file": write logs/app.log: no space left on device
//
// reporting each distinct error at once, and repeats of it at most once per
// 10 s with how many were suppressed, so that a failing disk cannot flood
// the output. It never fails: errors writing to w are ignored. Safe for
// concurrent use; a nil *ErrorReporter discards everything.
type ErrorReporter struct {
	w     io.Writer
	clock clock.Clock

	mu   sync.Mutex
	seen map[string]*seenError
}

type seenError struct {
	last       time.Time
	suppressed int
}

// NewErrorReporter returns a reporter writing to w, timed by c (nil means
// clock.System()).
func NewErrorReporter(w io.Writer, c clock.Clock) *ErrorReporter {
	return &ErrorReporter{w: w, clock: clock.Or(c), seen: map[string]*seenError{}}
}

// Report writes err for handler unless the same error was reported less than
// 10 s ago. It is an ErrorHook.
func (r *ErrorReporter) Report(handler string, err error) {
	if r == nil || r.w == nil || err == nil {
		return
	}
	key := handler + "\x00" + err.Error()
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.clock.Now()
	s := r.seen[key]
	if s != nil && t.Sub(s.last) < reportInterval {
		s.suppressed++
		return
	}
	if s == nil {
		if len(r.seen) >= maxSeen {
			clear(r.seen)
		}
		s = &seenError{}
		r.seen[key] = s
	}
	msg := "--- Logging error ---\nhandler " + strconv.Quote(handler) + ": " + err.Error()
	if s.suppressed > 0 {
		msg += " (repeated " + strconv.Itoa(s.suppressed) + " more times)"
	}
	s.last, s.suppressed = t, 0
	_, _ = io.WriteString(r.w, msg+"\n")
}
