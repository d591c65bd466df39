package pickle

import (
	"errors"
	"testing"
)

// FuzzDecode: no input panics, and every failure wraps one of the package's
// errors. Seeds: the hostile pickles of TestRefusesBombs (length, nesting,
// memo and opcode bombs) and, under testdata/fuzz, records pickled by
// Python's SocketHandler.
func FuzzDecode(f *testing.F) {
	for _, c := range bombs {
		f.Add([]byte(c.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v wraps none of the package's errors", err)
			}
			return
		}
		_ = v
	})
}
