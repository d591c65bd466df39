//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/internal/testfs"
)

// check warns about a file handler writing to a FIFO (where Python would
// block) and still exits 0: the config is valid.
func TestCheckWarnsAboutFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := testfs.FIFO(t, dir, "fifo")
	path := filepath.Join(dir, "fifo.yaml")
	writeFile(t, path, "version: 1\nhandlers:\n  f: {class: FileHandler, filename: "+fifo+"}\nroot: {handlers: [f]}\n")
	out, errOut, code := runBin(t, dir, "", "check", "--config", path)
	want := "warning: " + path + ":3:37: handlers.f.filename: " + fifo + " is a FIFO: "
	if code != 0 || !strings.HasPrefix(out, path+": OK\n") || !strings.HasPrefix(errOut, want) {
		t.Fatalf("status %d, stdout %q, stderr %q; want stderr %q...", code, out, errOut, want)
	}
}
