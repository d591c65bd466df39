package engine

import (
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

// TestDiskFullIsCountedAndReportedOnce writes through a File handler on
// /dev/full, where every write fails with ENOSPC: no panic, no spin, every
// record counted as dropped (error), and the error reported once, not once
// per record.
func TestDiskFullIsCountedAndReportedOnce(t *testing.T) {
	sink, err := file.New(file.Options{Filename: "/dev/full"})
	if err != nil {
		t.Skipf("/dev/full: %v", err)
	}
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{ErrorOutput: errOut})
	h, err := e.NewHandler("full", sink, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	for i := 0; i < 100; i++ {
		l.Log(record.LevelError, "lost to a full disk")
		if i%10 == 0 {
			flush(t, e)
		}
	}
	flush(t, e)
	st, _ := e.Stats().ForHandler("full")
	if st.Written != 0 || st.Dropped["error"] != 100 || st.InFlight != 0 || st.Restarts != 0 {
		t.Fatalf("stats %+v", st)
	}
	out := errOut.String()
	if n := strings.Count(out, "--- Logging error ---"); n != 1 || !strings.Contains(out, "no space left on device") {
		t.Fatalf("error output (%d reports):\n%s", n, out)
	}
}
