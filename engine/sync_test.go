package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/record"
)

// TestSyncAndReopen: Sync returns once the records are in the file (and
// fsynced); Reopen after an external rename sends later records to a new
// file at the original path, as after logrotate and SIGHUP.
func TestSyncAndReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	sink, err := file.New(file.Options{Filename: path})
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{})
	h, err := e.NewHandler("file", sink, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	l.Log(record.LevelError, "before rotation")
	if err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "before rotation\n" {
		t.Fatalf("after Sync the file holds %q", got)
	}
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := e.Reopen(context.Background()); err != nil {
		t.Fatal(err)
	}
	l.Log(record.LevelError, "after rotation")
	flush(t, e)
	if got := readString(t, path); got != "after rotation\n" {
		t.Fatalf("new file holds %q", got)
	}
	if got := readString(t, path+".1"); got != "before rotation\n" {
		t.Fatalf("rotated file holds %q", got)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
