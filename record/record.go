package record

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// nInline is how many attributes a Record holds without allocating; it covers
// the usual call (slog keeps five inline for the same reason).
const nInline = 5

// Record is one log event as every handler sees it.
//
// Ownership: the caller builds a Record on its own goroutine and posts it; from
// then on the Record (and every slice and Scope it refers to) is immutable and
// may be read by several handler actors at once. Handlers copy it by value into
// their mailbox slots, so the attribute storage beyond the inline array is
// shared and must never be appended to after posting.
type Record struct {
	// Time is when the event happened; the zero Time means "no time" (slog's rule)
	// and formatters omit it.
	Time time.Time
	// Level is the severity in Python's numbering.
	Level Level
	// Logger is the dotted name of the logger that made the record ("" is root).
	Logger string
	// Message is the fully formatted message (Python's getMessage()).
	Message string
	// PC is the program counter of the logging call, or 0 when not captured.
	PC uintptr
	// ErrText is the exception text (Python's exc_text), "" when none.
	ErrText string
	// Stack is the stack text (Python's stack_info), "" when none.
	Stack string
	// Scope holds the attributes and groups added by WithAttrs and WithGroup;
	// the record's own attributes belong inside Scope's open groups. nil means none.
	Scope *Scope
	// Origin, when not nil, describes a record that came from another process
	// (decoded from the wire); it overrides what would be derived from PC and
	// from this process.
	Origin *Origin

	// rel is RelativeCreated of a record whose Origin says so
	// (relInRecord): a Decoder's records share one Origin while their
	// caller, thread and process stay the same, and relativeCreated
	// differs from record to record.
	rel    float64
	nFront int
	front  [nInline]slog.Attr
	back   []slog.Attr
}

// Origin carries the Python LogRecord fields of a record made elsewhere.
type Origin struct {
	Pathname, Filename, Module, FuncName string
	Lineno                               int
	Thread                               int64
	ThreadName                           string
	Process                              int64
	ProcessName                          string
	TaskName                             string
	// RelativeCreated is milliseconds from the sender's logging start to
	// the record. A Decoder leaves it 0 and keeps each record's own in the
	// record (read it with Record.RelativeCreated), so that consecutive
	// records of one sender share their Origin.
	RelativeCreated float64

	relInRecord bool // the record holds RelativeCreated (a Decoder's Origin)
}

// NumAttrs reports how many attributes the record itself holds (not its Scope's).
func (r *Record) NumAttrs() int { return r.nFront + len(r.back) }

// AddAttrs appends attributes to the record. It must not be called once the
// record has been posted.
func (r *Record) AddAttrs(attrs ...slog.Attr) {
	i := 0
	for ; i < len(attrs) && r.nFront < nInline; i++ {
		r.front[r.nFront] = attrs[i]
		r.nFront++
	}
	if i < len(attrs) {
		// Clip so that an append never writes into an array another copy shares.
		r.back = append(r.back[:len(r.back):len(r.back)], attrs[i:]...)
	}
}

// AddAttr appends one attribute; see AddAttrs.
func (r *Record) AddAttr(a slog.Attr) {
	if r.nFront < nInline {
		r.front[r.nFront] = a
		r.nFront++
		return
	}
	r.back = append(r.back[:len(r.back):len(r.back)], a)
}

// Attrs calls f on each of the record's own attributes in order, until f
// returns false.
func (r *Record) Attrs(f func(slog.Attr) bool) {
	for i := 0; i < r.nFront; i++ {
		if !f(r.front[i]) {
			return
		}
	}
	for _, a := range r.back {
		if !f(a) {
			return
		}
	}
}

// AttrSlices returns the record's own attributes, in order, as two slices:
// those held inline, then the rest. They alias the record, which is immutable
// once posted: the caller must not modify them. It is for encoders that want
// neither a call per attribute (Attrs, Walk) nor a copy of each (Attr).
func (r *Record) AttrSlices() (inline, rest []slog.Attr) {
	return r.front[:r.nFront], r.back
}

// Attr returns the record's own i-th attribute, 0 <= i < NumAttrs().
func (r *Record) Attr(i int) slog.Attr {
	if i < r.nFront {
		return r.front[i]
	}
	return r.back[i-r.nFront]
}

// Caller returns where the record was logged: from Origin when the record came
// from elsewhere, else from PC. ok is false when neither is known.
func (r *Record) Caller() (c Caller, ok bool) {
	if r.Origin != nil {
		o := r.Origin
		return Caller{Pathname: o.Pathname, Filename: o.Filename, Module: o.Module, FuncName: o.FuncName, Lineno: o.Lineno}, true
	}
	if r.PC == 0 {
		return Caller{}, false
	}
	frames := runtime.CallersFrames([]uintptr{r.PC})
	f, _ := frames.Next()
	file := filepath.Base(f.File)
	return Caller{
		Pathname: f.File,
		Filename: file,
		Module:   strings.TrimSuffix(file, filepath.Ext(file)),
		FuncName: shortFuncName(f.Function),
		Lineno:   f.Line,
	}, true
}

// Caller is Python's view of where a record was made.
type Caller struct {
	Pathname string // full source path
	Filename string // base name of Pathname
	Module   string // Filename without its extension
	FuncName string // function name without its import path and package
	Lineno   int
}

// shortFuncName turns "github.com/a/b.(*T).M" into "(*T).M" and "main.run" into "run".
func shortFuncName(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.IndexByte(fn, '.'); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

// Process returns the process id and name to report for the record.
func (r *Record) Process() (pid int64, name string) {
	if r.Origin != nil {
		return r.Origin.Process, r.Origin.ProcessName
	}
	return localPID, localProcessName
}

// Thread returns the thread id and name to report. Go has no stable thread
// identity for a goroutine, so a local record reports 0 and "MainThread"
// unless it came from elsewhere.
func (r *Record) Thread() (id int64, name string) {
	if r.Origin != nil {
		return r.Origin.Thread, r.Origin.ThreadName
	}
	return 0, "MainThread"
}

// RelativeCreated returns milliseconds between the start of logging in the
// record's process (for a local record, when this package was initialised) and
// the record's time, as Python's relativeCreated.
func (r *Record) RelativeCreated() float64 {
	if o := r.Origin; o != nil {
		if o.relInRecord {
			return r.rel
		}
		return o.RelativeCreated
	}
	return float64(r.Time.Sub(startTime).Nanoseconds()) / 1e6
}

// startTime is when logging started in this process: the reference point of
// relativeCreated. It is set once, when the package is initialised.
var startTime = time.Now()

var (
	localPID         = int64(os.Getpid())
	localProcessName = "MainProcess"
)
