package net_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/internal/testcerts"
	"github.com/actorlog/actorlog/record"
)

// The config rows: short and logging.handlers. names, Python's parameter
// names, port: null for a Unix socket, and the options' errors at their keys
// (issue 10 item 10).
func TestConfigClasses(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "s.sock")
	ca := testcerts.Make(t, dir).CA
	y := fmt.Sprintf(`version: 1
handlers:
  tcp: {class: SocketHandler, host: 127.0.0.1, port: 9020, ack: true, ackTimeout: 5s, key: k, timeout: 2s}
  unix: {class: logging.handlers.SocketHandler, host: %s, port: null}
  udp: {class: logging.handlers.DatagramHandler, host: 127.0.0.1, port: 9021, maxSize: 1400}
  web: {class: logging.handlers.HTTPHandler, host: "example.com:8443", url: /log, method: post, secure: true,
        credentials: [user, pass], cafile: %s}
root: {handlers: [tcp, unix, udp, web]}
`, sock, ca)
	cfg, err := config.Parse([]byte(y), "net.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tcp := cfg.Handlers["tcp"].Options.(*anet.SocketOptions)
	if tcp.Host != "127.0.0.1" || tcp.Port != 9020 || !tcp.Ack || tcp.AckTimeout != 5*time.Second || tcp.Key != "k" || tcp.Timeout != 2*time.Second {
		t.Errorf("tcp %+v", tcp)
	}
	for name, want := range map[string]string{
		"tcp": "tcp 127.0.0.1:9020", "unix": "unix " + sock, "udp": "udp 127.0.0.1:9021", "web": "https://example.com:8443/log",
	} {
		if d, isFile := cfg.Handlers[name].Dest(); d != want || isFile {
			t.Errorf("%s: Dest %q", name, d)
		}
	}
	web := cfg.Handlers["web"].Options.(*anet.HTTPOptions)
	if web.Method != "post" || strings.Join(web.Credentials, ":") != "user:pass" || web.CAFile != ca {
		t.Errorf("web %+v", web)
	}
	if udp := cfg.Handlers["udp"].Options.(*anet.DatagramOptions); udp.MaxSize != 1400 {
		t.Errorf("udp %+v", udp)
	}
	// Nothing connects at Build (Python's SocketHandler connects at the first record).
	e, err := config.Build(cfg, config.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e.Shutdown(ctx)

	for _, c := range []struct{ yaml, want string }{
		{"{class: SocketHandler, host: h, port: 70000}", "net.yaml:3:44: handlers.h.port: "},
		{"{class: HTTPHandler, host: h, credentials: [u, p]}", "handlers.h.credentials: "},
		{"{class: HTTPHandler, host: h, method: PUT}", "handlers.h.method: "},
		{"{class: SocketHandler, host: h, port: 1, cafile: x}", "handlers.h.tls: "},
		{"{class: DatagramHandler, host: h, port: 1, maxSize: 70000}", "handlers.h.maxSize: "},
		{"{class: SocketHandler, port: 1}", "handlers.h.host: "},
	} {
		_, err := config.Parse([]byte("version: 1\nhandlers:\n  h: "+c.yaml+"\n"), "net.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.yaml, err)
		}
	}
}

// A config's SocketHandler with ack delivers through the engine it builds.
func TestConfigSocketDelivers(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	rc := serve(t, ln, nil)
	y := fmt.Sprintf("version: 1\nhandlers:\n  c: {class: SocketHandler, host: 127.0.0.1, port: %d, ack: true}\nroot: {level: INFO, handlers: [c]}\n", port(t, ln.Addr().String()))
	cfg, err := config.Parse([]byte(y), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := config.Build(cfg, config.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("app").Log(record.LevelInfo, "via config")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}
	rc.waitRecords(1)
	if got := rc.messages(); got[0] != "via config" {
		t.Fatalf("got %q", got)
	}
}
