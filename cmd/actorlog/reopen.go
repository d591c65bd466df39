package main

import (
	"context"
	"time"
)

// reopenTimeout bounds one reopen of every file.
const reopenTimeout = 10 * time.Second

// reopener runs serve's reopens in a goroutine of its own, off the signal
// loop, one at a time: a request made while one is pending is merged into
// it, so a burst of SIGHUPs costs at most one reopen running and one
// pending. Each reopen is bounded by reopenTimeout, and stop cancels the
// one running.
type reopener struct {
	pending chan struct{} // one slot: the pending request
	cancel  context.CancelFunc
	done    chan struct{}
}

// startReopener starts the goroutine; reopen does the work (the engine's
// Reopen), began and ended report each reopen as it starts and ends.
func startReopener(reopen func(context.Context) error, timeout time.Duration, began func(), ended func(error)) *reopener {
	ctx, cancel := context.WithCancel(context.Background())
	r := &reopener{pending: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-r.pending:
			}
			began()
			rctx, rcancel := context.WithTimeout(ctx, timeout)
			err := reopen(rctx)
			rcancel()
			ended(err)
		}
	}()
	return r
}

// request asks for a reopen without ever blocking; it reports false when
// one was already pending, which then serves this request too.
func (r *reopener) request() bool {
	select {
	case r.pending <- struct{}{}:
		return true
	default:
		return false
	}
}

// stop cancels the reopen running, if any, and waits at most grace for
// the goroutine to end (a reopen that ignores its context is left behind).
func (r *reopener) stop(grace time.Duration) {
	r.cancel()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-r.done:
	case <-t.C:
	}
}
