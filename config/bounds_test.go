package config

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// hugeSafe are the numbers of the schema that may be as large as a config
// likes, each for a reason its options document; every other number a
// config can write must be refused past a documented bound.
var hugeSafe = map[string]string{
	"RotatingFileHandler.maxBytes":         "a size no file reaches never rolls over",
	"RotatingFileHandler.maxAge":           "an age before the oldest file deletes nothing",
	"TimedRotatingFileHandler.backupCount": "the files to delete are found by listing the directory",
	"supervision.retryFactor":              "a huge factor reaches retryMax at the second failure",
	"jetstream.maxAge":                     "an age the stream never reaches keeps every message",
	"jetstream.maxBytes":                   "a size the stream never reaches keeps every message",
}

// hugeSafeUnbuilt are numbers as safe at any size as hugeSafe's, passed to
// a server rather than used here (a stream's limits): the handler is not
// built, since writing through it needs that server (the JetStream tests
// do).
var hugeSafeUnbuilt = map[string]string{
	"JetStreamHandler.maxAge":   "the stream's age limit; one it never reaches keeps every message",
	"JetStreamHandler.maxBytes": "the stream's size limit; one it never reaches keeps every message",
}

// numeric tells whether a field holds a number a config can make huge.
func numeric(f field) bool {
	switch f.typ.Kind() {
	case reflect.Int, reflect.Int64, reflect.Float64:
		return f.typ != levelType
	}
	return false
}

// TestHugeNumbers sweeps every number of every class, of the mailbox and
// supervision blocks and of the receivers with huge values: each is either
// an error at its key, or safe, which the test proves by building the
// handler and writing through it.
func TestHugeNumbers(t *testing.T) {
	type target struct {
		name, block string // block: "" for the class's own keys
		s           *schema
		class       *Class
	}
	var targets []target
	for _, c := range classes {
		targets = append(targets, target{name: c.Name, s: c.schema, class: c})
	}
	targets = append(targets,
		target{name: "mailbox", block: "mailbox", s: mailboxSchema},
		target{name: "supervision", block: "supervision", s: supervisionSchema})
	swept := 0
	for _, tg := range targets {
		for _, f := range tg.s.fields {
			if !numeric(f) {
				continue
			}
			for _, huge := range []string{"1000000000000", "100000000", "9223372036854775807"} {
				swept++
				id := tg.name + "." + f.key
				t.Run(id+"="+huge, func(t *testing.T) {
					dir := t.TempDir()
					class, params := "StreamHandler", ""
					if tg.class != nil {
						class = tg.class.Name
					}
					if c := classes.lookup(class); c.schema.field("filename") != nil {
						params += ", filename: " + filepath.Join(dir, "h.log")
					}
					if tg.block == "" {
						params += fmt.Sprintf(", %s: %s", f.key, huge)
					} else {
						params += fmt.Sprintf(", %s: {%s: %s}", tg.block, f.key, huge)
					}
					y := fmt.Sprintf("version: 1\nhandlers:\n  h: {class: %s%s}\nroot: {handlers: [h]}\n", class, params)
					cfg, err := Parse([]byte(y), "huge.yaml")
					if err != nil {
						path := "handlers.h." + f.key
						if tg.block != "" {
							path = "handlers.h." + tg.block + "." + f.key
						}
						if !strings.Contains(err.Error(), "huge.yaml:3:") || !strings.Contains(err.Error(), path+": ") {
							t.Errorf("error not at %s: %v", path, err)
						}
						return
					}
					if _, ok := hugeSafeUnbuilt[id]; ok {
						return
					}
					if _, ok := hugeSafe[id]; !ok {
						t.Fatalf("%s: %s accepted", id, huge)
					}
					e, err := Build(cfg, BuildOptions{Sinks: SinkEnv{Stdout: discard{}, Stderr: discard{}}})
					if err != nil {
						t.Fatal(err)
					}
					for range 3 {
						e.Logger("x").Log(record.LevelError, "m")
					}
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					if err := e.Shutdown(ctx); err != nil {
						t.Fatal(err)
					}
					if s, _ := e.Stats().ForHandler("h"); s.Written != 3 {
						t.Errorf("stats %+v", s)
					}
				})
			}
		}
	}
	for _, r := range receiverTypes {
		for _, f := range r.schema.fields {
			if !numeric(f) {
				continue
			}
			for _, huge := range []string{"1000000000000", "100000000"} {
				swept++
				if hugeSafe[r.Name+"."+f.key] != "" {
					continue
				}
				listen := ` listen: "127.0.0.1:1",`
				if !slices.Contains(r.schema.keys(), "listen") {
					listen = "" // a jetstream receiver names servers
				}
				y := fmt.Sprintf("version: 1\nreceivers:\n  - {type: %s,%s %s: %s}\n", r.Name, listen, f.key, huge)
				path := "receivers[0]." + f.key + ": "
				if _, err := Parse([]byte(y), "r.yaml"); err == nil || !strings.Contains(err.Error(), path) {
					t.Errorf("receiver %s %s: %s: got %v", r.Name, f.key, huge, err)
				}
			}
		}
	}
	if swept < 30 {
		t.Errorf("swept %d values: the schema lost its numbers?", swept)
	}
}

// The cases of the issue, with their messages.
func TestHugeNumberMessages(t *testing.T) {
	for _, c := range []struct{ handler, want string }{
		{"{class: RotatingFileHandler, filename: a.log, backupCount: 1000000000000}",
			"h.yaml:3:65: handlers.h.backupCount: must be at most 10000 (got 1000000000000)"},
		{"{class: TimedRotatingFileHandler, filename: a.log, when: D, interval: 1000000000000}",
			"h.yaml:3:76: handlers.h.interval: 1000000000000 units of D make a period longer than 9223372036 seconds (about 292 years)"},
		{"{class: StreamHandler, supervision: {retryStart: 1e12}}",
			"h.yaml:3:55: handlers.h.supervision.retryStart: want a duration of at most 2562047h47m16.854775807s (9223372036 seconds), got 1e12 seconds"},
	} {
		_, err := Parse([]byte("version: 1\nhandlers:\n  h: "+c.handler+"\n"), "h.yaml")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.handler, err, c.want)
		}
	}
}
