//go:build windows

package eventlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// TestEventLogRegistersAndReports registers a source of the test's own in
// a log of its own (removed afterwards), as Python's AddSourceToRegistry
// does, and reports records of every type through an engine.
func TestEventLogRegistersAndReports(t *testing.T) {
	o := Options{AppName: fmt.Sprintf("actorlog-test-%d", os.Getpid()), LogType: "actorlog-test", DLLName: `%SystemRoot%\System32\EventCreate.exe`}
	var ids []uint32
	o.EventID = func(r *record.Record) uint32 {
		ids = append(ids, uint32(r.Level))
		return uint32(r.Level)
	}
	s, err := New(o)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		t.Skipf("no rights to register an event source: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = registry.DeleteKey(registry.LOCAL_MACHINE, sourceKey(&o))
		_ = registry.DeleteKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\EventLog\`+o.LogType)
	})
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, sourceKey(&o), registry.QUERY_VALUE)
	if err != nil {
		t.Skipf("source not registered (access denied was ignored): %v", err)
	}
	msgFile, _, err1 := k.GetStringValue("EventMessageFile")
	types, _, err2 := k.GetIntegerValue("TypesSupported")
	k.Close()
	if err1 != nil || err2 != nil || msgFile != o.DLLName || types != 7 {
		t.Fatalf("registered %q %d (%v, %v)", msgFile, types, err1, err2)
	}
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	h, err := eng.NewHandler("eventlog", s, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("app")
	l.SetLevel(record.LevelDebug)
	l.AddHandler(h)
	for _, lv := range []record.Level{record.LevelDebug, record.LevelWarning, record.LevelError, 25} {
		l.Log(lv, "Test Log Message")
	}
	if err := eng.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, _ := eng.Stats().ForHandler("eventlog")
	if st.Written != 4 || st.DroppedTotal() != 0 || len(ids) != 4 {
		t.Fatalf("stats %+v, ids %v", st, ids)
	}
}
