//go:build !windows

package config

import (
	"errors"
	"testing"

	"github.com/actorlog/actorlog/actors/eventlog"
)

// TestNTEventLogHandlerOffWindows: the class parses with Python's keys;
// check warns that it cannot work here and why; Build fails saying so.
func TestNTEventLogHandlerOffWindows(t *testing.T) {
	cfg := mustParse(t, `version: 1
handlers:
  nt: {class: logging.handlers.NTEventLogHandler, appname: myapp, logtype: Application, dllname: ""}
root: {handlers: [nt]}
`)
	o := cfg.Handlers["nt"].Options.(*eventlog.Options)
	if o.AppName != "myapp" || o.LogType != "Application" {
		t.Fatalf("options %+v", o)
	}
	ws := cfg.Check()
	if len(ws) != 1 || !errors.Is(ws[0], eventlog.ErrUnsupported) ||
		ws[0].Error() != "t.yaml:3:3: handlers.nt: NTEventLogHandler cannot work here: eventlog: the Windows event log exists only on Windows: unsupported operation" {
		t.Fatalf("warnings %v", ws)
	}
	if _, err := Build(cfg, BuildOptions{}); !errors.Is(err, eventlog.ErrUnsupported) || !errors.Is(err, ErrBuild) {
		t.Fatalf("Build: %v", err)
	}
	if _, err := Parse([]byte("version: 1\nhandlers:\n  nt: {class: NTEventLogHandler}\n"), "t.yaml"); err == nil ||
		err.Error() != "t.yaml:3:7: handlers.nt.appname: missing (is required)" {
		t.Fatalf("without appname: %v", err)
	}
}
