//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/internal/testfs"
)

// Check warns about file handlers writing to a FIFO or a directory, at
// their filename, and says nothing of a regular or a missing file.
func TestCheckWarnsAboutNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := testfs.FIFO(t, dir, "fifo")
	if err := os.WriteFile(filepath.Join(dir, "regular.log"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := mustParse(t, `version: 1
handlers:
  pipe: {class: FileHandler, filename: `+fifo+`}
  dir: {class: RotatingFileHandler, maxBytes: 10, filename: `+dir+`}
  ok: {class: WatchedFileHandler, filename: `+filepath.Join(dir, "regular.log")+`}
  new: {class: TimedRotatingFileHandler, filename: `+filepath.Join(dir, "missing", "new.log")+`}
  out: {class: StreamHandler}
`)
	ws := cfg.Check()
	want := []string{
		"t.yaml:4:61: handlers.dir.filename: " + dir + " is a directory: it cannot be opened as a log file",
		"t.yaml:3:40: handlers.pipe.filename: " + fifo + " is a FIFO: ",
	}
	if len(ws) != len(want) {
		t.Fatalf("warnings:\n%v", ws)
	}
	for i, w := range ws {
		if !strings.HasPrefix(w.Error(), want[i]) || strings.HasSuffix(w.Error(), "not a regular file") || !errors.Is(w, file.ErrNotRegular) {
			t.Errorf("warning %d:\n%v\nwant prefix\n%s", i, w, want[i])
		}
	}
}
