package file

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/oracle"
)

// The golden files are made by testdata/gen_golden.py with Python's
// logging.handlers (3.14 rules); see the script.

// namers are the namers of gen_golden.py, by name.
var namers = map[string]func(string) string{
	"none": nil,
	"test": func(s string) string { return s + ".test" },
	"gz":   func(s string) string { return s + ".gz" },
	"ext": func(s string) string {
		i := strings.LastIndex(s, ".log.")
		return s[:i] + s[i+4:] + ".log"
	},
	"old": func(s string) string { return strings.ReplaceAll(s, ".log.", "") + ".oldlog" },
}

func loadLocation(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

func TestGoldenComputeRollover(t *testing.T) {
	f, err := os.Open("testdata/rollover.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	locs := map[string]*time.Location{}
	sc := bufio.NewScanner(f)
	cases := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 9 {
			t.Fatalf("bad line %q", line)
		}
		loc := locs[fs[0]]
		if loc == nil {
			loc = loadLocation(t, fs[0])
			locs[fs[0]] = loc
		}
		w, err := parseWhen(fs[1])
		if err != nil {
			t.Fatal(err)
		}
		interval, _ := strconv.Atoi(fs[2])
		now, _ := strconv.ParseInt(fs[5], 10, 64)
		want, _ := strconv.ParseInt(fs[6], 10, 64)
		tr := &TimedRotating{c: &core{path: "/logs/base.log"}, w: w, interval: w.unit * int64(interval), utc: fs[3] == "1", loc: loc}
		if fs[4] != "-" {
			at, err := ParseTimeOfDay(fs[4])
			if err != nil {
				t.Fatal(err)
			}
			tr.atTime = &at
		}
		if got := tr.computeRollover(now); got != want {
			t.Errorf("%s: computeRollover = %d (%v), want %d (%v)", line, got, time.Unix(got, 0).In(loc), want, time.Unix(want, 0).In(loc))
			continue
		}
		tr.rolloverAt = want
		for i, at := range []int64{want, want + 3*3600} {
			if got, wantName := tr.rotatedName(at), "/logs/base.log."+fs[7+i]; got != wantName {
				t.Errorf("%s: name at %d = %q, want %q", line, at, got, wantName)
			}
		}
		cases++
	}
	if err := sc.Err(); err != nil || cases < 1000 {
		t.Fatalf("%d cases, %v", cases, err)
	}
}

func TestGoldenFilesToDelete(t *testing.T) {
	var g struct {
		Names []string
		Cases []struct {
			Base        string
			Namer       string
			When        string
			BackupCount int
			Delete      []string
		}
	}
	readJSON(t, "testdata/delete.json", &g)
	dir := t.TempDir()
	for _, c := range g.Cases {
		w, err := parseWhen(c.When)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if c.BackupCount > 0 {
			for _, p := range filesToDelete(dir, c.Base, g.Names, w.pattern, namers[c.Namer], c.BackupCount) {
				got = append(got, filepath.Base(p))
			}
		}
		if len(got) == 0 && len(c.Delete) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.Delete) {
			t.Errorf("%+v:\n got %q\nwant %q", c, got, c.Delete)
		}
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(name, err)
	}
}

// splitBatches cuts msgs into batches of size k (0: one batch).
func splitBatches(msgs []string, k int) []*actors.Batch {
	if k <= 0 {
		k = len(msgs)
	}
	var out []*actors.Batch
	for i := 0; i < len(msgs); i += k {
		out = append(out, batchOf(msgs[i:min(i+k, len(msgs))]...))
	}
	return out
}

func TestGoldenRotating(t *testing.T) {
	var g struct {
		Scenarios []struct {
			Name        string
			MaxBytes    int64
			BackupCount int
			Namer       string
			Delay       bool
			Records     []string
			Files       map[string]string
		}
	}
	readJSON(t, "testdata/rotating.json", &g)
	for _, s := range g.Scenarios {
		for _, k := range []int{1, 3, 0} {
			dir := t.TempDir()
			r, err := NewRotating(RotatingOptions{
				Options:  Options{Filename: filepath.Join(dir, "r.log"), Delay: s.Delay},
				MaxBytes: s.MaxBytes, BackupCount: s.BackupCount, Namer: namers[s.Namer],
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range splitBatches(s.Records, k) {
				if n, err := r.WriteBatch(b); n != b.Len() || err != nil {
					t.Fatalf("%s: WriteBatch = %d, %v", s.Name, n, err)
				}
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if got := dirFiles(t, dir); !reflect.DeepEqual(got, s.Files) {
				t.Errorf("%s, batches of %d:\n got %q\nwant %q", s.Name, k, got, s.Files)
			}
		}
	}
}

func TestGoldenTimed(t *testing.T) {
	var g struct {
		Scenarios []struct {
			Name        string
			TZ          string
			When        string
			Interval    int
			UTC         bool
			AtTime      string
			BackupCount int
			Mtime       *int64
			Namer       string
			Delay       bool
			Steps       [][2]json.RawMessage
			Files       map[string]string
		}
	}
	readJSON(t, "testdata/timed.json", &g)
	for _, s := range g.Scenarios {
		t.Run(s.Name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "t.log")
			if s.Mtime != nil {
				if err := os.WriteFile(name, []byte("old\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				mt := time.Unix(*s.Mtime, 0)
				if err := os.Chtimes(name, mt, mt); err != nil {
					t.Fatal(err)
				}
			}
			type step struct {
				now int64
				msg string
			}
			steps := make([]step, len(s.Steps))
			for i, st := range s.Steps {
				if err := json.Unmarshal(st[0], &steps[i].now); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(st[1], &steps[i].msg); err != nil {
					t.Fatal(err)
				}
			}
			clk := clock.NewFake(time.Unix(steps[0].now, 0))
			o := TimedOptions{
				Options: Options{Filename: name, Delay: s.Delay}, When: s.When, Interval: s.Interval, UTC: s.UTC,
				Location: loadLocation(t, s.TZ), BackupCount: s.BackupCount, Namer: namers[s.Namer], Clock: clk,
			}
			if s.AtTime != "-" {
				at, err := ParseTimeOfDay(s.AtTime)
				if err != nil {
					t.Fatal(err)
				}
				o.AtTime = &at
			}
			tr, err := NewTimedRotating(o)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range steps {
				clk.Set(time.Unix(st.now, 0))
				mustWrite(t, tr, st.msg)
			}
			if err := tr.Close(); err != nil {
				t.Fatal(err)
			}
			if got := dirFiles(t, dir); !reflect.DeepEqual(got, s.Files) {
				t.Errorf("\n got %q\nwant %q", got, s.Files)
			}
		})
	}
}

// TestGoldenUpToDate runs gen_golden.py again and compares its output with
// the committed golden files.
func TestGoldenUpToDate(t *testing.T) {
	python := oracle.NeedPython(t)
	script, err := filepath.Abs("testdata/gen_golden.py")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(python, script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen_golden.py: %v\n%s", err, out)
	}
	for _, name := range []string{"rollover.txt", "delete.json", "rotating.json", "timed.json"} {
		if got, want := readFile(t, filepath.Join(dir, name)), readFile(t, filepath.Join("testdata", name)); got != want {
			t.Errorf("testdata/%s is out of date: run %s gen_golden.py in testdata", name, python)
		}
	}
}
