// Package supervision restarts failed handler actors with an exponential
// back-off, as Python's SocketHandler retries its connection.
//
// # The schedule
//
// Backoff is a protoactor actor.SupervisorStrategy. After a child's n-th
// consecutive failure it restarts the child once Delay(n) has passed:
//
//	min(RetryStart * RetryFactor^(n-1), RetryMax)   // 1 s, 2 s, 4 s, ... 16 s, 30 s, 30 s
//
// A child that runs ResetAfter without failing starts again at RetryStart.
// protoactor's own "exponential" strategy is linear and has no cap, hence
// this one.
//
// # Using it
//
// A top-level actor takes its strategy from actor.WithGuardian on its props;
// protoactor ignores actor.WithSupervisor for it. A parent supervising
// handler children passes the Backoff to actor.WithSupervisor instead.
// Options.OnRestart lets the engine count restarts; Options.Clock lets tests
// drive time. Close the Backoff when the actor system shuts down: it stops the
// pending restart timers, and a timer that fires for a child that has
// stopped meanwhile does nothing, so no dead letter and no goroutine is left
// behind.
//
// # Configuration
//
// Options maps the config file's supervision block (retryStart, retryFactor,
// retryMax, resetAfter); Options.Validate names what is wrong with it.
package supervision
