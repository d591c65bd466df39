// Package oracle finds the reference programs the tests compare actorlog
// against (Debian's Python with its logging module, logrotate) and decides
// what a missing one means: a skip on a developer's machine, a failure under
// CI=true, where .ci/run installs them.
//
// It is for tests only.
package oracle

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Python is the interpreter whose logging module is the reference. It is
// called by its full path: the first python3 on PATH may be another one,
// without Debian's python3-* packages.
const Python = "/usr/bin/python3"

// Logrotate is Debian's logrotate.
const Logrotate = "/usr/sbin/logrotate"

// Rsyslogd is Debian's rsyslog daemon; tests run one of their own.
const Rsyslogd = "/usr/sbin/rsyslogd"

// NeedRsyslog returns Rsyslogd after checking that it exists with its TLS
// driver (Debian's rsyslog-gnutls), stopping the test as Require does
// otherwise.
func NeedRsyslog(t testing.TB) string {
	t.Helper()
	NeedProgram(t, Rsyslogd)
	var err error
	if m, _ := filepath.Glob("/usr/lib/*/rsyslog/lmnsd_gtls.so"); len(m) == 0 {
		err = errors.New("lmnsd_gtls.so not found (Debian's rsyslog-gnutls)")
	}
	Require(t, "rsyslog's TLS driver", err)
	return Rsyslogd
}

// CI reports whether the tests run in CI, where every reference must exist.
func CI() bool { return os.Getenv("CI") == "true" }

// Require stops the test when err (the result of looking for what) is not
// nil: a failure under CI, a skip elsewhere.
func Require(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if CI() {
		t.Fatalf("%s is required under CI=true: %v", what, err)
		return
	}
	t.Skipf("%s is not available: %v", what, err)
}

// NeedPython returns Python after checking that it runs and can import each
// of modules, stopping the test as Require does otherwise.
func NeedPython(t testing.TB, modules ...string) string {
	t.Helper()
	what := Python
	code := "pass"
	if len(modules) > 0 {
		what += " with " + strings.Join(modules, ", ")
		code = "import " + strings.Join(modules, ", ")
	}
	if out, err := exec.Command(Python, "-c", code).CombinedOutput(); err != nil {
		Require(t, what, &exitError{err, strings.TrimSpace(string(out))})
	}
	return Python
}

// NeedProgram returns path after checking that it exists, stopping the test
// as Require does otherwise.
func NeedProgram(t testing.TB, path string) string {
	t.Helper()
	_, err := os.Stat(path)
	Require(t, path, err)
	return path
}

type exitError struct {
	err error
	out string
}

func (e *exitError) Error() string {
	if e.out == "" {
		return e.err.Error()
	}
	return e.err.Error() + ": " + e.out
}

func (e *exitError) Unwrap() error { return e.err }

// NATSServerVersion is the nats-server the JetStream tests run against; .ci/run
// installs it with go install (a program of its own, not a module
// dependency). The tests use only what this version has.
const NATSServerVersion = "v2.15.2"

// NeedNATSServer returns the path of a nats-server binary of
// NATSServerVersion: the one on PATH, else the one go install put in
// GOBIN or GOPATH/bin. It stops the test as Require does otherwise.
func NeedNATSServer(t testing.TB) string {
	t.Helper()
	var cands []string
	if p, err := exec.LookPath("nats-server"); err == nil {
		cands = append(cands, p)
	}
	if d := os.Getenv("GOBIN"); d != "" {
		cands = append(cands, filepath.Join(d, "nats-server"))
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for d := range strings.SplitSeq(strings.TrimSpace(string(out)), string(os.PathListSeparator)) {
			cands = append(cands, filepath.Join(d, "bin", "nats-server"))
		}
	}
	var last error = exec.ErrNotFound
	for _, p := range cands {
		out, err := exec.Command(p, "--version").CombinedOutput()
		if err != nil {
			last = err
			continue
		}
		if v := strings.TrimSpace(string(out)); !strings.HasSuffix(v, NATSServerVersion) {
			last = fmt.Errorf("%s is %q, want %s", p, v, NATSServerVersion)
			continue
		}
		return p
	}
	Require(t, "nats-server "+NATSServerVersion, last)
	return ""
}
