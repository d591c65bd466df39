package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// sendTimeout is send's default bound on its final drain.
const sendTimeout = 5 * time.Second

const sendAbout = `Log MESSAGE (the arguments joined by spaces) through the configured handlers,
or, with no MESSAGE, each line of standard input. With --count N, log MESSAGE
N times with an attribute seq numbering the records from 1 (MESSAGE defaults
to "test record"); --count 0 logs nothing. Then drain the handlers (at most
--timeout) and print

    sent N, written W, dropped D

With several handlers, W is the fewest records any of them wrote, D the most
any of them dropped, each followed by the count per handler:
"written 6 (console 6, file 6)". A handler the records did not reach (its
level is above them, or it belongs to another logger) is left out. When the
drain did not finish (a sink blocked past --timeout), ", unfinished U" counts
the records still in flight.

SIGINT or SIGTERM stops the reading: what was logged is drained within
--timeout (a second signal cuts the drain short) and the summary printed. Exit status 1 if a signal stopped send,
any record was dropped or unfinished, or any handler failed.

With no --config, records go to the collector of ` + "`actorlog serve`" + ` at
--to (127.0.0.1:9020) through a SocketHandler with ack: true, and send also
prints

    acknowledged A by 127.0.0.1:9020

the records the collector acknowledged as written by its handlers; exit
status 1 unless every record was. With nothing listening, send says so at
once, counts its records as dropped and exits 1 within about --timeout.`

// sendOptions are send's flags and arguments.
type sendOptions struct {
	config  string        // --config; "" for a SocketHandler to --to
	to      string        // --to: the collector without --config
	logger  string        // --logger
	level   record.Level  // --level
	count   int           // --count; -1 when not given
	attrs   attrFlag      // --attr, repeated
	timeout time.Duration // --timeout: the bound of the final drain
	message string        // the arguments joined by spaces
}

func send(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code, done := parseSendFlags(args, stdout, stderr)
	if done {
		return code
	}
	sigs := notifySignals(false)
	defer sigs.close()
	var (
		eng *engine.Engine
		col *central // the default collector, without --config
	)
	if o.config == "" {
		var err error
		if eng, col, err = startCentral(o.to, o.timeout, stderr); err != nil {
			fmt.Fprintf(stderr, "actorlog send: %v\n", err)
			return exitFail
		}
	} else {
		cfg := loadConfig("send", o.config, nil, "", sigs.stop, stderr)
		if cfg == nil {
			return exitFail
		}
		if eng = startEngine("send", cfg, config.BuildOptions{Engine: engine.Options{ErrorOutput: stderr}, MakeDirs: true}, sigs.stop, stderr); eng == nil {
			return exitFail
		}
	}
	log := eng.Logger(o.logger)
	if o.count == 0 {
		fmt.Fprintln(stderr, "actorlog send: --count 0: no records to send")
	}
	p := startProducer(log, o, stdin)
	ok := p.waitOrStop(sigs.stop, stderr)
	if err := shutdown(eng, o.timeout, sigs.stop); err != nil {
		fmt.Fprintf(stderr, "actorlog send: drain: %v\n", err)
		ok = false
	}
	if err := p.wait(drainGrace); err != nil {
		fmt.Fprintf(stderr, "actorlog send: %v\n", err)
		ok = false
	}
	sum := summarize(p.sent.Load(), eng.Stats())
	fmt.Fprintln(stdout, sum)
	delivered := sum.report(log, o, stderr)
	if col != nil {
		// Every record acknowledged is every record delivered, whatever
		// connection errors the handler met (and recovered from) on the way.
		delivered = col.report(p.sent.Load(), stdout, stderr)
	}
	ok = ok && delivered
	if !ok {
		return exitFail
	}
	return exitOK
}

// parseSendFlags parses send's command line; done and code as parseFlags.
func parseSendFlags(args []string, stdout, stderr io.Writer) (o sendOptions, code int, done bool) {
	fs := newFlags("send", "send [--config FILE | --to ADDR] [--logger NAME] [--level LEVEL] [--count N] [--attr k=v ...] [--timeout D] [MESSAGE...]", sendAbout, stderr)
	fs.StringVar(&o.config, "config", "", "the config `FILE`; default: a SocketHandler with ack to the collector (--to)")
	fs.StringVar(&o.to, "to", centralAddr, "without --config, the collector's `ADDR` (host:port)")
	fs.StringVar(&o.logger, "logger", "", "the `NAME` of the logger to log through; default the root")
	levelName := fs.String("level", "INFO", "the records' `LEVEL`: a name (DEBUG, INFO, WARNING, ERROR, CRITICAL) or a number")
	fs.IntVar(&o.count, "count", 0, "log MESSAGE `N` times, with an attribute seq from 1 to N; 0 logs nothing")
	fs.Var(&o.attrs, "attr", "add the attribute `k=v` to each record (repeatable)")
	fs.DurationVar(&o.timeout, "timeout", sendTimeout, "the most the final drain may take (`D`, a duration: 5s, 500ms)")
	pos, code, done := parseFlags(fs, args, stdout)
	if done {
		return o, code, done
	}
	o.message = strings.Join(pos, " ")
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "count" })
	var ok bool
	o.level, ok = record.ParseLevelFold(*levelName)
	switch {
	case !ok:
		fmt.Fprintf(stderr, "actorlog send: unknown level %q\n", *levelName)
	case o.count < 0:
		fmt.Fprintf(stderr, "actorlog send: --count %d must not be negative\n", o.count)
	case o.timeout <= 0:
		fmt.Fprintf(stderr, "actorlog send: --timeout %v must be positive\n", o.timeout)
	default:
		if !given {
			o.count = -1
		}
		return o, 0, false
	}
	return o, exitUsage, true
}

// eachRecord calls emit with each record of the command line, in order:
// --count records, or the message, or each line of stdin; it stops early
// when quit is closed. It returns the error of reading stdin.
func (o *sendOptions) eachRecord(stdin io.Reader, quit <-chan struct{}, emit func(msg string, attrs []slog.Attr)) error {
	switch {
	case o.count >= 0:
		msg := o.message
		if msg == "" {
			msg = "test record"
		}
		as := make([]slog.Attr, 0, len(o.attrs)+1)
		as = append(as, slog.Int("seq", 0))
		as = append(as, o.attrs...)
		for i := 1; i <= o.count && !closed(quit); i++ {
			// Only the value changes. A whole slog.Int built on the stack and
			// copied in would be read back in 16-byte moves right after its
			// 8-byte stores: a stalled store forward on every record.
			as[0].Value = slog.Int64Value(int64(i))
			emit(msg, as)
		}
	case o.message != "":
		emit(o.message, o.attrs)
	default:
		lines, errc := readLines(stdin, quit)
		for l := range lines {
			if closed(quit) {
				return nil // the reader may be blocked in a read: do not wait for it
			}
			emit(l, o.attrs)
		}
		if err := <-errc; err != nil { // sent before lines was closed
			return fmt.Errorf("reading standard input: %w", err)
		}
	}
	return nil
}

// closed reports whether c is closed, without waiting.
func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// readLines reads r line by line in a goroutine of its own, so that a read
// waiting for input never keeps send from a signal. It stops at the end of
// r or when quit is closed; lines is then closed and errc gets the error
// of reading (nil at the end of input or on quit).
func readLines(r io.Reader, quit <-chan struct{}) (lines <-chan string, errc <-chan error) {
	out := make(chan string)
	ec := make(chan error, 1)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for sc.Scan() {
			select {
			case out <- sc.Text():
			case <-quit:
				ec <- nil
				return
			}
		}
		ec <- sc.Err()
	}()
	return out, ec
}

// producer logs send's records in a goroutine of its own: a logging call
// blocked on a full mailbox (the Block policy with a stuck sink) must never
// keep send from its signals.
type producer struct {
	sent atomic.Int64  // records handed to the logger, counted before the call
	quit chan struct{} // closed by stop
	done chan struct{} // closed when the producer has returned
	err  error         // of reading stdin; read after done
}

// startProducer starts logging o's records on log.
func startProducer(log *engine.Logger, o sendOptions, stdin io.Reader) *producer {
	p := &producer{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.err = o.eachRecord(stdin, p.quit, func(msg string, attrs []slog.Attr) {
			p.sent.Add(1)
			log.Log(o.level, msg, attrs...)
		})
	}()
	return p
}

// waitOrStop waits until the producer has logged every record, or until
// a stop signal, which then stops it (what it logged is left for the
// drain) and is reported false.
func (p *producer) waitOrStop(stop <-chan os.Signal, stderr io.Writer) bool {
	select {
	case <-p.done:
		return true
	case sig := <-stop:
		close(p.quit)
		fmt.Fprintf(stderr, "actorlog send: stopped by %v\n", sig)
		return false
	}
}

// wait waits at most grace for the producer to return and gives its error;
// a producer still blocked in a logging call is left behind.
func (p *producer) wait(grace time.Duration) error {
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.done:
		return p.err
	case <-t.C:
		return nil
	}
}

// handlerCounts are the figures of one handler in send's summary.
type handlerCounts struct {
	name                         string
	written, dropped, unfinished uint64
}

// sendSummary is what send reports at the end.
type sendSummary struct {
	sent     int64
	handlers []handlerCounts // the handlers the records reached, in creation order
	errors   uint64          // handler errors, over every handler
}

// summarize takes send's figures from the engine's stats once the drain is
// over: a handler that received no record (its level is above them, or
// no logger of the records has it) is left out.
func summarize(sent int64, s engine.Stats) sendSummary {
	sum := sendSummary{sent: sent}
	for _, h := range s.Handlers {
		sum.errors += h.Errors
		if h.Received > 0 {
			sum.handlers = append(sum.handlers, handlerCounts{h.Name, h.Written, h.DroppedTotal(), h.InFlight})
		}
	}
	return sum
}

// report explains the summary on stderr: the level when it kept every
// record from every handler, the handler errors. It reports false when a
// record was lost: dropped, unfinished, or a handler failed.
func (s sendSummary) report(log *engine.Logger, o sendOptions, stderr io.Writer) bool {
	if s.sent > 0 && len(s.handlers) == 0 && !log.Enabled(o.level) {
		fmt.Fprintf(stderr, "actorlog send: no handler took the records: %v is below the level of logger %q or of its handlers\n", o.level, o.logger)
	}
	if s.errors > 0 {
		fmt.Fprintf(stderr, "actorlog send: %d handler error%s\n", s.errors, plural(int(s.errors)))
		return false
	}
	for _, h := range s.handlers {
		if h.dropped > 0 || h.unfinished > 0 {
			return false
		}
	}
	return true
}

// String is the summary line: "sent N, written W, dropped D" and, when the
// drain did not finish, ", unfinished U".
func (s sendSummary) String() string {
	written := func(h handlerCounts) uint64 { return h.written }
	dropped := func(h handlerCounts) uint64 { return h.dropped }
	unfinished := func(h handlerCounts) uint64 { return h.unfinished }
	line := fmt.Sprintf("sent %d, written %s, dropped %s", s.sent, s.figure(written, true), s.figure(dropped, false))
	if u := s.figure(unfinished, false); u != "0" {
		line += ", unfinished " + u
	}
	return line
}

// figure gives one figure of the summary: with one handler its count; with
// several, the fewest (written) or the most (dropped, unfinished) of them,
// then the count of each handler (of each one that is not 0 unless
// fewest).
func (s sendSummary) figure(count func(handlerCounts) uint64, fewest bool) string {
	if len(s.handlers) == 0 {
		return "0"
	}
	v := count(s.handlers[0])
	var each []string
	for _, h := range s.handlers {
		n := count(h)
		if fewest && n < v || !fewest && n > v {
			v = n
		}
		if fewest || n > 0 {
			each = append(each, fmt.Sprintf("%s %d", h.name, n))
		}
	}
	if len(s.handlers) == 1 || len(each) == 0 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%d (%s)", v, strings.Join(each, ", "))
}

// attrFlag collects repeated --attr k=v flags.
type attrFlag []slog.Attr

func (a *attrFlag) String() string {
	parts := make([]string, len(*a))
	for i, at := range *a {
		parts[i] = at.String()
	}
	return strings.Join(parts, " ")
}

func (a *attrFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	*a = append(*a, slog.String(k, v))
	return nil
}
