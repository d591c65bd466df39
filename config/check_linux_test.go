package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/internal/testfs"
)

// A device node (made in the test's directory: a character device with
// /dev/null's numbers) is warned about too.
func TestCheckWarnsAboutDevices(t *testing.T) {
	dev := testfs.CharDevice(t, t.TempDir(), "null", 1, 3)
	cfg := mustParse(t, "version: 1\nhandlers:\n  d: {class: FileHandler, filename: "+dev+"}\n")
	ws := cfg.Check()
	if len(ws) != 1 || !strings.HasPrefix(ws[0].Error(), "t.yaml:3:37: handlers.d.filename: "+dev+" is a device") || !errors.Is(ws[0], file.ErrNotRegular) {
		t.Fatalf("warnings %v", ws)
	}
}
