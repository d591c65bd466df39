package record

import (
	"github.com/actorlog/actorlog/internal/oracle"

	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// python is the interpreter the oracle tests use.
const python = oracle.Python

// needPython stops the test when python or its msgpack module is missing (a
// failure under CI=true).
func needPython(t *testing.T) {
	t.Helper()
	oracle.NeedPython(t, "msgpack")
}

// pyView is what testdata/python_roundtrip.py prints for one record.
type pyView struct {
	Name            string         `json:"name"`
	Levelno         int            `json:"levelno"`
	Levelname       string         `json:"levelname"`
	Message         string         `json:"message"`
	Created         float64        `json:"created"`
	Msecs           float64        `json:"msecs"`
	RelativeCreated float64        `json:"relativeCreated"`
	Pathname        string         `json:"pathname"`
	Filename        string         `json:"filename"`
	Module          string         `json:"module"`
	Lineno          int            `json:"lineno"`
	FuncName        string         `json:"funcName"`
	Thread          int64          `json:"thread"`
	ThreadName      string         `json:"threadName"`
	Process         int64          `json:"process"`
	ProcessName     string         `json:"processName"`
	ExcText         *string        `json:"exc_text"`
	StackInfo       *string        `json:"stack_info"`
	TaskName        *string        `json:"taskName"`
	Extra           map[string]any `json:"extra"`
	Formatted       string         `json:"formatted"`
}

// jsonish turns a decoded attribute value into what the script prints for
// the same Python value (bytes and non-finite floats tagged), then through
// encoding/json so numbers compare as the script's do.
func jsonish(v any) any {
	switch v := v.(type) {
	case slog.Value:
		switch v.Kind() {
		case slog.KindGroup:
			m := map[string]any{}
			for _, a := range v.Group() {
				m[a.Key] = jsonish(a.Value)
			}
			return m
		case slog.KindFloat64:
			return jsonish(v.Float64())
		}
		return jsonish(v.Any())
	case float64:
		switch {
		case math.IsNaN(v):
			return map[string]any{"$float": "nan"}
		case math.IsInf(v, 1):
			return map[string]any{"$float": "inf"}
		case math.IsInf(v, -1):
			return map[string]any{"$float": "-inf"}
		}
	case []byte:
		return map[string]any{"$bytes": hex.EncodeToString(v)}
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonish(x)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = jsonish(x)
		}
		return out
	}
	return v
}

// viaJSON normalises v as encoding/json reads it back.
func viaJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// topLevelJSON is the extra dict Python sees for attrs: top-level keys escaped.
func topLevelJSON(t *testing.T, attrs []slog.Attr) any {
	m := map[string]any{}
	for _, a := range attrs {
		k := a.Key
		if NeedsEscape(k) {
			k = EscapePrefix + k
		}
		m[k] = jsonish(a.Value)
	}
	return viaJSON(t, m)
}

func pyString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestPythonDecodesOurFrames writes the table's records as frames (with and
// without a key) to Python, which rebuilds each with makeLogRecord.
func TestPythonDecodesOurFrames(t *testing.T) {
	needPython(t)
	for _, key := range [][]byte{nil, []byte("shared secret")} {
		var in []byte
		var srcs []Record
		for _, tc := range wireCases {
			r := tc.rec()
			srcs = append(srcs, r)
			in = AppendFrame(in, &r, keyOf(key))
		}
		args := []string{filepath.Join("testdata", "python_roundtrip.py"), "decode"}
		if key != nil {
			args = append(args, "--key", hex.EncodeToString(key))
		}
		cmd := exec.CommandContext(t.Context(), python, args...)
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v: %v\n%s", cmd, err, stderr.Bytes())
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != len(wireCases) {
			t.Fatalf("python printed %d records, want %d:\n%s", len(lines), len(wireCases), out)
		}
		for i, tc := range wireCases {
			var got pyView
			if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
				t.Fatalf("%s: %v in %s", tc.name, err, lines[i])
			}
			src := &srcs[i]
			name := src.Logger
			if name == "" {
				name = "root"
			}
			created, msecs := CreatedMsecs(src.Time)
			c, ok := src.Caller()
			if !ok {
				c = Caller{Pathname: unknownFile, Filename: unknownFile, Module: unknownFile, FuncName: unknownFunc}
			}
			pid, _ := src.Process()
			if got.Name != name || got.Levelno != int(src.Level) || got.Levelname != src.Level.String() ||
				got.Message != validText(src.Message) || got.Created != created || got.Msecs != msecs ||
				got.Pathname != c.Pathname || got.Lineno != c.Lineno || got.FuncName != c.FuncName ||
				got.Process != pid || pyString(got.ExcText) != src.ErrText || pyString(got.StackInfo) != src.Stack {
				t.Errorf("%s: python saw %+v", tc.name, got)
			}
			if src.Origin != nil && (got.Thread != src.Origin.Thread || pyString(got.TaskName) != src.Origin.TaskName) {
				t.Errorf("%s: python saw thread %d task %v", tc.name, got.Thread, got.TaskName)
			}
			if !strings.Contains(got.Formatted, got.Message) {
				t.Errorf("%s: python formatted %q", tc.name, got.Formatted)
			}
			if g, w := viaJSON(t, got.Extra), topLevelJSON(t, tc.want); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: python's extra\n got %v\nwant %v", tc.name, g, w)
			}
		}
	}
}

// TestDecodePythonFrames decodes frames Python packed from real LogRecords.
func TestDecodePythonFrames(t *testing.T) {
	needPython(t)
	key := []byte("k3y")
	expect := filepath.Join(t.TempDir(), "expect.jsonl")
	cmd := exec.CommandContext(t.Context(), python, filepath.Join("testdata", "python_roundtrip.py"),
		"encode", "--expect", expect, "--key", hex.EncodeToString(key))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, stderr.Bytes())
	}
	exp, err := os.ReadFile(expect)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(exp))
	in := bytes.NewReader(out)
	var buf []byte
	n := 0
	for sc.Scan() {
		var want pyView
		if err := json.Unmarshal(sc.Bytes(), &want); err != nil {
			t.Fatal(err)
		}
		payload, err := ReadFrame(in, buf, 0, keyOf(key))
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		buf = payload
		r, err := DecodeMsgpack(payload)
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		name := want.Name
		if name == "root" {
			name = ""
		}
		created, _ := CreatedMsecs(r.Time)
		o := r.Origin
		if r.Logger != name || r.Message != want.Message || int(r.Level) != want.Levelno ||
			r.ErrText != pyString(want.ExcText) || r.Stack != pyString(want.StackInfo) || created != want.Created ||
			o.Pathname != want.Pathname || o.Filename != want.Filename || o.Module != want.Module ||
			o.FuncName != want.FuncName || o.Lineno != want.Lineno || o.Thread != want.Thread ||
			o.ThreadName != want.ThreadName || o.Process != want.Process || o.ProcessName != want.ProcessName ||
			r.RelativeCreated() != want.RelativeCreated || o.TaskName != pyString(want.TaskName) {
			t.Errorf("frame %d: decoded %+v origin %+v\nwant %+v", n, r, *o, want)
		}
		if g, w := topLevelJSON(t, recordAttrs(&r)), viaJSON(t, want.Extra); !reflect.DeepEqual(g, w) {
			t.Errorf("frame %d: attrs\n got %v\nwant %v", n, g, w)
		}
		if n == 0 {
			t.Logf("first python record: %s %v", dumpAttrs(recordAttrs(&r)), r.Time)
		}
		n++
	}
	if n != 5 {
		t.Errorf("python wrote %d records, want 5", n)
	}
	if _, err := ReadFrame(in, buf, 0, keyOf(key)); err != io.EOF {
		t.Errorf("after the last frame: %v, want io.EOF", err)
	}
	// The exception's traceback and the stack came through.
	if !bytes.Contains(exp, []byte("ZeroDivisionError")) || !bytes.Contains(exp, []byte("Stack (most recent call last)")) {
		t.Errorf("python's records lack the traceback or the stack:\n%s", exp)
	}
}
