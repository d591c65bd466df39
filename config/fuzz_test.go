package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, and that it returns either a
// config or a non-empty list of errors, each with a message.
func FuzzParse(f *testing.F) {
	f.Add([]byte(designConfig))
	for _, c := range badCases {
		f.Add([]byte(c.yaml))
	}
	for _, name := range pythonConfigs {
		if b, err := os.ReadFile(filepath.Join("testdata", "python", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "f.yaml")
		if (cfg == nil) == (err == nil) {
			t.Fatalf("config %v and error %v", cfg, err)
		}
		if err != nil {
			es, ok := err.(Errors)
			if !ok || len(es) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			for _, e := range es {
				if e.Msg == "" || e.Err == nil {
					t.Fatalf("empty error %+v", e)
				}
			}
			return
		}
		var sink discard
		if err := cfg.WriteTree(&sink); err != nil {
			t.Fatal(err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
