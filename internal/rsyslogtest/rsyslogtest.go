// Package rsyslogtest runs an rsyslogd of a test's own: its config, work
// directory, pid file, loopback ports and sockets all in a temp dir, in the
// foreground, stopped at the end of the test. No system daemon, file or
// socket is touched. A missing rsyslogd skips the test, or fails it under
// CI=true (internal/oracle).
//
// It is for tests only.
package rsyslogtest

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/oracle"
	"github.com/actorlog/actorlog/internal/testcerts"
)

// Daemon is one rsyslogd of a test.
type Daemon struct {
	// Dir is the daemon's temp dir: put its sockets and output files here.
	Dir string
	// WorkDir is the directory its config's global(workDirectory=...)
	// names (created by New).
	WorkDir string

	bin     string
	conf    string
	cmd     *exec.Cmd
	done    <-chan struct{} // closed when cmd has exited
	stopped bool
}

// New finds rsyslogd (stopping the test as oracle.NeedRsyslog does when it
// is missing) and makes the daemon's directories. Configure, then Start.
func New(t *testing.T) *Daemon {
	t.Helper()
	bin := oracle.NeedRsyslog(t)
	dir := t.TempDir()
	d := &Daemon{Dir: dir, WorkDir: filepath.Join(dir, "work"), bin: bin, stopped: true}
	if err := os.Mkdir(d.WorkDir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return d
}

// Configure writes conf as the daemon's config file and has rsyslogd check
// it (rsyslogd -N1).
func (d *Daemon) Configure(t *testing.T, conf string) {
	t.Helper()
	d.conf = filepath.Join(d.Dir, "rsyslog.conf")
	if err := os.WriteFile(d.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(d.bin, "-N1", "-f", d.conf).CombinedOutput(); err != nil {
		t.Fatalf("rsyslogd refuses the config: %v\n%s\n%s", err, out, conf)
	}
}

// Start runs the daemon in the foreground and calls ready (which may send
// probes) until it reports true, within 30 s; the daemon's stderr is in
// the failure. After Stop, Start runs it again on the same config.
func (d *Daemon) Start(t *testing.T, ready func() bool) {
	t.Helper()
	stderr, err := os.OpenFile(d.stderrPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	d.cmd = exec.Command(d.bin, "-n", "-f", d.conf, "-i", filepath.Join(d.Dir, "rsyslogd.pid"))
	d.cmd.Stdout, d.cmd.Stderr = stderr, stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d.stopped = false
	done := make(chan struct{})
	d.done = done
	go func() { _ = d.cmd.Wait(); close(done) }()
	deadline := time.Now().Add(30 * time.Second)
	for !ready() {
		exited := false
		select {
		case <-done:
			exited = true
		default:
		}
		if exited || time.Now().After(deadline) {
			b, _ := os.ReadFile(d.stderrPath())
			t.Fatalf("rsyslogd never became ready (exited: %v); its stderr:\n%s", exited, b)
		}
		time.Sleep(20 * time.Millisecond) // polling another process
	}
}

func (d *Daemon) stderrPath() string { return filepath.Join(d.Dir, "stderr") }

// Stop ends the daemon (SIGTERM, then SIGKILL after 10 s) and waits for
// it. It is called at the end of the test; more calls do nothing.
func (d *Daemon) Stop() {
	if d.stopped || d.cmd == nil {
		return
	}
	d.stopped = true
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
}

// SendRaw sends msg as one write on a new connection (or datagram) to addr.
func SendRaw(network, addr, msg string) error {
	c, err := net.DialTimeout(network, addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(msg))
	return err
}

// FreePort returns a loopback port ("tcp" or "udp") free a moment ago.
func FreePort(t testing.TB, network string) int {
	t.Helper()
	var addr net.Addr
	if network == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = c.LocalAddr()
		c.Close()
	} else {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = l.Addr()
		l.Close()
	}
	_, p, _ := net.SplitHostPort(addr.String())
	n, _ := strconv.Atoi(p)
	return n
}

// MakeCerts writes a CA and a server certificate for localhost and
// 127.0.0.1, signed by it, into dir and returns the three PEM files.
func MakeCerts(t testing.TB, dir string) (ca, cert, key string) {
	t.Helper()
	f := testcerts.Make(t, dir)
	return f.CA, f.ServerCert, f.ServerKey
}
