package syslog

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/rsyslogtest"
)

// rsyslog is a syslog daemon of the test's own (internal/rsyslogtest):
// its config, work directory, pid file, loopback ports and Unix socket all
// in a temp dir. It writes every message it receives, one line each, to
// out as facility|severity|programname|msg|structured-data|input.
type rsyslog struct {
	*rsyslogtest.Daemon
	out    string
	udp    int    // imudp port
	tcp    int    // imtcp port: octet counting or LF framing
	tcpNul int    // imtcp port that also ends a message at NUL (Python over TCP)
	tls    int    // imtcp port with TLS (gtls), octet counting
	sock   string // imuxsock socket (a /dev/log of its own)
	caFile string
}

// startRsyslog starts rsyslogd in the foreground and waits until each of
// its inputs has delivered a probe message (probes have the tag
// "probe"). It is stopped at the end of the test.
func startRsyslog(t *testing.T) *rsyslog {
	t.Helper()
	d := rsyslogtest.New(t)
	dir := d.Dir
	r := &rsyslog{Daemon: d, out: filepath.Join(dir, "out.log"), sock: filepath.Join(dir, "log")}
	r.udp = freePort(t, "udp")
	r.tcp, r.tcpNul, r.tls = freePort(t, "tcp"), freePort(t, "tcp"), freePort(t, "tcp")
	ca, cert, key := rsyslogtest.MakeCerts(t, dir)
	r.caFile = ca
	d.Configure(t, fmt.Sprintf(`global(workDirectory=%q maxMessageSize="256k"
  defaultNetstreamDriverCAFile=%q defaultNetstreamDriverCertFile=%q defaultNetstreamDriverKeyFile=%q)
main_queue(queue.workerThreads="1")
module(load="imuxsock" SysSock.Use="off")
module(load="imudp")
module(load="imtcp" maxSessions="200")
input(type="imuxsock" Socket=%q CreatePath="on" RateLimit.Interval="0" UseSpecialParser="off" ParseHostname="on")
input(type="imudp" address="127.0.0.1" port="%d" name="udp")
input(type="imtcp" address="127.0.0.1" port="%d" name="tcp")
input(type="imtcp" address="127.0.0.1" port="%d" name="tcpnul" AddtlFrameDelimiter="0")
input(type="imtcp" address="127.0.0.1" port="%d" name="tls"
  StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
template(name="line" type="string" string="%%syslogfacility-text%%|%%syslogseverity-text%%|%%programname%%|%%msg%%|%%structured-data%%|%%inputname%%\n")
action(type="omfile" file=%q template="line")
`, d.WorkDir, ca, cert, key, r.sock, r.udp, r.tcp, r.tcpNul, r.tls, r.out))
	r.start(t)
	return r
}

// start runs the daemon and waits until its inputs are up; after stop it
// starts it again on the same ports, socket and output file.
func (r *rsyslog) start(t *testing.T) {
	t.Helper()
	r.Start(t, r.inputsUp)
}

// stop ends the daemon and waits for it.
func (r *rsyslog) stop() { r.Stop() }

// inputsUp sends a probe through each input that has not shown one yet,
// and reports whether all have: then the daemon is listening everywhere.
func (r *rsyslog) inputsUp() bool {
	probes := []struct {
		name  string
		probe func() error
	}{
		{"udp", func() error { return sendRaw("udp", fmt.Sprint("127.0.0.1:", r.udp), "<14>probe: udp") }},
		{"tcp", func() error { return sendRaw("tcp", fmt.Sprint("127.0.0.1:", r.tcp), "<14>probe: tcp\n") }},
		{"tcpnul", func() error { return sendRaw("tcp", fmt.Sprint("127.0.0.1:", r.tcpNul), "<14>probe: tcpnul\x00") }},
		{"unix", func() error { return sendRaw("unixgram", r.sock, "<14>probe: unix") }},
	}
	for _, p := range probes {
		if r.has("probe", " "+p.name) {
			continue
		}
		_ = p.probe()
		return false
	}
	// A TLS client is needed to probe it; a connection shows it listens.
	c, err := net.DialTimeout("tcp", fmt.Sprint("127.0.0.1:", r.tls), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func (r *rsyslog) has(tag, msg string) bool {
	for _, l := range r.lines() {
		if l.tag == tag && l.msg == msg {
			return true
		}
	}
	return false
}

// line is one message rsyslog received.
type line struct {
	facility, severity, tag, msg, sd, input string
}

func (r *rsyslog) lines() []line {
	b, _ := os.ReadFile(r.out)
	var out []line
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "|")
		if len(f) < 6 {
			continue
		}
		msg := strings.Join(f[3:len(f)-2], "|")
		out = append(out, line{f[0], f[1], f[2], msg, f[len(f)-2], f[len(f)-1]})
	}
	return out
}

// await waits (bounded) until n messages with tag have arrived, and
// returns them; it fails the test if more arrive or n never do.
func (r *rsyslog) await(t *testing.T, tag string, n int) []line {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var got []line
		for _, l := range r.lines() {
			if l.tag == tag {
				got = append(got, l)
			}
		}
		if len(got) >= n {
			if len(got) > n {
				t.Fatalf("rsyslog got %d messages tagged %q, want %d:\n%v", len(got), tag, n, got)
			}
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("rsyslog got %d of %d messages tagged %q:\n%v", len(got), n, tag, got)
		}
		time.Sleep(20 * time.Millisecond) // polling another process's output file
	}
}

var (
	sendRaw  = rsyslogtest.SendRaw
	freePort = rsyslogtest.FreePort
)
