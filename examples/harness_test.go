//go:build unix

package examples

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestMatchLines(t *testing.T) {
	for _, c := range []struct {
		want, got []string
		ok        bool
	}{
		{nil, nil, true},
		{[]string{"a"}, []string{"a"}, true},
		{[]string{"a"}, []string{"b"}, false},
		{[]string{"a"}, nil, false},
		{nil, []string{"a"}, false},
		{[]string{"...", "c"}, []string{"a", "b", "c"}, true},
		{[]string{"...", "c"}, []string{"c"}, true},
		{[]string{"...", "c"}, []string{"c", "d"}, false},
		{[]string{"a", "...", "d", "..."}, []string{"a", "b", "c", "d", "e"}, true},
		{[]string{"..."}, nil, true},
		{[]string{`{"time":"…","msg":"x"}`}, []string{`{"time":"2026-01-01T00:00:00Z","msg":"x"}`}, true},
		{[]string{`{"time":"…","msg":"x"}`}, []string{`{"time":"2026","msg":"y"}`}, false},
		{[]string{`a.b…`}, []string{`axb`}, false}, // only … is a wildcard
		{[]string{`x …y`}, []string{`x  z y`}, true},
	} {
		if got := matchLines(c.want, c.got); got != c.ok {
			t.Errorf("matchLines(%q, %q) = %v, want %v", c.want, c.got, got, c.ok)
		}
	}
}

func TestTranscriptAndSaveAs(t *testing.T) {
	readme := filepath.Join(t.TempDir(), "README.md")
	text := "Intro.\n\n```\n$ one\n$ two --x\nout 1\n...\n$ three\nout 3\n```\n\n" +
		"Then, Save this as `dir/f.py`:\n\n```python\nprint(1)\n```\n\n```sh\nls\n```\n"
	if err := os.WriteFile(readme, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	bs := readmeBlocks(t, readme)
	if len(bs) != 3 {
		t.Fatalf("%d blocks", len(bs))
	}
	want := []step{{"one", nil, 4}, {"two --x", []string{"out 1", "..."}, 5}, {"three", []string{"out 3"}, 8}}
	if got := transcript(bs[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("transcript = %+v, want %+v", got, want)
	}
	if bs[0].save != "" || bs[1].save != "dir/f.py" || bs[2].save != "" {
		t.Errorf("saves %q %q %q", bs[0].save, bs[1].save, bs[2].save)
	}
}

func TestIsServe(t *testing.T) {
	for cmd, want := range map[string]bool{
		"./actorlog serve":                                   true,
		"go run ./cmd/actorlog serve":                        true,
		"./actorlog serve --config examples/app.yaml":        true,
		"go run ./cmd/actorlog serve --print-default-config": false,
		"./actorlog send --count 1":                          false,
		"./actorlog server":                                  false,
	} {
		if got := isServe(cmd); got != want {
			t.Errorf("isServe(%q) = %v, want %v", cmd, got, want)
		}
	}
}

func TestReadsOnly(t *testing.T) {
	for cmd, want := range map[string]bool{
		"tail -n 2 logs/actorlog.log":                     true,
		`grep -c '"msg":"test record"' logs/actorlog.log`: true,
		"python3 ship.py":                                 false,
		"./actorlog send --count 1":                       false,
		"cat a > b":                                       false,
		"tail x; ./actorlog send":                         false,
	} {
		if got := readsOnly(cmd); got != want {
			t.Errorf("readsOnly(%q) = %v, want %v", cmd, got, want)
		}
	}
}
