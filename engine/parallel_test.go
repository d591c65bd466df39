package engine

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// seqFormatter writes a record's message; it panics on "panic..." messages
// and holds "hold" until released.
type seqFormatter struct {
	release chan struct{}
}

func (f *seqFormatter) Append(dst []byte, r *record.Record) []byte {
	switch {
	case r.Message == "hold":
		<-f.release
	case strings.HasPrefix(r.Message, "panic"):
		panic("bad record " + r.Message)
	}
	return append(dst, r.Message...)
}

// TestLargeBatchesKeepOrderFiltersAndPanics holds the handler while 3000
// records queue up, so that they arrive in batches large enough to be
// formatted in parts on several goroutines (package actors checks that they are), and
// checks that the output keeps their order, drops what the filter rejects
// and shows formatter panics in place.
func TestLargeBatchesKeepOrderFiltersAndPanics(t *testing.T) {
	const n = 3000
	e := newEngine(t, Options{})
	f := &seqFormatter{release: make(chan struct{})}
	h, out := addStream(t, e, "big", actors.HandlerOptions{
		Formatter: f,
		Filters:   []filter.Filter{filter.Func(func(r *record.Record) bool { return !strings.HasSuffix(r.Message, "7") })},
		Mailbox:   mailbox.Options{Capacity: n + 1, MaxBatch: 1024},
	})
	l := e.Logger("")
	l.AddHandler(h)
	l.Log(record.LevelError, "hold") // the actor waits in the formatter
	want := "hold\n"
	var b strings.Builder
	for i := 0; i < n; i++ {
		msg := strconv.Itoa(i)
		if i%500 == 250 {
			msg = "panic" + msg
		}
		l.Log(record.LevelError, msg)
		switch {
		case strings.HasSuffix(msg, "7"):
		case strings.HasPrefix(msg, "panic"):
			fmt.Fprintf(&b, "!FORMAT-PANIC(bad record %s) %s\n", msg, msg)
		default:
			b.WriteString(msg + "\n")
		}
	}
	want += b.String()
	close(f.release)
	flush(t, e)
	if got := out.String(); got != want {
		t.Fatalf("output differs: got %d bytes, want %d", len(got), len(want))
	}
	st, _ := e.Stats().ForHandler("big")
	if st.Written+st.Filtered != n+1 || st.Errors != 6 {
		t.Fatalf("stats %+v", st)
	}
}
