package config

import (
	"strings"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/internal/optcheck"
)

// MemoryHandlerOptions are MemoryHandler's parameters: the Memory sink's
// options and target, the handler it passes its buffer to (Build sets the
// handler's HandlerOptions.Targets from it).
type MemoryHandlerOptions struct {
	actors.MemoryOptions
	// Target names another handler of the file; none means no target, as
	// Python's target=None.
	Target string `config:"target,handler"`
}

// QueueHandlerOptions are QueueHandler's parameters, Python 3.12's keys:
// the handlers its listener hands records to (Build sets the handler's
// HandlerOptions.Targets from them), respect_handler_level, and queue and
// listener, which may name only Python's standard classes: the handler's
// mailbox is the queue (its size and overflow policy are the mailbox
// block's), and its actor the listener.
type QueueHandlerOptions struct {
	actors.QueueOptions
	// Handlers names other handlers of the file.
	Handlers []string `config:"handlers,handler"`
	// Queue is "" or a standard queue class (queue.Queue, queue.SimpleQueue,
	// multiprocessing.Queue, each also as ext://...).
	Queue string `config:"queue"`
	// Listener is "" or logging.handlers.QueueListener (also as ext://...).
	Listener string `config:"listener"`
}

// The classes a QueueHandler's queue and listener keys may name.
var (
	queueClasses    = []string{"queue.Queue", "queue.SimpleQueue", "multiprocessing.Queue"}
	listenerClasses = []string{"logging.handlers.QueueListener"}
)

// Validate reports a queue or listener other than Python's standard ones.
func (o QueueHandlerOptions) Validate() error {
	p := optcheck.New(actors.ErrInvalidOptions)
	if q := strings.TrimPrefix(o.Queue, "ext://"); q != "" && !contains(queueClasses, q) {
		p.Addf("Queue", "unknown queue %q: the queue is the handler's mailbox (set its size in the mailbox block); want one of %s", o.Queue, strings.Join(queueClasses, ", "))
	}
	if l := strings.TrimPrefix(o.Listener, "ext://"); l != "" && !contains(listenerClasses, l) {
		p.Addf("Listener", "unknown listener %q: the listener is the handler's actor; want %s", o.Listener, listenerClasses[0])
	}
	return p.Err()
}
