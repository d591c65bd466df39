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

// A message quotes at most 64 bytes of a value, with the value's length.
func TestLongValuesAreCut(t *testing.T) {
	long := strings.Repeat("é", 1<<19) // 1 MiB
	_, err := Parse([]byte("version: 1\nhandlers:\n  h: {class: "+long+"}\nroot: {level: "+long+"}\n"), "l.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if len(line) > 400 {
			t.Errorf("line of %d bytes: %.200s...", len(line), line)
		}
		if !strings.Contains(line, `"`+strings.Repeat("é", 32)+`"... (1048576 bytes)`) {
			t.Errorf("value not cut as expected: %.300s", line)
		}
	}
}
