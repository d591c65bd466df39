//go:build unix

// The README test runs shell commands and signals process groups.

package examples

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notRunHere are README commands this test does not run, and why.
var notRunHere = map[string]string{
	"go test -race ./...":                               "the test suite this test is part of",
	"go install golang.org/x/perf/cmd/benchstat@latest": "downloads a tool",
	"cd bench && go test -run '^$' -bench . -benchmem -benchtime 0.5s -count 6 | tee new.txt":                                                                                         "minutes of benchmarks",
	"benchstat new.txt && /usr/bin/python3 ratios.py new.txt":                                                                                                                         "reads the benchmarks' output",
	"cd bench && go run ./cmd/procbench -runs 10 -dir /dev/shm -o proc.txt":                                                                                                           "minutes of benchmarks",
	"go test -run '^$' -bench 'BenchmarkFile$|Benchmark(FileParallel|FanOut)$|BenchmarkProducerParallel(CPU)?$/(actorlog-null|zerolog)$' -benchmem -benchtime 0.5s -count 6 > go.txt": "minutes of benchmarks",
	"cat proc.txt go.txt > targets.txt && benchstat targets.txt":                                                                                                                      "reads the benchmarks' output",
}

// scriptsNotRunHere are the README's whole scripts (```bash blocks, by their
// first line), which this test does not run, and why.
var scriptsNotRunHere = map[string]string{
	"go install github.com/nats-io/nats-server/v2@v2.15.2": "starts a 3-node NATS cluster on fixed ports with background jobs; " +
		"the same path runs on a real cluster in actors/jetstream, receiver and cmd/actorlog's tests",
}

// block is a fenced block of the README.
type block struct {
	lang  string
	lines []string
	line  int    // of the opening fence
	save  string // NAME of a "Save this as `NAME`:" just before the block
}

// saveAs is the sentence that introduces a file the reader writes.
var saveAs = regexp.MustCompile("Save this as `([^`]+)`:\\s*$")

func readmeBlocks(t *testing.T, readme string) []block {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	var out []block
	var cur *block
	var prose []string // the text since the previous block
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "```") {
			if cur == nil {
				cur = &block{lang: strings.TrimPrefix(l, "```"), line: i + 1}
				if m := saveAs.FindStringSubmatch(strings.TrimSpace(strings.Join(prose, " "))); m != nil {
					cur.save = m[1]
				}
			} else {
				out = append(out, *cur)
				cur = nil
				prose = nil
			}
			continue
		}
		if cur != nil {
			cur.lines = append(cur.lines, l)
		} else {
			prose = append(prose, l)
		}
	}
	return out
}

// cleanCopy copies the repository's files (tracked and untracked, not
// ignored) into a new directory, as a clone would have them.
func cleanCopy(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	dst := t.TempDir()
	for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the work tree
		}
		p := filepath.Join(dst, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

var pidLine = regexp.MustCompile(`^actorlog serve: .*, pid (\d+)$`)

var exitStatus = regexp.MustCompile(`(?m)^exit status \d+\n`)

func run(t *testing.T, dir, cmdline string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", cmdline)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", cmdline, err)
		}
		code = ee.ExitCode()
	}
	return exitStatus.ReplaceAllString(string(out), ""), code
}

// serveCommand is a README line that starts the collector: the reader
// leaves it running and goes on in another terminal.
var serveCommand = regexp.MustCompile(`^(\./actorlog|go run \./cmd/actorlog) serve( |$)`)

func isServe(cmdline string) bool {
	return serveCommand.MatchString(cmdline) &&
		!strings.Contains(cmdline, "--print-default-config") && !strings.Contains(cmdline, "--help")
}

// server is a serve the README started, running in the background while
// the test follows the next blocks, as the reader's first terminal.
type server struct {
	cmdline string
	cmd     *exec.Cmd
	pid     int      // serve's own, as it printed it (go run's child)
	printed []string // its standard output up to and including "ready"
	ready   bool
	rest    chan []string // its standard output after "ready", at EOF
	stderr  bytes.Buffer  // the console handler's records; read after Wait
	stopped bool
}

// startServe starts cmdline in dir and returns once it has printed "ready"
// (or exited, or not said it in 3 minutes: then it is killed and the test
// fails).
func startServe(t *testing.T, dir, cmdline string) *server {
	t.Helper()
	s := &server{cmdline: cmdline, rest: make(chan []string, 1)}
	s.cmd = exec.Command("bash", "-c", "exec "+cmdline)
	s.cmd.Dir = dir
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.cmd.Stderr = &s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // after a t.Fatal: leave nothing running
		if !s.stopped {
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.rest
			_ = s.cmd.Wait()
		}
	})
	upToReady := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var lines []string
		sent := false
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if !sent && strings.HasPrefix(sc.Text(), "ready") {
				upToReady <- lines
				lines, sent = nil, true
			}
		}
		if !sent {
			upToReady <- lines
			lines = nil
		}
		s.rest <- lines
	}()
	select {
	case s.printed = <-upToReady:
	case <-time.After(3 * time.Minute):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		s.printed = <-upToReady
	}
	for _, l := range s.printed {
		if m := pidLine.FindStringSubmatch(l); m != nil {
			s.pid, _ = strconv.Atoi(m[1])
		}
		s.ready = s.ready || strings.HasPrefix(l, "ready")
	}
	if !s.ready || s.pid == 0 {
		s.stop(t)
		t.Fatalf("%s: not ready (pid %d)\nstdout:\n%s\nstderr:\n%s", cmdline, s.pid, strings.Join(s.printed, "\n"), s.stderr.String())
	}
	return s
}

// stop sends SIGINT to serve's PID, as Ctrl-C would, and requires that it
// exits 0 and leaves no process of its group behind.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.stopped {
		return
	}
	s.stopped = true
	pgid := s.cmd.Process.Pid
	if s.ready && s.pid > 0 {
		_ = syscall.Kill(s.pid, syscall.SIGINT)
	} else {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	var rest []string
	select {
	case rest = <-s.rest:
	case <-time.After(2 * time.Minute):
		t.Errorf("%s: still running 2 minutes after SIGINT; killed", s.cmdline)
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		rest = <-s.rest
	}
	err := s.cmd.Wait()
	if s.ready && err != nil {
		t.Errorf("%s: after SIGINT: %v\nstdout after ready:\n%s\nstderr:\n%s", s.cmdline, err, strings.Join(rest, "\n"), s.stderr.String())
	}
	if err := syscall.Kill(-pgid, 0); err != syscall.ESRCH {
		t.Errorf("%s: a process of its group is still there after it stopped (kill: %v)", s.cmdline, err)
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	if s.pid > 0 {
		if err := syscall.Kill(s.pid, 0); err != syscall.ESRCH {
			t.Errorf("%s: pid %d is still there after it stopped (kill: %v)", s.cmdline, s.pid, err)
		}
	}
}

// readsOnly reports whether cmdline only reads files (cat, grep, head,
// tail, wc, ls): a command that may be run again, with nothing sent twice.
func readsOnly(cmdline string) bool {
	switch strings.Fields(cmdline + " x")[0] {
	case "cat", "grep", "head", "tail", "wc", "ls":
		return !strings.ContainsAny(cmdline, "|;&>`$(")
	}
	return false
}

// step is one command of a transcript block and the output shown after it.
type step struct {
	cmdline string
	want    []string
	line    int
}

// transcript splits a block of "$ command" lines, each followed by its
// expected output.
func transcript(b block) []step {
	var out []step
	for i, l := range b.lines {
		if c, ok := strings.CutPrefix(l, "$ "); ok {
			out = append(out, step{cmdline: c, line: b.line + 1 + i})
		} else if len(out) > 0 {
			out[len(out)-1].want = append(out[len(out)-1].want, l)
		}
	}
	return out
}

// matchLines reports whether got is what want shows: a want line "..."
// stands for any number of lines, and "…" inside a line for any text.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "..." {
		for i := 0; i <= len(got); i++ {
			if matchLines(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && matchLine(want[0], got[0]) && matchLines(want[1:], got[1:])
}

func matchLine(want, got string) bool {
	if !strings.Contains(want, "…") {
		return want == got
	}
	parts := strings.Split(want, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(got)
}

func outputLines(out string) []string {
	if out == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

// TestReadme follows the README as a reader would, in a clean copy of the
// repository: it runs every line of the sh blocks; runs every command of
// the transcript blocks ("$ command" lines) and compares what it prints
// with the lines after it; writes each block introduced by "Save this as
// `NAME`:" to NAME; and checks that every Go and YAML snippet is the text of
// a file under examples/. A serve command keeps running in the background,
// as in the reader's first terminal, until the next serve command or the
// end of the page; then it gets SIGINT and must exit 0. Only serve's
// standard output is compared (its console handler writes to stderr).
// While a collector runs, a command that only reads files and does not
// show what the README shows yet is run again for up to 10 seconds: what
// a sender without acknowledgements shipped may still be on its way.
func TestReadme(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := cleanCopy(t, root)
	var sources []string
	_ = filepath.WalkDir(filepath.Join(root, "examples"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".yaml")) {
			data, _ := os.ReadFile(p)
			sources = append(sources, string(data))
		}
		return nil
	})
	contained := func(text string) bool {
		for _, s := range sources {
			if strings.Contains(s, text) {
				return true
			}
		}
		return false
	}
	var srv *server // the collector the reader left running
	startServer := func(cmdline string) {
		if srv != nil {
			srv.stop(t)
		}
		srv = startServe(t, dir, cmdline)
	}
	for _, b := range readmeBlocks(t, filepath.Join(root, "README.md")) {
		text := strings.Join(b.lines, "\n") + "\n"
		switch {
		case b.save != "":
			if !filepath.IsLocal(b.save) {
				t.Fatalf("README.md:%d: Save this as %q: not a path inside the repository", b.line, b.save)
			}
			p := filepath.Join(dir, b.save)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		case b.lang == "go" || b.lang == "yaml":
			if !contained(text) {
				t.Errorf("README.md:%d: this %s block is not the text of a file under examples/:\n%s", b.line, b.lang, text)
			}
		case b.lang == "sh":
			for _, l := range b.lines {
				cmdline := strings.TrimSpace(l)
				if i := strings.Index(cmdline, "  #"); i >= 0 {
					cmdline = strings.TrimSpace(cmdline[:i])
				}
				if cmdline == "" {
					continue
				}
				if _, skip := notRunHere[cmdline]; skip {
					continue
				}
				if isServe(cmdline) {
					startServer(cmdline)
					continue
				}
				if out, code := run(t, dir, cmdline); code != 0 {
					t.Errorf("README.md:%d: %s: exit status %d\n%s", b.line, cmdline, code, out)
				}
			}
		case b.lang == "bash":
			// A script a reader pastes whole: only those listed, with the
			// reason they are not run here, may stand in the README.
			if _, ok := scriptsNotRunHere[b.lines[0]]; !ok {
				t.Errorf("README.md:%d: a bash script this test does not know (list it in scriptsNotRunHere with a reason, or make it sh lines)", b.line)
			}
		case b.lang == "" && len(b.lines) > 0 && strings.HasPrefix(b.lines[0], "$ "):
			for _, st := range transcript(b) {
				if isServe(st.cmdline) {
					startServer(st.cmdline)
					if !matchLines(st.want, srv.printed) {
						t.Errorf("README.md:%d: %s printed up to ready:\n%s\nwant:\n%s", st.line, st.cmdline, strings.Join(srv.printed, "\n"), strings.Join(st.want, "\n"))
					}
					continue
				}
				out, _ := run(t, dir, st.cmdline)
				if srv != nil && readsOnly(st.cmdline) {
					// Python's SocketHandler gets no acknowledgement: what it
					// sent may still be on its way to the collector's file, and
					// a reader who looked too early looks again.
					deadline := time.Now().Add(10 * time.Second)
					for !matchLines(st.want, outputLines(out)) && time.Now().Before(deadline) {
						time.Sleep(50 * time.Millisecond)
						out, _ = run(t, dir, st.cmdline)
					}
				}
				if got := outputLines(out); !matchLines(st.want, got) {
					t.Errorf("README.md:%d: %s:\n got:\n%s\nwant:\n%s", st.line, st.cmdline, out, strings.Join(st.want, "\n"))
				}
			}
		case b.lang != "":
			t.Errorf("README.md:%d: a %s block that is neither run nor checked (introduce it with \"Save this as `NAME`:\" if a command uses it)", b.line, b.lang)
		}
	}
	if srv != nil {
		srv.stop(t)
	}
}
