package format

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// pythonLevels makes slog print Python's level names, so that the only
// remaining differences from our output are the documented ones.
func pythonLevels(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.LevelKey {
		return slog.String(slog.LevelKey, record.FromSlog(a.Value.Any().(slog.Level)).String())
	}
	return a
}

func slogOutput(t *testing.T, g goldenRecord, newHandler func(*bytes.Buffer) slog.Handler) []byte {
	t.Helper()
	var buf bytes.Buffer
	h := g.slogHandler(newHandler(&buf))
	if err := h.Handle(context.Background(), g.slogRecord()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// plain returns the record without what slog has no place for: the logger
// name, the exception and the stack.
func plain(r *record.Record) *record.Record {
	c := *r
	c.Logger, c.ErrText, c.Stack = "", "", ""
	return &c
}

// TestJSONMatchesSlog compares our JSON with slog.JSONHandler's for every
// golden record: byte for byte once the logger, exception and stack are
// removed (and slog prints Python's level names), and as parsed objects
// for the full record, where the only differences are the documented ones.
func TestJSONMatchesSlog(t *testing.T) {
	j := NewJSON(JSONOptions{})
	for _, g := range goldenRecords {
		t.Run(g.name, func(t *testing.T) {
			want := slogOutput(t, g, func(b *bytes.Buffer) slog.Handler {
				return slog.NewJSONHandler(b, &slog.HandlerOptions{ReplaceAttr: pythonLevels})
			})
			r := g.record()
			got := append(j.Append(nil, plain(r)), '\n')
			if g.name != "nonfinite" && !bytes.Equal(got, want) {
				t.Errorf("bytes differ\n got %s\nwant %s", got, want)
			}

			full := j.Append(nil, r)
			var ours, theirs map[string]any
			if err := json.Unmarshal(full, &ours); err != nil {
				t.Fatalf("our output is not JSON: %v\n%s", err, full)
			}
			if err := json.Unmarshal(want, &theirs); err != nil {
				t.Fatal(err)
			}
			checkKey(t, ours, "logger", g.logger)
			checkKey(t, ours, "exc_info", g.errText)
			checkKey(t, ours, "stack_info", g.stack)
			normalizeSlogErrors(theirs)
			if !reflect.DeepEqual(ours, theirs) {
				t.Errorf("objects differ\n got %v\nwant %v", ours, theirs)
			}
		})
	}
}

// checkKey checks that key holds want (absent when want is "") and removes it.
func checkKey(t *testing.T, m map[string]any, key, want string) {
	t.Helper()
	v, ok := m[key]
	if want == "" {
		if ok {
			t.Errorf("%s = %v, want no such key", key, v)
		}
		return
	}
	if v != want {
		t.Errorf("%s = %v, want %q", key, v, want)
	}
	delete(m, key)
}

// normalizeSlogErrors maps slog's "!ERROR:json: unsupported value: NaN" to
// the "NaN" we write.
func normalizeSlogErrors(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case string:
			m[k] = strings.TrimPrefix(x, "!ERROR:json: unsupported value: ")
		case map[string]any:
			normalizeSlogErrors(x)
		}
	}
}

// TestLogfmtMatchesSlog compares our logfmt with slog.TextHandler's, byte
// for byte, for every golden record without logger, exception and stack,
// then checks where those three go.
func TestLogfmtMatchesSlog(t *testing.T) {
	l := NewLogfmt(LogfmtOptions{})
	for _, g := range goldenRecords {
		t.Run(g.name, func(t *testing.T) {
			want := slogOutput(t, g, func(b *bytes.Buffer) slog.Handler {
				return slog.NewTextHandler(b, &slog.HandlerOptions{ReplaceAttr: pythonLevels})
			})
			r := g.record()
			got := append(l.Append(nil, plain(r)), '\n')
			if !bytes.Equal(got, want) {
				t.Errorf("bytes differ\n got %s\nwant %s", got, want)
			}
			full := string(l.Append(nil, r))
			if g.logger != "" && !strings.Contains(full, " logger="+string(appendTextString(nil, g.logger))+" msg=") {
				t.Errorf("logger missing or misplaced: %s", full)
			}
			if g.logger == "" && strings.Contains(full, " logger=") {
				t.Errorf("root record has a logger key: %s", full)
			}
			tail := ""
			if g.errText != "" {
				tail += " exc_info=" + string(appendTextString(nil, g.errText))
			}
			if g.stack != "" {
				tail += " stack_info=" + string(appendTextString(nil, g.stack))
			}
			if !strings.HasSuffix(full, tail) {
				t.Errorf("output does not end with %q: %s", tail, full)
			}
		})
	}
}

// TestAddSourceMatchesSlog checks the source key for a record with a real PC.
func TestAddSourceMatchesSlog(t *testing.T) {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	tm := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	r := &record.Record{Time: tm, Level: record.LevelInfo, Message: "m", PC: pcs[0]}
	sr := slog.NewRecord(tm, slog.LevelInfo, "m", pcs[0])

	var jb, tb bytes.Buffer
	opts := &slog.HandlerOptions{AddSource: true}
	if err := slog.NewJSONHandler(&jb, opts).Handle(context.Background(), sr); err != nil {
		t.Fatal(err)
	}
	if err := slog.NewTextHandler(&tb, opts).Handle(context.Background(), sr); err != nil {
		t.Fatal(err)
	}
	if got := append(NewJSON(JSONOptions{AddSource: true}).Append(nil, r), '\n'); !bytes.Equal(got, jb.Bytes()) {
		t.Errorf("JSON\n got %s\nwant %s", got, jb.Bytes())
	}
	if got := append(NewLogfmt(LogfmtOptions{AddSource: true}).Append(nil, r), '\n'); !bytes.Equal(got, tb.Bytes()) {
		t.Errorf("logfmt\n got %s\nwant %s", got, tb.Bytes())
	}

	// A record from elsewhere reports its Origin.
	o := &record.Record{Time: tm, Level: record.LevelInfo, Message: "m", Origin: origin}
	got := string(NewJSON(JSONOptions{AddSource: true}).Append(nil, o))
	if !strings.Contains(got, `"source":{"function":"handle","file":"/srv/app/worker.py","line":42}`) {
		t.Errorf("JSON source of a remote record: %s", got)
	}
	got = string(NewLogfmt(LogfmtOptions{AddSource: true}).Append(nil, o))
	if !strings.Contains(got, ` source=/srv/app/worker.py:42 `) {
		t.Errorf("logfmt source of a remote record: %s", got)
	}
}
