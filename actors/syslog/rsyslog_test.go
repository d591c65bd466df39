package syslog

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/oracle"
)

// rsyslog is a syslog daemon of the test's own: its config, work
// directory, pid file, loopback ports and Unix socket all in a temp dir.
// It writes every message it receives, one line each, to out as
// facility|severity|programname|msg|structured-data|input.
type rsyslog struct {
	dir     string
	out     string
	udp     int    // imudp port
	tcp     int    // imtcp port: octet counting or LF framing
	tcpNul  int    // imtcp port that also ends a message at NUL (Python over TCP)
	tls     int    // imtcp port with TLS (gtls), octet counting
	sock    string // imuxsock socket (a /dev/log of its own)
	caFile  string
	bin     string // rsyslogd
	conf    string // its config file
	cmd     *exec.Cmd
	stopped bool
}

// startRsyslog starts rsyslogd in the foreground and waits until each of
// its inputs has delivered a probe message (probes have the tag
// "probe"). It is stopped at the end of the test.
func startRsyslog(t *testing.T) *rsyslog {
	t.Helper()
	rsyslogd := oracle.NeedRsyslog(t)
	dir := t.TempDir()
	r := &rsyslog{dir: dir, out: filepath.Join(dir, "out.log"), sock: filepath.Join(dir, "log")}
	r.udp = freePort(t, "udp")
	r.tcp, r.tcpNul, r.tls = freePort(t, "tcp"), freePort(t, "tcp"), freePort(t, "tcp")
	ca, cert, key := makeCerts(t, dir)
	r.caFile = ca
	if err := os.Mkdir(filepath.Join(dir, "work"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`global(workDirectory=%q maxMessageSize="256k"
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
`, filepath.Join(dir, "work"), ca, cert, key, r.sock, r.udp, r.tcp, r.tcpNul, r.tls, r.out)
	confFile := filepath.Join(dir, "rsyslog.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(rsyslogd, "-N1", "-f", confFile).CombinedOutput(); err != nil {
		t.Fatalf("rsyslogd refuses the config: %v\n%s", err, out)
	}
	r.bin, r.conf = rsyslogd, confFile
	r.start(t)
	t.Cleanup(r.stop)
	return r
}

// start runs the daemon and waits until its inputs are up; after stop it
// starts it again on the same ports, socket and output file.
func (r *rsyslog) start(t *testing.T) {
	t.Helper()
	stderr, err := os.OpenFile(filepath.Join(r.dir, "stderr"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	r.cmd = exec.Command(r.bin, "-n", "-f", r.conf, "-i", filepath.Join(r.dir, "rsyslogd.pid"))
	r.cmd.Stdout, r.cmd.Stderr = stderr, stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.stopped = false
	r.awaitInputs(t)
}

// stop ends the daemon (SIGTERM, then SIGKILL after 10 s) and waits for it.
func (r *rsyslog) stop() {
	if r.stopped {
		return
	}
	r.stopped = true
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
	}
}

// awaitInputs sends a probe through each input until it shows in the
// output: then the daemon is listening everywhere.
func (r *rsyslog) awaitInputs(t *testing.T) {
	t.Helper()
	probes := map[string]func() error{
		"udp": func() error { return sendRaw("udp", fmt.Sprint("127.0.0.1:", r.udp), "<14>probe: udp") },
		"tcp": func() error { return sendRaw("tcp", fmt.Sprint("127.0.0.1:", r.tcp), "<14>probe: tcp\n") },
		"tcpnul": func() error {
			return sendRaw("tcp", fmt.Sprint("127.0.0.1:", r.tcpNul), "<14>probe: tcpnul\x00")
		},
		"unix": func() error { return sendRaw("unixgram", r.sock, "<14>probe: unix") },
		"tls":  func() error { return nil }, // a TLS client is needed; the others prove the daemon is up
	}
	deadline := time.Now().Add(30 * time.Second)
	for name, probe := range probes {
		for {
			if name == "tls" {
				c, err := net.DialTimeout("tcp", fmt.Sprint("127.0.0.1:", r.tls), time.Second)
				if err == nil {
					c.Close()
					break
				}
			} else {
				_ = probe()
				if r.has("probe", " "+name) {
					break
				}
			}
			if time.Now().After(deadline) || r.cmd.ProcessState != nil {
				b, _ := os.ReadFile(filepath.Join(r.dir, "stderr"))
				t.Fatalf("rsyslogd input %s never came up; its stderr:\n%s", name, b)
			}
			time.Sleep(20 * time.Millisecond) // polling another process's output file
		}
	}
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

func sendRaw(network, addr, msg string) error {
	c, err := net.DialTimeout(network, addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(msg))
	return err
}

func freePort(t *testing.T, network string) int {
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

// makeCerts writes a CA and a server certificate for localhost and
// 127.0.0.1, signed by it, and returns the three PEM files.
func makeCerts(t *testing.T, dir string) (ca, cert, key string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "actorlog test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		var b bytes.Buffer
		_ = pem.Encode(&b, &pem.Block{Type: typ, Bytes: der})
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("ca.pem", "CERTIFICATE", caDER), write("cert.pem", "CERTIFICATE", srvDER), write("key.pem", "EC PRIVATE KEY", keyDER)
}
