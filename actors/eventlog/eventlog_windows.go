//go:build windows

package eventlog

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
	winlog "golang.org/x/sys/windows/svc/eventlog"

	"github.com/actorlog/actorlog/actors"
)

// EventLog is Python's NTEventLogHandler: each record is reported to the
// Windows event log under Options.AppName, with the event type, id and
// category of Options' hooks (Python's typemap, 1 and 0 by default) and the
// formatted record as its one string.
type EventLog struct {
	o   Options
	log *winlog.Log
}

// New registers o.AppName as an event source in o.LogType's log with
// o.DLLName as its message file, as Python's AddSourceToRegistry does (an
// "access denied" from the registry is ignored, as Python ignores it: the
// source may exist already), and opens it.
func New(o Options) (*EventLog, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("eventlog %q: %w", o.AppName, err)
	}
	if err := register(&o); err != nil && !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		return nil, fmt.Errorf("eventlog %q: register the source: %w", o.AppName, err)
	}
	l, err := winlog.Open(o.AppName)
	if err != nil {
		return nil, fmt.Errorf("eventlog %q: %w", o.AppName, err)
	}
	return &EventLog{o: o, log: l}, nil
}

// sourceKey is the registry key of an event source.
func sourceKey(o *Options) string {
	return `SYSTEM\CurrentControlSet\Services\EventLog\` + o.logType() + `\` + o.AppName
}

// register is pywin32's AddSourceToRegistry: EventMessageFile and
// TypesSupported (error, warning and information) under the source's key.
func register(o *Options) error {
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, sourceKey(o), registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	if err := k.SetExpandStringValue("EventMessageFile", o.dllName()); err != nil {
		return err
	}
	return k.SetDWordValue("TypesSupported", uint32(Error|Warning|Information))
}

// Supported returns nil where New can work (Windows) and ErrUnsupported
// elsewhere.
func Supported() error { return nil }

// WriteBatch reports each record as one event. A record the event log
// refuses is given up alone (reason error) and the rest go on.
func (s *EventLog) WriteBatch(b *actors.Batch) (int, error) {
	for i, r := range b.Records {
		t, id, cat := s.o.event(r)
		msg := strings.ReplaceAll(string(b.Record(i)), "\x00", `\x00`)
		p, err := windows.UTF16PtrFromString(msg)
		if err == nil {
			err = windows.ReportEvent(s.log.Handle, uint16(t), cat, id, 0, 1, 0, &p, nil)
		}
		if err != nil {
			b.Fail(i, "", fmt.Errorf("eventlog %q: report: %w", s.o.AppName, err))
		}
	}
	return b.Len(), nil
}

// Close closes the source's handle. The registered source is left in the
// registry, as Python leaves it.
func (s *EventLog) Close() error { return s.log.Close() }
