package engine

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// ErrListenerStarted is returned by Listener.Start on a listener already
// started, as Python 3.14's RuntimeError('Listener already started').
var ErrListenerStarted = errors.New("listener already started")

// Listener is Python's QueueListener for a Queue handler (an actors.Queue
// sink): the handler's mailbox is the queue and its actor the listener,
// which hands each prepared record to the handlers named by its
// HandlerOptions.Targets.
//
// The actor runs from NewHandler to Shutdown, so records flow before Start
// and after Stop: a listener that waited for Start would leave a bounded
// queue to block its callers (Python's dictConfig leaves the listener to
// the application to start). Start and Stop keep Python's contract where it
// matters: Stop returns only once every record posted to the queue before
// it was handled by the listener's handlers, Start on a started listener
// fails (3.14), and Stop twice, or before Start, does no harm. Safe for
// concurrent use.
type Listener struct {
	h       *Handler
	mu      sync.Mutex
	started bool
}

// Listener returns the listener of a Queue handler, nil for other handlers.
func (h *Handler) Listener() *Listener { return h.listener }

// Start marks the listener started; it fails with ErrListenerStarted if it
// is started already. Records are handled whether or not it is started.
func (l *Listener) Start() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		return ErrListenerStarted
	}
	l.started = true
	return nil
}

// Stop waits until every record posted to the queue before the call has
// been handed to the listener's handlers and handled by them (written,
// filtered or dropped and counted), or until ctx ends, and marks the
// listener stopped. After Shutdown it returns at once.
func (l *Listener) Stop(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.started = false
	return l.h.flushAll(ctx)
}

// flushAll waits for h and then for its targets to handle what was posted
// before the call.
func (h *Handler) flushAll(ctx context.Context) error {
	err := ignoreStopped(h.h.Flush(ctx, false))
	h.eng.mu.Lock()
	targets := slices.Clone(h.targets)
	h.eng.mu.Unlock()
	for _, t := range targets {
		err = errors.Join(err, t.flushAll(ctx))
	}
	return err
}
