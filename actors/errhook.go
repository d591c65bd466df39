package actors

import (
	"io"
	"strconv"
	"sync"
	"time"
)

// ErrorReporter is Python's handleError for actorlog: it writes a handler's
// errors to w (the engine's fallback output, stderr by default) as
//
//	--- Logging error ---
//	handler "file": write logs/app.log: no space left on device
//
// reporting each distinct error at once, and repeats of it at most once per
// Interval with how many were suppressed, so a failing disk cannot flood the
// output. It never fails: errors writing to w are ignored.
type ErrorReporter struct {
	W io.Writer
	// Interval between reports of the same error; default 10 s.
	Interval time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time

	mu   sync.Mutex
	seen map[string]*seenError
}

type seenError struct {
	last       time.Time
	suppressed int
}

// Hook returns the ErrorHook that reports through r.
func (r *ErrorReporter) Hook() ErrorHook { return r.Report }

// Report writes err for handler unless the same error was reported less than
// Interval ago. Safe for concurrent use.
func (r *ErrorReporter) Report(handler string, err error) {
	if r == nil || r.W == nil || err == nil {
		return
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	interval := r.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	key := handler + "\x00" + err.Error()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]*seenError{}
	}
	t := now()
	s := r.seen[key]
	if s != nil && t.Sub(s.last) < interval {
		s.suppressed++
		return
	}
	if s == nil {
		if len(r.seen) > 1000 { // bound memory under errors that vary without end
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
	_, _ = io.WriteString(r.W, msg+"\n")
}
