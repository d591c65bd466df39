package config

import (
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/actors/mail"
	"github.com/actorlog/actorlog/internal/oracle"
	"github.com/actorlog/actorlog/record"

	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// describeConfig builds from a Config the description testdata/python/describe.py
// writes of what Python's dictConfig makes of the same file.
func describeConfig(cfg *Config) map[string]any {
	handlers := map[string]any{}
	for name, h := range cfg.Handlers {
		d := map[string]any{"class": h.Class.Name, "level": int(h.Level)}
		if r := h.FormatterRef; r != nil {
			f := cfg.Formatters[r.Name]
			fs, style := f.Format, byte('%')
			if f.Style != 0 {
				style = byte(f.Style)
			}
			if fs == "" {
				fs = defaultFormat(f.Style)
			}
			d["format"], d["style"] = fs, string(style)
			if f.Datefmt != "" {
				d["datefmt"] = f.Datefmt
			} else {
				d["datefmt"] = nil
			}
		}
		filters := []any{}
		for _, r := range h.FilterRefs {
			filters = append(filters, cfg.Filters[r.Name].Logger)
		}
		d["filters"] = filters
		p := map[string]any{}
		var fo *file.Options
		switch o := h.Options.(type) {
		case *StreamOptions:
			p["stream"] = o.Stream.name()
		case *file.Options:
			fo = o
		case *file.RotatingOptions:
			fo = &o.Options
			p["maxBytes"], p["backupCount"] = o.MaxBytes, o.BackupCount
		case *MemoryHandlerOptions:
			fl := o.FlushLevel
			if fl == 0 {
				fl = record.LevelError
			}
			p["capacity"], p["flushLevel"], p["flushOnClose"] = o.Capacity, int(fl), !o.NoFlushOnClose
			p["target"] = nil
			if o.Target != "" {
				p["target"] = o.Target
			}
		case *file.TimedOptions:
			fo = &o.Options
			when := strings.ToUpper(o.When)
			if when == "" {
				when = "H"
			}
			p["when"], p["backupCount"], p["utc"] = when, o.BackupCount, o.UTC
		}
		if o, ok := h.Options.(*mail.Options); ok {
			describeSMTP(p, o)
		}
		if fo != nil {
			p["filename"] = filepath.Base(fo.Filename)
			p["delay"] = fo.Delay
			if h.Class.Name != "TimedRotatingFileHandler" {
				p["mode"] = "a"
				if fo.Mode != "" {
					p["mode"] = fo.Mode
				}
			}
		}
		switch {
		case h.NoTerminator:
			p["terminator"] = ""
		case h.Terminator != "":
			p["terminator"] = h.Terminator
		}
		d["params"] = p
		handlers[name] = d
	}
	logger := func(l *LoggerSpec, defLevel int, root bool) map[string]any {
		if l == nil {
			l = &LoggerSpec{Propagate: true}
		}
		level := defLevel
		if l.HasLevel {
			level = int(l.Level)
		}
		hs, fs := []any{}, []any{}
		for _, r := range l.Handlers {
			hs = append(hs, r.Name)
		}
		for _, r := range l.Filters {
			fs = append(fs, cfg.Filters[r.Name].Logger)
		}
		d := map[string]any{"level": level, "handlers": hs, "filters": fs}
		if !root {
			d["propagate"] = l.Propagate
		}
		return d
	}
	loggers := map[string]any{}
	for name, l := range cfg.Loggers {
		loggers[name] = logger(l, 0, false)
	}
	return map[string]any{"handlers": handlers, "loggers": loggers, "root": logger(cfg.Root, 30, true)}
}

// describeSMTP adds what describe.py writes of an SMTPHandler.
func describeSMTP(p map[string]any, o *mail.Options) {
	p["mailhost"], p["mailport"] = o.Mailhost[0], nil
	if len(o.Mailhost) == 2 {
		port, _ := strconv.Atoi(o.Mailhost[1])
		p["mailport"] = port
	}
	p["fromaddr"], p["toaddrs"], p["subject"] = o.Fromaddr, o.Toaddrs, o.Subject
	p["username"], p["secure"] = nil, nil
	if len(o.Credentials) == 2 {
		p["username"] = o.Credentials[0]
	}
	if o.Secure != nil {
		p["secure"] = o.Secure
	}
	p["timeout"] = mail.DefaultTimeout.Seconds()
	if o.Timeout != 0 {
		p["timeout"] = o.Timeout.Seconds()
	}
}

// normalize round-trips v through JSON so numbers and maps compare equal.
func normalize(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

var pythonConfigs = []string{"django.yaml", "schema.yaml", "services.yaml", "hourly.json", "smtp.yaml", "memory.yaml"}

// TestPythonConfigs parses configs written for Python's dictConfig and checks
// that they describe what Python made of them (the .want.json goldens).
func TestPythonConfigs(t *testing.T) {
	for _, name := range pythonConfigs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "python", name)
			cfg, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".want.json")
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(describeConfig(cfg))
			if err != nil {
				t.Fatal(err)
			}
			if g, w := normalize(t, got), normalize(t, want); !reflect.DeepEqual(g, w) {
				t.Errorf("config differs from Python's:\n got %s\nwant %s", got, bytes.Join(bytes.Fields(want), nil))
			}
			var tree strings.Builder
			if err := cfg.WriteTree(&tree); err != nil || tree.Len() == 0 {
				t.Errorf("WriteTree: %v", err)
			}
		})
	}
}

// TestPythonGoldensCurrent runs describe.py and checks the goldens are what
// Python makes of the configs today.
func TestPythonGoldensCurrent(t *testing.T) {
	python := oracle.NeedPython(t, "yaml")
	for _, name := range pythonConfigs {
		path := filepath.Join("testdata", "python", name)
		out, err := exec.Command(python, filepath.Join("testdata", "python", "describe.py"), path).Output()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".want.json")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, want) {
			t.Errorf("%s: golden is stale; regenerate with describe.py:\n%s", name, out)
		}
	}
}
