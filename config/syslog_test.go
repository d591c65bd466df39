package config

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// Issue 11 item 6: SysLogHandler with Python's parameter names (address as
// Python's [host, port] tuple, facility, socktype) and actorlog's keys;
// the handler's formatter reaches the sink, which encodes its records.
func TestSysLogHandlerClass(t *testing.T) {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.LocalAddr().String())
	for _, class := range []string{"SysLogHandler", "logging.handlers.SysLogHandler"} {
		cfg := mustParse(t, `version: 1
formatters:
  plain: {format: "%(name)s: %(message)s"}
handlers:
  sys:
    class: `+class+`
    address: [127.0.0.1, `+port+`]
    facility: local4
    socktype: ext://socket.SOCK_DGRAM
    formatter: plain
    maxMessageSize: 1024
root: {level: INFO, handlers: [sys]}
`)
		e, err := Build(cfg, BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.Logger("app").Log(record.LevelWarning, "hello")
		shutdown(t, e)
		buf := make([]byte, 2048)
		_ = srv.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, _, err := srv.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		if want := "<164>app: hello\x00"; !bytes.Equal(buf[:n], []byte(want)) {
			t.Fatalf("%s sent %q, want %q", class, buf[:n], want)
		}
	}
}

func TestSysLogHandlerKeysAndErrors(t *testing.T) {
	cfg := mustParse(t, `version: 1
handlers:
  sys: {class: SysLogHandler, address: /nonexistent/log, format: rfc5424, framing: octet-counting,
        hostname: h, appName: a, msgid: m, tls: false}
`)
	if c := cfg.Handlers["sys"]; c == nil {
		t.Fatal("no handler")
	}
	for _, bad := range []string{
		"{class: SysLogHandler, facility: nope}",
		"{class: SysLogHandler, address: [h, 99999]}",
		"{class: SysLogHandler, address: [h, 1, 2]}",
		"{class: SysLogHandler, format: json}",
		"{class: SysLogHandler, tls: true, socktype: dgram}",
	} {
		_, err := Parse([]byte("version: 1\nhandlers:\n  sys: "+bad+"\n"), "t.yaml")
		if err == nil {
			t.Errorf("%s accepted", bad)
		} else if !strings.Contains(err.Error(), "sys") {
			t.Errorf("%s: error does not name the handler: %v", bad, err)
		}
	}
}
