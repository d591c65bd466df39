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

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// notRunHere are README commands this test does not run, and why.
var notRunHere = map[string]string{
	"go get github.com/actorlog/actorlog":               "adds the module to a user's own module",
	"go test -race ./...":                               "the test suite this test is part of",
	"go install golang.org/x/perf/cmd/benchstat@latest": "downloads a tool",
	"cd bench && go test -run '^$' -bench . -benchmem -benchtime 0.5s -count 6 | tee new.txt": "minutes of benchmarks",
	"benchstat new.txt && /usr/bin/python3 ratios.py new.txt":                                 "reads the benchmarks' output",
}

// block is a fenced block of the README.
type block struct {
	lang  string
	lines []string
	line  int // of the opening fence
}

func readmeBlocks(t *testing.T, readme string) []block {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	var out []block
	var cur *block
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "```") {
			if cur == nil {
				cur = &block{lang: strings.TrimPrefix(l, "```"), line: i + 1}
			} else {
				out = append(out, *cur)
				cur = nil
			}
			continue
		}
		if cur != nil {
			cur.lines = append(cur.lines, l)
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

// serve runs serve until it is ready, then stops it as Ctrl-C would.
func serve(t *testing.T, dir, cmdline string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", "exec "+cmdline)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var seen []string
	ready, pid := false, 0
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if m := pidLine.FindStringSubmatch(sc.Text()); m != nil {
			pid, _ = strconv.Atoi(m[1])
		}
		if strings.HasPrefix(sc.Text(), "ready") {
			ready = true
			break
		}
	}
	switch {
	case ready && pid > 0:
		// serve's own PID, as it prints it: go run then exits as serve does.
		_ = syscall.Kill(pid, syscall.SIGINT)
	default:
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	for sc.Scan() {
		seen = append(seen, sc.Text())
	}
	err = cmd.Wait()
	if !ready || pid == 0 || err != nil {
		t.Errorf("%s: ready %v, pid %d, %v\nstdout:\n%s\nstderr:\n%s", cmdline, ready, pid, err, strings.Join(seen, "\n"), stderr.String())
	}
}

// TestReadme runs every command of the README in a clean copy of the
// repository, compares the output the README shows, and checks that every
// Go and YAML snippet is the text of a file under examples/.
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
	for _, b := range readmeBlocks(t, filepath.Join(root, "README.md")) {
		text := strings.Join(b.lines, "\n") + "\n"
		switch {
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
				if strings.HasPrefix(cmdline, "go run ./cmd/actorlog serve") {
					serve(t, dir, cmdline)
					continue
				}
				if out, code := run(t, dir, cmdline); code != 0 {
					t.Errorf("README.md:%d: %s: exit status %d\n%s", b.line, cmdline, code, out)
				}
			}
		case len(b.lines) > 0 && strings.HasPrefix(b.lines[0], "$ "):
			cmdline := strings.TrimPrefix(b.lines[0], "$ ")
			want := strings.Join(b.lines[1:], "\n") + "\n"
			got, _ := run(t, dir, cmdline)
			if got != want {
				t.Errorf("README.md:%d: %s:\n got:\n%s\nwant:\n%s", b.line, cmdline, got, want)
			}
		}
	}
}
