package net_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/internal/oracle"
	"github.com/actorlog/actorlog/record"
)

// Our Socket handler ships to a Python receiver (testdata/py_receiver.py,
// with python3-msgpack) that rebuilds each record with
// logging.makeLogRecord: every record arrives with its name, level,
// message and extras (issue 10 item 7; checklist 72-76 in msgpack).
func TestPythonReceiver(t *testing.T) {
	py := oracle.NeedPython(t, "msgpack")
	cmd := exec.Command(py, "testdata/py_receiver.py")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 1<<20)
	if !lines.Scan() {
		t.Fatalf("no port from Python: %s", stderr.String())
	}
	p, err := strconv.Atoi(lines.Text())
	if err != nil {
		t.Fatal(err)
	}
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: p})
	r := newRig(t, s, actors.HandlerOptions{})
	r.log.Log(record.LevelError, "späm 100% ✓", slog.String("user", "ann"), slog.Int("n", 3),
		slog.Float64("ratio", 0.5), slog.Bool("ok", true), slog.String("name", "not the logger"),
		slog.Group("req", slog.String("id", "r1")))
	r.eng.Logger("app.db").Log(record.LevelDebug, "eggs", slog.Any("err", errors.New("boom")))
	if err := r.shutdown(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	for lines.Scan() {
		var m map[string]any
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil {
			t.Fatalf("%v: %s", err, lines.Text())
		}
		got = append(got, m)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	if len(got) != 2 {
		t.Fatalf("Python rebuilt %d records: %v\n%s", len(got), got, stderr.String())
	}
	first := got[0]
	ex := first["extras"].(map[string]any)
	if first["name"] != "app" || first["levelno"] != 40.0 || first["levelname"] != "ERROR" || first["message"] != "späm 100% ✓" ||
		first["formatted"] != "ERROR app: späm 100% ✓" ||
		ex["user"] != "ann" || ex["n"] != 3.0 || ex["ratio"] != 0.5 || ex["ok"] != true ||
		ex["attr_name"] != "not the logger" || ex["req"].(map[string]any)["id"] != "r1" {
		t.Errorf("first record %v", first)
	}
	second := got[1]
	if second["name"] != "app.db" || second["message"] != "eggs" || second["extras"].(map[string]any)["err"] != "boom" {
		t.Errorf("second record %v", second)
	}
}
