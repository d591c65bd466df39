package main

import (
	"fmt"
	"io"

	"github.com/actorlog/actorlog/config"
)

func check(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "check --config FILE",
		"Validate a config file and print the handler tree it makes, or every\nerror in it, each with its file, line and key. Exit status 0 or 1.", stderr)
	path := fs.String("config", "", "the config `FILE` to check (required)")
	pos, code, done := parseFlags(fs, args, stdout)
	if done {
		return code
	}
	if *path == "" && len(pos) == 1 {
		*path = pos[0] // `actorlog check app.yaml` works too
	} else if len(pos) > 0 {
		fmt.Fprintf(stderr, "actorlog check: unexpected arguments %q\n", pos)
		return exitUsage
	}
	if *path == "" {
		fmt.Fprintln(stderr, "actorlog check: --config FILE is required")
		fs.Usage()
		return exitUsage
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		if es, ok := err.(config.Errors); ok {
			fmt.Fprintf(stderr, "%s: %d error%s\n", *path, len(es), plural(len(es)))
		}
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: OK\n", *path)
	for _, w := range cfg.Check() {
		fmt.Fprintf(stderr, "warning: %v\n", w)
	}
	if err := cfg.WriteTree(stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	return exitOK
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
