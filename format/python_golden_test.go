package format

import (
	"github.com/actorlog/actorlog/internal/oracle"

	"bytes"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	_ "time/tzdata" // the goldens need Europe/Berlin on every machine

	"github.com/actorlog/actorlog/record"
)

var updateRecords = flag.Bool("update-records", false, "rewrite testdata/golden_records.json from the golden table")

// pyRecord is a golden record as the Python script rebuilds it with
// logging.makeLogRecord. Process and RelativeCreated are null for local
// records (they vary from run to run); formats that name them are applied to
// records from elsewhere only.
type pyRecord struct {
	Case            string    `json:"case"`
	Name            string    `json:"name"`
	Msg             string    `json:"msg"`
	Levelno         int       `json:"levelno"`
	Levelname       string    `json:"levelname"`
	CreatedNs       int64     `json:"created_ns"`
	Pathname        string    `json:"pathname"`
	Filename        string    `json:"filename"`
	Module          string    `json:"module"`
	Lineno          int       `json:"lineno"`
	FuncName        string    `json:"funcName"`
	Thread          int64     `json:"thread"`
	ThreadName      string    `json:"threadName"`
	Process         *int64    `json:"process"`
	ProcessName     string    `json:"processName"`
	RelativeCreated *float64  `json:"relativeCreated"`
	TaskName        *string   `json:"taskName"`
	ExcText         *string   `json:"exc_text"`
	StackInfo       *string   `json:"stack_info"`
	Extras          []pyExtra `json:"extras"`
}

// pyExtra is one top-level attribute of a simple kind; V is the value's text
// (floats as Go's shortest form, which Python's float() parses exactly).
type pyExtra struct {
	K string `json:"k"`
	T string `json:"t"`
	V string `json:"v"`
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toPyRecord(g goldenRecord) pyRecord {
	r := g.record()
	c := (&pyCtx{r: r}).call()
	tid, tname := r.Thread()
	_, pname := r.Process()
	p := pyRecord{
		Case: g.name, Name: g.logger, Msg: g.msg, Levelno: int(g.level), Levelname: g.level.String(),
		CreatedNs: g.time.UnixNano(), Pathname: c.Pathname, Filename: c.Filename, Module: c.Module,
		Lineno: c.Lineno, FuncName: c.FuncName, Thread: tid, ThreadName: tname, ProcessName: pname,
		ExcText: nilIfEmpty(g.errText), StackInfo: nilIfEmpty(g.stack), Extras: []pyExtra{},
	}
	if p.Name == "" {
		p.Name = "root"
	}
	if o := g.origin; o != nil {
		p.Process, p.RelativeCreated, p.TaskName = &o.Process, &o.RelativeCreated, nilIfEmpty(o.TaskName)
	}
	r.Walk(func(path []string, a slog.Attr) bool {
		if len(path) > 0 {
			return false
		}
		if _, reserved := fieldIDs[a.Key]; reserved {
			return true
		}
		v := a.Value.Resolve()
		switch v.Kind() {
		case slog.KindString:
			p.Extras = append(p.Extras, pyExtra{a.Key, "str", v.String()})
		case slog.KindInt64:
			p.Extras = append(p.Extras, pyExtra{a.Key, "int", strconv.FormatInt(v.Int64(), 10)})
		case slog.KindUint64:
			p.Extras = append(p.Extras, pyExtra{a.Key, "int", strconv.FormatUint(v.Uint64(), 10)})
		case slog.KindFloat64:
			p.Extras = append(p.Extras, pyExtra{a.Key, "float", strconv.FormatFloat(v.Float64(), 'g', -1, 64)})
		case slog.KindBool:
			p.Extras = append(p.Extras, pyExtra{a.Key, "bool", strconv.FormatBool(v.Bool())})
		}
		return true
	})
	return p
}

func goldenRecordsJSON(t *testing.T) []byte {
	var recs []pyRecord
	for _, g := range goldenRecords {
		if g.time.IsZero() {
			continue // Python has no record without a time
		}
		recs = append(recs, toPyRecord(g))
	}
	b, err := json.MarshalIndent(recs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestGoldenRecordsFile checks that testdata/golden_records.json, which the
// Python script reads, describes the current golden table (go generate
// rewrites it).
func TestGoldenRecordsFile(t *testing.T) {
	want := goldenRecordsJSON(t)
	path := filepath.Join("testdata", "golden_records.json")
	if *updateRecords {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go generate ./format/", path)
	}
}

type pythonGolden struct {
	Python string `json:"python"`
	TZ     string `json:"tz"`
	Cases  []struct {
		Record   string         `json:"record"`
		Fmt      string         `json:"fmt"`
		Datefmt  string         `json:"datefmt"`
		Style    string         `json:"style"`
		Defaults map[string]any `json:"defaults"`
		Out      string         `json:"out"`
	} `json:"cases"`
}

func loadPythonGolden(t *testing.T, path string) pythonGolden {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g pythonGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestPythonGolden formats every golden record with every format string of
// the Python script and compares with what logging.Formatter printed, byte
// for byte.
func TestPythonGolden(t *testing.T) {
	g := loadPythonGolden(t, filepath.Join("testdata", "python_golden.json"))
	if len(g.Cases) < 100 {
		t.Fatalf("only %d golden cases", len(g.Cases))
	}
	recs := map[string]*record.Record{}
	for _, gr := range goldenRecords {
		recs[gr.name] = gr.record()
	}
	fails := 0
	for _, c := range g.Cases {
		r, ok := recs[c.Record]
		if !ok {
			t.Fatalf("golden case names unknown record %q", c.Record)
		}
		defaults := map[string]any{}
		for k, v := range c.Defaults {
			if f, ok := v.(float64); ok && f == float64(int64(f)) {
				v = int64(f) // JSON numbers decode as float64; Python's were ints
			}
			defaults[k] = v
		}
		p, err := NewPython(c.Fmt, PythonOptions{Datefmt: c.Datefmt, Location: berlin, Style: Style(c.Style[0]), Defaults: defaults})
		if err != nil {
			t.Errorf("NewPython(%q): %v", c.Fmt, err)
			continue
		}
		got := string(p.Append(nil, r))
		if got != c.Out {
			fails++
			if fails <= 20 {
				t.Errorf("record %s, format %q datefmt %q:\n got %q\nwant %q", c.Record, c.Fmt, c.Datefmt, got, c.Out)
			}
		}
	}
	if fails > 0 {
		t.Errorf("%d of %d cases differ", fails, len(g.Cases))
	}
}

// TestPythonGoldenFresh reruns the generating script and checks that the
// committed goldens are what it produces. It needs /usr/bin/python3: it is
// skipped without it, except under CI=true where that is a failure.
func TestPythonGoldenFresh(t *testing.T) {
	py := oracle.NeedPython(t)
	out := filepath.Join(t.TempDir(), "golden.json")
	cmd := exec.Command(py, filepath.Join("testdata", "gen_python_golden.py"),
		filepath.Join("testdata", "golden_records.json"), out)
	cmd.Env = append(os.Environ(), "TZ=Europe/Berlin")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator failed: %v\n%s", err, b)
	}
	fresh := loadPythonGolden(t, out)
	committed := loadPythonGolden(t, filepath.Join("testdata", "python_golden.json"))
	fresh.Python, committed.Python = "", ""
	a, _ := json.Marshal(fresh)
	b, _ := json.Marshal(committed)
	if !bytes.Equal(a, b) {
		t.Fatal("testdata/python_golden.json is stale: run go generate ./format/")
	}
}
