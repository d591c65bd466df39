package receiver

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/internal/oracle"
)

// runPython runs testdata/python_sender.py.
func runPython(t *testing.T, kind, addr string, n int) {
	t.Helper()
	py := oracle.NeedPython(t)
	out, err := exec.Command(py, "testdata/python_sender.py", kind, addr, fmt.Sprint(n)).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
}

// checkPythonRecords checks that each of Python's records arrived with its
// name, level, message, extras and (where the handler sends it) exception.
func checkPythonRecords(t *testing.T, got []map[string]any, n int, formatted, withExc bool) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%d records, want %d", len(got), n)
	}
	seen := map[int]bool{}
	for _, m := range got {
		i := -1
		switch v := m["i"].(type) {
		case float64:
			i = int(v)
		case string:
			fmt.Sscan(v, &i)
		}
		if i < 0 || i >= n || seen[i] {
			t.Fatalf("record %v: bad or repeated i", m)
		}
		seen[i] = true
		level, verb := "WARNING", "record"
		switch {
		case i%3 == 0:
			level, verb = "ERROR", "failed"
		case i%2 == 1:
			level = "INFO"
		}
		want := fmt.Sprintf("%s %d: naïve café ☃ 😀", verb, i)
		if !formatted {
			want = verb + " %d: naïve café ☃ 😀" // HTTPHandler sends msg and args apart
		}
		if m["logger"] != "py.app" || m["level"] != level || m["msg"] != want || m["user"] != "zoë" {
			t.Errorf("record %d: %v", i, m)
		}
		if withExc && i%3 == 0 && !strings.Contains(fmt.Sprint(m["exc_info"]), "ValueError: bad value ☃") {
			t.Errorf("record %d without its exception: %v", i, m)
		}
	}
}

// inOrder checks that a stream's records arrived in the order logged.
func inOrder(t *testing.T, got []map[string]any) {
	t.Helper()
	for i, m := range got {
		if m["i"] != float64(i) {
			t.Fatalf("record %d is %v: out of order", i, m["i"])
		}
	}
}

// TestPythonSocketHandler: CPython's SocketHandler (pickle protocol 1 over
// TCP) to a tcp receiver.
func TestPythonSocketHandler(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP})
	runPython(t, "socket", rcv.Addr(), 30)
	got := col.waitRecords(t, 30)
	checkPythonRecords(t, got, 30, true, true)
	inOrder(t, got)
	if s := rcv.Stats(); s.Frames != 30 || s.RejectedTotal() != 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestPythonUnixSocketHandler: SocketHandler(path, None) to a unix receiver.
func TestPythonUnixSocketHandler(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: Unix, Listen: filepath.Join(t.TempDir(), "log.sock")})
	runPython(t, "unix", rcv.Addr(), 30)
	got := col.waitRecords(t, 30)
	checkPythonRecords(t, got, 30, true, true)
	inOrder(t, got)
}

// TestPythonDatagramHandler: DatagramHandler (one pickle frame per
// datagram) to a udp receiver.
func TestPythonDatagramHandler(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: UDP})
	runPython(t, "datagram", rcv.Addr(), 30)
	checkPythonRecords(t, col.waitRecords(t, 30), 30, true, true)
}

// TestPythonHTTPHandler: HTTPHandler's GET (record in the query) and POST
// (urlencoded body) to an http receiver.
func TestPythonHTTPHandler(t *testing.T) {
	for _, kind := range []string{"http-get", "http-post"} {
		t.Run(kind, func(t *testing.T) {
			col := newCollector(t)
			rcv := col.listen(t, Options{Type: HTTP})
			runPython(t, kind, rcv.Addr(), 12)
			checkPythonRecords(t, col.waitRecords(t, 12), 12, false, false)
		})
	}
}
