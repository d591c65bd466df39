package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeSyslog: serve announces its syslog receivers as the others and
// writes what they receive, named under the prefix.
func TestServeSyslog(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, `version: 1
formatters:
  plain: {format: "%(levelname)s %(name)s %(message)s %(facility)s"}
handlers:
  file: {class: FileHandler, filename: logs/all.log, formatter: plain}
root: {level: DEBUG, handlers: [file]}
receivers:
  - {type: syslog, listen: "127.0.0.1:0", protocol: tcp, framing: octet-counting}
  - {type: syslog, listen: "127.0.0.1:0", protocol: udp, namePrefix: remote}
`)
	s := startServe(t, dir, "--config", cfg)
	tcpAddr := strings.TrimPrefix(s.waitLine("  receiving on syslog tcp "), "  receiving on syslog tcp ")
	udpAddr := strings.TrimPrefix(s.waitLine("  receiving on syslog udp "), "  receiving on syslog udp ")
	s.waitLine("ready")
	for _, m := range []struct{ network, addr, msg string }{
		{"tcp", tcpAddr, "33 <163>1 - host web 42 - - over tcp"},
		{"udp", udpAddr, "<14>cron[7]: over udp\x00"},
	} {
		c, err := net.Dial(m.network, m.addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write([]byte(m.msg)); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	// Until both were written (the file handler flushes each record).
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(dir, "logs", "all.log"))
		if strings.Count(string(b), " over ") >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("log %q after 15 s", b)
		}
		time.Sleep(10 * time.Millisecond) // polling another process's file
	}
	s.signal(syscall.SIGTERM)
	if code := s.wait(); code != 0 {
		t.Fatalf("serve exit status %d; stderr:\n%s", code, s.errText())
	}
	got := readFile(t, filepath.Join(dir, "logs", "all.log"))
	for _, want := range []string{"ERROR syslog.web over tcp local4\n", "INFO remote.cron over udp user\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q lacks %q", got, want)
		}
	}
}
