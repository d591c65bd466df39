package config

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigSizeBound(t *testing.T) {
	big := []byte("version: 1\n#" + strings.Repeat("x", MaxSize) + "\n")
	_, err := Parse(big, "big.yaml")
	if err == nil || err.Error() != "big.yaml: config file is larger than 4 MiB" || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	// Exactly MaxSize is read.
	ok := []byte("version: 1\n#" + strings.Repeat("x", MaxSize-13) + "\n")
	if len(ok) != MaxSize {
		t.Fatalf("len %d", len(ok))
	}
	if _, err := Parse(ok, "ok.yaml"); err != nil {
		t.Fatal(err)
	}
}

// A message (and its key path) quotes at most 64 bytes of a value or a
// key, with its length.
func TestLongValuesAreCut(t *testing.T) {
	long := strings.Repeat("é", 1<<18) // 512 KiB, four times
	_, err := Parse([]byte("version: 1\nhandlers:\n  h: {class: "+long+"}\n  g:\n    class: NullHandler\n    ? "+long+"\n    : 1\nroot: {level: "+long+", handlers: ["+long+"]}\n"), "l.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 4 { // the class, the key, the level, the handler named
		t.Errorf("%d errors", len(lines))
	}
	for _, line := range lines {
		if len(line) > 400 {
			t.Errorf("line of %d bytes: %.200s...", len(line), line)
		}
		if !strings.Contains(line, `"`+strings.Repeat("é", 32)+`"... (524288 bytes)`) {
			t.Errorf("value not cut as expected: %.300s", line)
		}
	}
}
