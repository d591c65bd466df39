package file

import (
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	goleak.VerifyTestMain(m)
}

// batchOf formats records the way a handler does: each followed by "\n".
func batchOf(msgs ...string) *actors.Batch {
	b := &actors.Batch{}
	for _, m := range msgs {
		b.Buf = append(b.Buf, m...)
		b.Buf = append(b.Buf, '\n')
		b.Ends = append(b.Ends, len(b.Buf))
	}
	return b
}

func mustWrite(t *testing.T, s actors.Sink, msgs ...string) {
	t.Helper()
	b := batchOf(msgs...)
	n, err := s.WriteBatch(b)
	if err != nil || n != b.Len() {
		t.Fatalf("WriteBatch = %d, %v; want %d, nil", n, err, b.Len())
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dirFiles returns the names and contents of the files in dir.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			out[e.Name()] = readFile(t, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// ci reports whether a missing tool must fail the test instead of skipping it.

// childEnv selects a test body to run in a child process (see runChild).
const childEnv = "ACTORLOG_FILE_TEST_CHILD"
