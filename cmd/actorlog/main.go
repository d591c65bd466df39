package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

//go:embed default.yaml
var defaultConfig []byte

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and something failed
	exitUsage = 2 // bad command line
)

const usage = `actorlog: a logging engine in which every handler is an actor.

Usage:
  actorlog serve [--config FILE] [--stats-addr ADDR] [--timeout D]
                 [--print-default-config]
        run the collector: the configured handlers (and receivers) until
        SIGINT or SIGTERM, then drain them (at most --timeout); SIGHUP
        reopens files. With no --config, the embedded default config.
  actorlog send [--config FILE] [--logger NAME] [--level LEVEL] [--count N]
                [--attr k=v ...] [--timeout D] [MESSAGE...]
        log MESSAGE (or each line of standard input) through the configured
        handlers, drain them (at most --timeout), and print how many records
        were sent, and written and dropped per handler.
  actorlog check --config FILE
        validate a config and print its handler tree, or every error.

Run 'actorlog COMMAND --help' for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program, with its streams passed in.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "send":
		return send(args[1:], stdin, stdout, stderr)
	case "check":
		return check(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "actorlog: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// newFlags returns a FlagSet for a command, reporting bad flags to stderr.
func newFlags(name, synopsis, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("actorlog "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: actorlog %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, flags and positional arguments in any order (up
// to a "--", after which everything is positional); done is true when the
// command should end with status code: after --help (usage on stdout,
// status 0) or a bad flag (usage on stderr, status 2). The positional
// arguments are returned.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (pos []string, code int, done bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, exitOK, true
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, true
			}
			return nil, exitUsage, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), 0, false
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
