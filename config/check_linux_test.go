package config

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/actorlog/actorlog/actors/file"
)

// A device node (made in the test's directory: a character device with
// /dev/null's numbers) is warned about too.
func TestCheckWarnsAboutDevices(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o600, 1<<8|3); err != nil {
		t.Skipf("cannot make a device node: %v", err)
	}
	cfg := mustParse(t, "version: 1\nhandlers:\n  d: {class: FileHandler, filename: "+dev+"}\n")
	ws := cfg.Check()
	if len(ws) != 1 || !strings.HasPrefix(ws[0].Error(), "t.yaml:3:37: handlers.d.filename: "+dev+" is a device") || !errors.Is(ws[0], file.ErrNotRegular) {
		t.Fatalf("warnings %v", ws)
	}
}
