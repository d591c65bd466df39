// Package eventlog is Python's NTEventLogHandler: a sink that reports each
// record to the Windows event log.
//
// # Use
//
//	sink, err := eventlog.New(eventlog.Options{AppName: "myservice"})
//	if err != nil { ... } // on other systems: errors.Is(err, eventlog.ErrUnsupported)
//	h, err := eng.NewHandler("eventlog", sink, actors.HandlerOptions{Level: record.LevelWarning})
//
// New registers AppName as an event source of LogType's log ("Application"
// by default) with DLLName as its message file, as Python's
// win32evtlogutil.AddSourceToRegistry does: the values EventMessageFile
// and TypesSupported (error, warning, information) under
// HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<LogType>\<AppName>.
// Registering needs administrator rights the first time; an "access
// denied" is ignored, as Python ignores it, since the source may have been
// registered by an installer. Close leaves the source registered, as
// Python does.
//
// Each record is one event: its one string is the record formatted by the
// handler's Formatter (no terminator is added), its type is TypeOf the
// record's level (Python's typemap), its id 1 and its category 0 (Python's
// getMessageID and getEventCategory). The hooks EventType, EventID and
// Category replace them, as a Python subclass overrides those methods. A
// record the event log refuses is dropped alone (reason error) and the
// error reported.
//
// # Python parity
//
//   - The typemap is looked up by exact level, as Python's: DEBUG and INFO
//     are Information, WARNING is Warning, ERROR, CRITICAL and every other
//     level (25, 35...) are Error.
//   - The default message file is Windows' EventCreate.exe, whose message
//     for ids 1 to 1000 is the string itself; Python's default is pywin32's
//     win32service.pyd, which has no Go counterpart.
//   - Where Python lacks pywin32 it prints a notice and drops every record
//     silently; actorlog's New returns an error wrapping ErrUnsupported at
//     once, and a config file's check (config.Config.Check) warns about an
//     NTEventLogHandler on a system without the event log.
//   - Python opens and closes the source for every record; the sink keeps
//     one handle open from New to Close.
//
// # Platforms
//
// The event log exists only on Windows (golang.org/x/sys/windows/svc/eventlog
// and the registry). Everywhere else New returns an error wrapping
// ErrUnsupported (itself wrapping errors.ErrUnsupported) and Supported
// says why a config cannot run.
package eventlog
