package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/engine"
)

// signals are the channels the control path of serve and send reads.
type signals struct {
	// stop receives SIGINT and SIGTERM. It is a channel of its own, so a
	// burst of other signals can never fill it and crowd them out.
	stop chan os.Signal
	// reopen receives SIGHUP (serve only; nil otherwise, which a select
	// never picks). One slot: the signals of a burst that come while one
	// is pending are dropped, so a burst coalesces into one reopen.
	reopen chan os.Signal
}

// notifySignals starts catching the stop signals and, when reopen is
// true, the reopen signals. Call it before anything can block, so a
// signal is never left unread; stop it with close.
func notifySignals(reopen bool) *signals {
	s := &signals{stop: make(chan os.Signal, 1)}
	signal.Notify(s.stop, stopSignals...)
	if reopen && len(reopenSignals) > 0 {
		s.reopen = make(chan os.Signal, 1)
		signal.Notify(s.reopen, reopenSignals...)
	}
	return s
}

// close stops catching the signals.
func (s *signals) close() {
	signal.Stop(s.stop)
	if s.reopen != nil {
		signal.Stop(s.reopen)
	}
}

// stoppable runs step off the control path and waits for it or for a
// stop signal, whichever comes first: a step may block in open(2) (a
// FileHandler on a FIFO with no reader does, as Python's does; so does a
// --config naming one), and a stop signal must still be seen. After a
// signal the step is abandoned, and the command is expected to exit.
func stoppable[T any](stop <-chan os.Signal, step func() (T, error)) (T, os.Signal, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := step()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, nil, r.err
	case s := <-stop:
		var zero T
		return zero, s, nil
	}
}

// loadConfig reads the config at path, or parses def (named name) when
// path is "", as a stoppable step. It returns nil after saying on stderr
// why there is no config.
func loadConfig(cmd, path string, def []byte, name string, stop <-chan os.Signal, stderr io.Writer) *config.Config {
	cfg, sig, err := stoppable(stop, func() (*config.Config, error) {
		if path == "" {
			return config.Parse(def, name)
		}
		return config.Load(path)
	})
	switch {
	case err != nil:
		fmt.Fprintln(stderr, err)
	case sig != nil:
		fmt.Fprintf(stderr, "actorlog %s: stopped by %v while reading the config %s\n", cmd, sig, path)
	}
	return cfg
}

// startEngine builds the engine of cfg as a stoppable step. It returns the
// engine, or nil after saying on stderr why there is none: Build's error,
// or the stop signal that came first, naming the handlers still starting.
func startEngine(cmd string, cfg *config.Config, o config.BuildOptions, stop <-chan os.Signal, stderr io.Writer) *engine.Engine {
	eng, sig, err := stoppable(stop, func() (*engine.Engine, error) { return config.Build(cfg, o) })
	switch {
	case err != nil:
		fmt.Fprintln(stderr, err)
	case sig != nil:
		fmt.Fprintf(stderr, "actorlog %s: stopped by %v while handlers were still starting (%s): not started\n",
			cmd, sig, strings.Join(cfg.HandlerOrder(), ", "))
	}
	return eng
}

// drainGrace is how long past its deadline a drain is still waited for,
// for Shutdown to count what the deadline cut off.
const drainGrace = 250 * time.Millisecond

// errAbandoned says a drain overran its deadline and was left behind.
var errAbandoned = errors.New("abandoned: a handler is blocked")

// shutdown drains eng within timeout (engine.Shutdown). A drain that
// overruns its deadline (a sink blocked in a system call) is abandoned
// drainGrace after it, and so is one still running when a stop signal
// comes (a second SIGINT or SIGTERM, the first having begun the stop):
// the error then wraps errAbandoned, and what is still in flight shows in
// the stats. The command exits soon after, ending the goroutine.
func shutdown(eng *engine.Engine, timeout time.Duration, stop <-chan os.Signal) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- eng.Shutdown(ctx) }()
	select {
	case err := <-done:
		return err
	case s := <-stop:
		return fmt.Errorf("drain stopped by %v: %w", s, errAbandoned)
	case <-ctx.Done():
	}
	grace := time.NewTimer(drainGrace)
	defer grace.Stop()
	select {
	case err := <-done:
		return err
	case <-grace.C:
		return fmt.Errorf("drain not finished within %v: %w", timeout, errAbandoned)
	}
}
