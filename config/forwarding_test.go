package config

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

// TestBuildMemoryAndQueueHandlers builds MemoryHandler and QueueHandler
// entries: their target and handlers become HandlerOptions.Targets, the
// targets are made first, and records flow through them as in Python.
func TestBuildMemoryAndQueueHandlers(t *testing.T) {
	cfg := mustParse(t, `version: 1
formatters:
  brief: {format: "%(levelname)s %(message)s"}
  queued: {format: "%(name)s -> %(message)s"}
handlers:
  a_buffer: {class: logging.handlers.MemoryHandler, capacity: 10, flushLevel: WARNING, target: out}
  b_queue:
    class: logging.handlers.QueueHandler
    queue: ext://queue.Queue
    listener: logging.handlers.QueueListener
    handlers: [out, errors]
    respect_handler_level: true
    formatter: queued
  out: {class: StreamHandler, stream: stdout, formatter: brief}
  errors: {class: StreamHandler, stream: stderr, level: ERROR}
loggers:
  mem: {level: DEBUG, handlers: [a_buffer], propagate: false}
  que: {level: DEBUG, handlers: [b_queue], propagate: false}
`)
	if got := cfg.HandlerOrder(); !slices.Equal(got, []string{"out", "a_buffer", "errors", "b_queue"}) {
		t.Fatalf("order %v", got)
	}
	mo := cfg.Handlers["a_buffer"].Options.(*MemoryHandlerOptions)
	if mo.FlushLevel != record.LevelWarning || mo.Capacity != 10 || mo.NoFlushOnClose || !slices.Equal(cfg.Handlers["a_buffer"].Targets, []string{"out"}) {
		t.Fatalf("memory options %+v, targets %v", mo, cfg.Handlers["a_buffer"].Targets)
	}
	if got := cfg.Handlers["b_queue"].Targets; !slices.Equal(got, []string{"out", "errors"}) {
		t.Fatalf("queue targets %v", got)
	}
	var stdout, stderr testio.SyncBuffer
	e, err := Build(cfg, BuildOptions{Sinks: SinkEnv{Stdout: &stdout, Stderr: &stderr}})
	if err != nil {
		t.Fatal(err)
	}
	mem, que := e.Logger("mem"), e.Logger("que")
	mem.Log(record.LevelDebug, "d1")
	mem.Log(record.LevelInfo, "i2")
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "" {
		t.Fatalf("buffered records written early: %q", stdout.String())
	}
	mem.Log(record.LevelWarning, "w3")
	if err := e.Flush(context.Background()); err != nil { // the Memory before its target
		t.Fatal(err)
	}
	que.Log(record.LevelInfo, "q1")
	que.Log(record.LevelError, "q2")
	qh := e.HandlerByName("b_queue")
	if err := qh.Listener().Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	mem.Log(record.LevelDebug, "held")
	shutdown(t, e)
	want := "DEBUG d1\nINFO i2\nWARNING w3\nINFO que -> q1\nERROR que -> q2\nDEBUG held\n"
	if stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
	if stderr.String() != "que -> q2\n" {
		t.Errorf("stderr %q (respect_handler_level: only ERROR)", stderr.String())
	}
}

func TestMemoryAndQueueConfigErrors(t *testing.T) {
	const y = `version: 1
handlers:
  m: {class: MemoryHandler, capacity: 2, target: q}
  q: {class: QueueHandler, handlers: [n, m]}
  n: {class: NullHandler}
  lost: {class: MemoryHandler, target: nowhere}
  bad: {class: QueueHandler, queue: foo, listener: bar}
  lvl: {class: MemoryHandler, flushLevel: NOTSET, flushOnClose: "no", capacity: -1}
`
	_, err := Parse([]byte(y), "t.yaml")
	want := `t.yaml:4:42: handlers.q.handlers[1]: cycle of targets: m -> q -> m
t.yaml:6:40: handlers.lost.target: handler "nowhere" is not defined (defined: bad, lost, lvl, m, n, q)
t.yaml:7:37: handlers.bad.queue: unknown queue "foo": the queue is the handler's mailbox (set its size in the mailbox block); want one of queue.Queue, queue.SimpleQueue, multiprocessing.Queue
t.yaml:7:52: handlers.bad.listener: unknown listener "bar": the listener is the handler's actor; want logging.handlers.QueueListener
t.yaml:8:43: handlers.lvl.flushLevel: must be 1 or more
t.yaml:8:65: handlers.lvl.flushOnClose: want true or false, got "no"
t.yaml:8:81: handlers.lvl.capacity: want an integer of 0 or more, got -1`
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	if !errors.Is(err, ErrCycle) || !errors.Is(err, ErrUndefined) || !errors.Is(err, actors.ErrInvalidOptions) {
		t.Error("errors.Is fails")
	}
}

func TestFlushOnCloseBindsToItsOpposite(t *testing.T) {
	cfg := mustParse(t, `version: 1
handlers:
  off: {class: MemoryHandler, capacity: 1, flushOnClose: false}
  on: {class: MemoryHandler, capacity: 1, flushOnClose: true}
  unset: {class: MemoryHandler, capacity: 1}
`)
	for name, no := range map[string]bool{"off": true, "on": false, "unset": false} {
		if got := cfg.Handlers[name].Options.(*MemoryHandlerOptions).NoFlushOnClose; got != no {
			t.Errorf("%s: NoFlushOnClose %v", name, got)
		}
		if v, ok := cfg.Handlers[name].Param("flushOnClose"); ok != (name != "unset") || (ok && v != !no) {
			t.Errorf("%s: Param(flushOnClose) = %v, %v", name, v, ok)
		}
	}
	if !strings.Contains(strings.Join(classes.lookup("MemoryHandler").Keys(), " "), "flushOnClose") {
		t.Error("key flushOnClose missing")
	}
}
