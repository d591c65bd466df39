package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/receiver"
	"github.com/actorlog/actorlog/record"
)

// serveTimeout is serve's default bound on the drain of every mailbox when
// it stops.
const serveTimeout = 10 * time.Second

const serveAbout = `Run the collector: build the configured handlers and receivers, print the
config it runs and what it listens on, and run until SIGINT or SIGTERM; then
drain every handler's mailbox (at most --timeout; a second signal cuts it
short) and exit 0, or 1 if records were lost or the drain did not finish. SIGHUP reopens the file handlers'
files, for logrotate; a burst of SIGHUPs makes one reopen running and at most
one more, each bounded to 10 s. SIGINT or SIGTERM while the handlers are
still starting (a file on a FIFO blocks its open) stops serve at once with
status 1. serve logs its own start, reopen and stop through the logger
"actorlog.serve".

--stats-addr is bound before any handler opens its file, so a busy address
fails without touching them; an address that is not loopback is warned about.

With no --config, the embedded default config: a console handler on stderr,
a rotating file under ./logs, and receivers on TCP 127.0.0.1:9020 and UDP
127.0.0.1:9021. Missing directories of file handlers are created.`

// serveOptions are serve's flags.
type serveOptions struct {
	config       string        // --config; "" for the embedded default
	statsAddr    string        // --stats-addr; "" for none
	printDefault bool          // --print-default-config
	timeout      time.Duration // --timeout: the bound of the final drain
}

func serve(args []string, stdout, stderr io.Writer) int {
	o, code, done := parseServeFlags(args, stdout, stderr)
	if done {
		return code
	}
	if o.printDefault {
		_, _ = stdout.Write(defaultConfig)
		return exitOK
	}
	// Signals are caught before anything can block or be announced, so
	// that one sent at any point is seen.
	sigs := notifySignals(true)
	defer sigs.close()
	c := &collector{o: o, out: &syncWriter{w: stdout}, stderr: stderr}
	defer func() { c.stats.close() }() // set by start; closing twice is harmless
	defer c.closeReceivers()           // idem
	if !c.start(sigs.stop) {
		return exitFail
	}
	return c.stop(runLoop(sigs, c.reopener), sigs.stop)
}

// collector is a running serve: its steps are start, runLoop and stop.
type collector struct {
	o        serveOptions
	out      io.Writer // stdout, shared by the control path and the reopener
	stderr   io.Writer
	stats    *statsServer // nil without --stats-addr
	rcvs     []*receiver.Receiver
	eng      *engine.Engine
	log      *engine.Logger // "actorlog.serve"
	reopener *reopener
	js       []*receiver.JetStreamReceiver
}

// start loads the config, binds the listeners, then builds the engine
// (off the control path: a stop signal ends a start that blocks) and
// starts the reopener. It reports whether serve is ready; if not, it has
// said why on stderr.
func (c *collector) start(stop <-chan os.Signal) bool {
	name := c.o.config
	if name == "" {
		name = "default config (embedded)"
	}
	fmt.Fprintf(c.out, "actorlog serve: %s, pid %d\n", name, os.Getpid())
	cfg := loadConfig("serve", c.o.config, defaultConfig, "default.yaml", stop, c.stderr)
	if cfg == nil {
		return false
	}
	// Listeners first: a busy address must fail before any handler opens,
	// and so truncates, its file.
	var err error
	if c.stats, err = bindStats(c.o.statsAddr, c.stderr); err != nil {
		fmt.Fprintf(c.stderr, "actorlog serve: %v\n", err)
		return false
	}
	if !c.bindReceivers(cfg) {
		return false
	}
	announce(c.out, cfg, c.rcvs, c.stats)
	bo := config.BuildOptions{Engine: engine.Options{ErrorOutput: c.stderr}, MakeDirs: true}
	if c.eng = startEngine("serve", cfg, bo, stop, c.stderr); c.eng == nil {
		return false
	}
	for _, r := range c.rcvs {
		r.Start(c.eng)
	}
	c.stats.serve(c.eng)
	var ok bool
	if c.js, ok = startJetStream(cfg, c.eng, c.out, c.stderr); !ok {
		_ = shutdown(c.eng, c.o.timeout, nil)
		return false
	}
	c.log = c.eng.Logger("actorlog.serve")
	c.log.Log(record.LevelInfo, "started", slog.Int("pid", os.Getpid()))
	began, ended := reopenReporter(c.log, c.out, c.stderr)
	c.reopener = startReopener(c.eng.Reopen, reopenTimeout, began, ended)
	fmt.Fprintln(c.out, readyLine)
	return true
}

// stop ends serve on sig: it cancels a reopen in progress, closes the
// stats server and drains the engine within --timeout, or until another
// signal on again. It returns the exit status.
func (c *collector) stop(sig os.Signal, again <-chan os.Signal) int {
	fmt.Fprintf(c.out, "stopping on %v\n", sig)
	c.log.Log(record.LevelInfo, "stopping", slog.String("signal", sig.String()))
	c.reopener.stop(time.Second)
	c.closeReceivers() // first: nothing arrives after the handlers drained
	c.stats.close()
	closeJetStream(c.js)
	code := exitOK
	if err := shutdown(c.eng, c.o.timeout, again); err != nil {
		fmt.Fprintf(c.stderr, "actorlog serve: shutdown: %v\n", err)
		code = exitFail
	}
	fmt.Fprintln(c.out, "stopped")
	return code
}

// bindReceivers binds every configured receiver's address, before any
// handler opens its file, so that a busy port fails first.
func (c *collector) bindReceivers(cfg *config.Config) bool {
	for _, spec := range cfg.Receivers {
		o, ok := spec.Options.(*receiver.Options)
		if !ok { // a jetstream receiver listens on nothing: see startJetStream
			continue
		}
		r, err := receiver.Bind(*o)
		if err != nil {
			fmt.Fprintf(c.stderr, "actorlog serve: %v\n", err)
			c.closeReceivers()
			return false
		}
		c.rcvs = append(c.rcvs, r)
	}
	return true
}

// closeReceivers stops every receiver; records they handed on stay with
// the handlers.
func (c *collector) closeReceivers() {
	for _, r := range c.rcvs {
		if err := r.Close(); err != nil && err != receiver.ErrClosed {
			fmt.Fprintf(c.stderr, "actorlog serve: %s: %v\n", r, err)
		}
	}
}

// parseServeFlags parses serve's command line; done and code as parseFlags.
func parseServeFlags(args []string, stdout, stderr io.Writer) (o serveOptions, code int, done bool) {
	fs := newFlags("serve", "serve [--config FILE] [--stats-addr ADDR] [--timeout D] [--print-default-config]", serveAbout, stderr)
	fs.StringVar(&o.config, "config", "", "the config `FILE`; default: the embedded default config")
	fs.StringVar(&o.statsAddr, "stats-addr", "", "serve stats over HTTP on `ADDR` (host:port): Prometheus text at /metrics, JSON at /stats; default off")
	fs.DurationVar(&o.timeout, "timeout", serveTimeout, "the most the drain at stop may take (`D`, a duration: 10s, 500ms)")
	fs.BoolVar(&o.printDefault, "print-default-config", false, "print the embedded default config and exit")
	pos, code, done := parseFlags(fs, args, stdout)
	switch {
	case done:
	case len(pos) > 0:
		fmt.Fprintf(stderr, "actorlog serve: unexpected arguments %q\n", pos)
		code, done = exitUsage, true
	case o.timeout <= 0:
		fmt.Fprintf(stderr, "actorlog serve: --timeout %v must be positive\n", o.timeout)
		code, done = exitUsage, true
	}
	return o, code, done
}

// announce prints the config serve runs (as check prints it), what it
// listens on, and that the handlers are starting.
func announce(out io.Writer, cfg *config.Config, rcvs []*receiver.Receiver, stats *statsServer) {
	var tree strings.Builder
	if err := cfg.WriteTree(&tree); err == nil {
		for _, l := range strings.SplitAfter(strings.TrimSuffix(tree.String(), "\n"), "\n") {
			fmt.Fprint(out, "  "+l)
		}
		fmt.Fprintln(out)
	}
	if len(cfg.Receivers) == 0 {
		fmt.Fprintln(out, "  no receivers configured")
	}
	for _, r := range rcvs {
		fmt.Fprintf(out, "  receiving on %s\n", r)
	}
	if stats != nil {
		a := stats.ln.Addr()
		fmt.Fprintf(out, "  stats: http://%s/metrics (Prometheus), http://%s/stats (JSON)\n", a, a)
	}
	fmt.Fprintf(out, "starting handlers: %s\n", strings.Join(cfg.HandlerOrder(), ", "))
}

// runLoop is serve's control path: it waits for a stop signal, which it
// returns, and turns each reopen signal into a request to r. It never
// blocks on anything else, so a stop signal is always seen at once.
func runLoop(sigs *signals, r *reopener) os.Signal {
	for {
		select {
		case s := <-sigs.stop:
			return s
		case <-sigs.reopen:
			r.request()
		}
	}
}

// reopenReporter returns the began and ended reports of serve's reopens:
// a line on stdout each, errors on stderr, and a record on log.
func reopenReporter(log *engine.Logger, out, stderr io.Writer) (began func(), ended func(error)) {
	began = func() { fmt.Fprintln(out, "reopening files") }
	ended = func(err error) {
		if err != nil {
			fmt.Fprintf(stderr, "actorlog serve: reopen: %v\n", err)
			log.Log(record.LevelError, "reopen failed", slog.String("error", err.Error()))
			return
		}
		log.Log(record.LevelInfo, "reopened files")
		fmt.Fprintln(out, "reopened files")
	}
	return began, ended
}

// syncWriter serialises writes from serve's goroutines (the control path
// and the reopener) to one stream, a line at a time.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
