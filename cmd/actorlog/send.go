package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// sendTimeout bounds the final drain of send.
const sendTimeout = 60 * time.Second

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

func send(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("send", "send [--config FILE] [--logger NAME] [--level LEVEL] [--count N] [--attr k=v ...] [MESSAGE...]",
		`Log MESSAGE (the arguments joined by spaces) through the configured handlers,
or, with no MESSAGE, each line of standard input. With --count N, log MESSAGE
N times with an attribute seq numbering the records from 1 (MESSAGE defaults
to "test record"). Then flush and print "sent N, written W, dropped D" (W and
D summed over the handlers). Exit status 1 if any record was dropped or any
handler failed.

With no --config, records go to standard error.`, stderr)
	path := fs.String("config", "", "the config `FILE`; default: a StreamHandler to stderr")
	loggerName := fs.String("logger", "", "the `NAME` of the logger to log through; default the root")
	levelName := fs.String("level", "INFO", "the records' `LEVEL`: a name (DEBUG, INFO, WARNING, ERROR, CRITICAL) or a number")
	count := fs.Int("count", 0, "log MESSAGE `N` times, with an attribute seq from 1 to N")
	var attrs attrFlag
	fs.Var(&attrs, "attr", "add the attribute `k=v` to each record (repeatable)")
	pos, code, done := parseFlags(fs, args, stdout)
	if done {
		return code
	}
	level, ok := record.ParseLevel(*levelName)
	if !ok {
		level, ok = record.ParseLevel(strings.ToUpper(*levelName))
	}
	if !ok {
		fmt.Fprintf(stderr, "actorlog send: unknown level %q\n", *levelName)
		return exitUsage
	}
	if *count < 0 {
		fmt.Fprintf(stderr, "actorlog send: --count %d must not be negative\n", *count)
		return exitUsage
	}
	cfg := loadConfig("send", *path, []byte(sendConfig), "built-in send config", nil, stderr)
	if cfg == nil {
		return exitFail
	}
	eng, err := config.Build(cfg, config.BuildOptions{Engine: engine.Options{ErrorOutput: stderr}})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	log := eng.Logger(*loggerName)
	msg := strings.Join(pos, " ")
	var sent int
	failed := false
	switch {
	case *count > 0:
		if msg == "" {
			msg = "test record"
		}
		as := make([]slog.Attr, 0, len(attrs)+1)
		as = append(as, slog.Int("seq", 0))
		as = append(as, attrs...)
		for i := 1; i <= *count; i++ {
			as[0] = slog.Int("seq", i)
			log.Log(level, msg, as...)
			sent++
		}
	case msg != "":
		log.Log(level, msg, attrs...)
		sent++
	default:
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for sc.Scan() {
			log.Log(level, sc.Text(), attrs...)
			sent++
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintf(stderr, "actorlog send: reading standard input: %v\n", err)
			failed = true
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	if err := eng.Flush(ctx); err != nil {
		fmt.Fprintf(stderr, "actorlog send: flush: %v\n", err)
		failed = true
	}
	if err := eng.Shutdown(ctx); err != nil {
		fmt.Fprintf(stderr, "actorlog send: shutdown: %v\n", err)
		failed = true
	}
	var written, dropped, errs uint64
	for _, h := range eng.Stats().Handlers {
		written += h.Written
		dropped += h.DroppedTotal()
		errs += h.Errors
	}
	fmt.Fprintf(stdout, "sent %d, written %d, dropped %d\n", sent, written, dropped)
	if sent > 0 && written == 0 && dropped == 0 && errs == 0 {
		fmt.Fprintf(stderr, "actorlog send: no handler took the records: is %v below the level of logger %q or of its handlers?\n", level, *loggerName)
	}
	if dropped > 0 || errs > 0 || failed {
		if errs > 0 {
			fmt.Fprintf(stderr, "actorlog send: %d handler error%s\n", errs, plural(int(errs)))
		}
		return exitFail
	}
	return exitOK
}
