package mail

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// batchOf formats messages the way a handler does by default: each
// followed by "\n", with its record.
func batchOf(msgs ...string) *actors.Batch {
	b := &actors.Batch{}
	for _, m := range msgs {
		b.Buf = append(b.Buf, m...)
		b.Buf = append(b.Buf, '\n')
		b.Ends = append(b.Ends, len(b.Buf))
		b.Records = append(b.Records, &record.Record{Message: m, Level: record.LevelError, Logger: "app"})
	}
	return b
}

// opts returns options for the test server ts, one recipient.
func opts(ts *testServer) Options {
	return Options{
		Mailhost: []string{ts.host, ts.port},
		Fromaddr: "me@example.com",
		Toaddrs:  []string{"you@example.com"},
		Subject:  "Log",
	}
}

func newSMTP(t testing.TB, o Options) *SMTP {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newEngine returns an engine shut down when the test ends; its error
// output is discarded (the tests read its stats).
func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	e := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = e.Shutdown(ctx)
	})
	return e
}

func flush(t *testing.T, e *engine.Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// header returns the value of the header name in a received mail.
func header(t *testing.T, data, name string) string {
	t.Helper()
	hdr, _ := headers(data)
	for _, h := range hdr {
		if k, v, ok := strings.Cut(h, ": "); ok && k == name {
			return v
		}
	}
	t.Fatalf("no %s header in %q", name, data)
	return ""
}
