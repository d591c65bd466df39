// Package supervision restarts failed protoactor actors with an exponential
// back-off, as Python's SocketHandler retries its connection. actorlog
// supervises every handler with it; any protoactor user may supervise actors
// of their own with it.
//
// # The schedule
//
// After a child's n-th consecutive failure a Backoff restarts it once
// Delay(n) has passed:
//
//	min(RetryStart * RetryFactor^(n-1), RetryMax)   // 1 s, 2 s, 4 s, ... 16 s, 30 s, 30 s
//
// A child that runs ResetAfter without failing starts again at RetryStart.
// protoactor's own "exponential" strategy is linear and has no cap, hence
// this one. Every duration is bounded by DelayLimit (a day).
//
// # Use
//
// Backoff.Strategy is the protoactor actor.SupervisorStrategy. A top-level
// actor takes it from actor.WithGuardian on its props (protoactor ignores
// actor.WithSupervisor for an actor spawned from Root); a parent passes it
// to actor.WithSupervisor for its children. While a restart is pending the
// child's mailbox is suspended: its messages wait, a Stop still works at
// once. The Example supervises an actor behind a mailbox.Mailbox.
//
// Options.OnRestart lets the caller count restarts; Options.Clock, a
// clock.Clock, lets tests drive time with a clock.Fake.
//
// # Stopping
//
// A restart is a timer, not a goroutine. Close the Backoff when the actor
// system shuts down: it stops the pending timers, and a failure after Close
// stops the child instead. A timer that fires for a child that has stopped
// meanwhile does nothing, so no dead letter and no goroutine is left
// behind.
//
// # Configuration
//
// Options maps the config file's supervision block (retryStart,
// retryFactor, retryMax, resetAfter); Options.Validate names every field
// that is wrong.
package supervision
