package eventlog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

var (
	// ErrInvalidOptions reports option values that cannot work (no AppName,
	// a name with a backslash). Validate joins one error per problem, each
	// naming its field.
	ErrInvalidOptions = errors.New("eventlog: invalid options")
	// ErrUnsupported is returned by New (and Supported) on every system but
	// Windows. It wraps errors.ErrUnsupported.
	ErrUnsupported = fmt.Errorf("eventlog: the Windows event log exists only on Windows: %w", errors.ErrUnsupported)
)

// maxName bounds AppName and LogType: each is a registry key name (at most
// 255 characters).
const maxName = 255

// Type is an event type of the Windows event log.
type Type uint16

// The event types Python's NTEventLogHandler uses (EVENTLOG_*_TYPE).
const (
	Error       Type = 1
	Warning     Type = 2
	Information Type = 4
)

// String returns the type's name.
func (t Type) String() string {
	switch t {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Information:
		return "information"
	}
	return fmt.Sprintf("type(%d)", uint16(t))
}

// TypeOf returns the event type of a level as Python's typemap: DEBUG and
// INFO are Information, WARNING is Warning, ERROR and CRITICAL are Error,
// and every other level is Error (Python's deftype: the map is looked up
// by the exact level number).
func TypeOf(l record.Level) Type {
	switch l {
	case record.LevelDebug, record.LevelInfo:
		return Information
	case record.LevelWarning:
		return Warning
	}
	return Error
}

// Options configure an EventLog sink (Python's NTEventLogHandler). Only
// AppName is required.
type Options struct {
	// AppName is the event source the records are reported under; it is
	// registered at construction, as Python does. At most 255 characters,
	// no backslash.
	AppName string `config:"appname"`
	// DLLName is the message file registered for the source (its
	// EventMessageFile); "" means %SystemRoot%\System32\EventCreate.exe,
	// whose message for every id below 1001 is the record's text. (Python's
	// default, pywin32's win32service.pyd, has no Go counterpart.)
	DLLName string `config:"dllname"`
	// LogType is the log the source is registered in; "" means
	// "Application". At most 255 characters, no backslash.
	LogType string `config:"logtype"`
	// EventID is Python's getMessageID: the event id of a record; nil
	// means 1.
	EventID func(r *record.Record) uint32
	// Category is Python's getEventCategory; nil means 0.
	Category func(r *record.Record) uint16
	// EventType is Python's getEventType; nil means TypeOf(r.Level).
	EventType func(r *record.Record) Type
}

// Validate reports every problem of o, each an error wrapping
// ErrInvalidOptions that names its field. New calls it.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	checkName(p, "AppName", o.AppName, true)
	checkName(p, "LogType", o.LogType, false)
	if strings.ContainsRune(o.DLLName, 0) {
		p.Addf("DLLName", "must not contain NUL")
	}
	return p.Err()
}

func checkName(p *optcheck.Errors, field, v string, required bool) {
	switch {
	case v == "" && required:
		p.Addf(field, "is required")
	case len(v) > maxName:
		p.Addf(field, "must be at most %d bytes (got %d)", maxName, len(v))
	case strings.ContainsAny(v, "\\\x00"):
		p.Addf(field, "must not contain a backslash or NUL (got %q)", v)
	}
}

// event is what one record reports: the hooks' results, or Python's.
func (o *Options) event(r *record.Record) (Type, uint32, uint16) {
	t, id, cat := TypeOf(r.Level), uint32(1), uint16(0)
	if o.EventType != nil {
		t = o.EventType(r)
	}
	if o.EventID != nil {
		id = o.EventID(r)
	}
	if o.Category != nil {
		cat = o.Category(r)
	}
	return t, id, cat
}

func (o *Options) logType() string {
	if o.LogType == "" {
		return "Application"
	}
	return o.LogType
}

func (o *Options) dllName() string {
	if o.DLLName == "" {
		return `%SystemRoot%\System32\EventCreate.exe`
	}
	return o.DLLName
}
