package file

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseTimeOfDay: any input gives a valid time of day or ErrInvalidOptions.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"00:00", "12:30:15", "23:59:59", "24:00", "1:2", "", "ab:cd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseTimeOfDay(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidOptions) {
				t.Fatalf("%q: %v is not ErrInvalidOptions", s, err)
			}
			return
		}
		if !at.valid() {
			t.Fatalf("%q: invalid %+v", s, at)
		}
	})
}

// FuzzMatchNames: search finds the first place the pattern matches with no
// digit either side, and the deletion choice never panics on any name.
func FuzzMatchNames(f *testing.F) {
	for _, s := range []string{"a.log.2020-01-01", "a.log.2020-01-01_00-00-001", "x2020-01-01a.log.2020-01-02.gz", "€2020-01-01"} {
		f.Add(s, "D")
	}
	f.Add("a.log.2020-01-01_00-00-00", "S")
	f.Fuzz(func(t *testing.T, name, when string) {
		w, err := parseWhen(when)
		if err != nil {
			return
		}
		i := search(name, 0, w.pattern)
		for j := 0; j >= 0 && j < len(name) && (i < 0 || j < i); j++ {
			if matchAt(name, j, w.pattern) {
				t.Fatalf("%q: search = %d, but matches at %d", name, i, j)
			}
		}
		if i >= 0 {
			if !matchAt(name, i, w.pattern) {
				t.Fatalf("%q: search = %d does not match", name, i)
			}
			m := name[i : i+len(w.pattern)]
			if strings.Trim(m, "0123456789-_") != "" {
				t.Fatalf("%q: match %q", name, m)
			}
		}
		names := []string{name, "a.log." + name, name + ".gz"}
		for _, n := range []string{"none", "gz", "old", "test"} {
			filesToDelete("/d", "a.log", names, w.pattern, namers[n], 1)
		}
	})
}
