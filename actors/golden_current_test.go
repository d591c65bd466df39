package actors_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/actorlog/actorlog/internal/oracle"
)

// TestGoldensCurrent runs the generating scripts with Python and checks
// that the committed goldens are what Python's own MemoryHandler,
// BufferingHandler, QueueHandler and QueueListener do today (the
// interpreter's version aside).
func TestGoldensCurrent(t *testing.T) {
	python := oracle.NeedPython(t)
	for script, golden := range map[string]string{"gen_memory_golden.py": "memory.json", "gen_queue_golden.py": "queue.json"} {
		out, err := exec.Command(python, filepath.Join("testdata", script)).Output()
		if err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", golden))
		if err != nil {
			t.Fatal(err)
		}
		var g, w map[string]any
		if err := json.Unmarshal(out, &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		delete(g, "python")
		delete(w, "python")
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s is stale; regenerate it with %s", golden, script)
		}
	}
}
