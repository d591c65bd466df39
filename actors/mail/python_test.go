package mail

import (
	"bytes"
	"encoding/json"
	"mime"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/internal/oracle"
)

// pythonCases are records mailed by Python's SMTPHandler
// (testdata/python_smtp.py) and by SMTP, whose mails must agree byte for
// byte but for the Date header.
var pythonCases = []struct {
	Fromaddr string   `json:"fromaddr"`
	Toaddrs  []string `json:"toaddrs"`
	Subject  string   `json:"subject"`
	Msg      string   `json:"msg"`
}{
	{"me@example.com", []string{"you@example.com"}, "Log", "Hello ✓"},
	{"me@example.com", []string{"you@example.com"}, "Log", "plain ASCII"},
	{"Ops <ops@example.com>", []string{"a@example.com", "b@example.com"}, "Two", "to two"},
	{"me@example.com", []string{"you@example.com"}, "Log", ""},
	{"me@example.com", []string{"you@example.com"}, "Störung ✓", "non-ASCII subject"},
	{"me@example.com", []string{"you@example.com"}, "Störung ✓ ok", "non-ASCII subject, Q"},
	{"me@example.com", []string{"you@example.com"}, "Alert: Störung on host-1", "mixed subject"},
	{"me@example.com", []string{"you@example.com"}, strings.Repeat("Störung ", 12), "long non-ASCII subject"},
	{"me@example.com", []string{"you@example.com"}, "a long subject " + strings.Repeat("word ", 20) + "end", "long subject"},
	{"me@example.com", []string{"you@example.com"}, "Log", "line one\nline two\r\nline three\rline four"},
	{"me@example.com", []string{"you@example.com"}, "Log", ".\n..\n. \n.lead\nmid.dle\n."},
	{"me@example.com", []string{"you@example.com"}, "Log", "a\r\n.\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<x@example.com>\n.\nb"},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("long ASCII line ", 12)},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("x", 77) + "=" + strings.Repeat("y", 100) + "   "},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("ends in a space ", 5) + strings.Repeat("z", 70) + " "},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("кириллица ", 12)},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("short\n", 12) + strings.Repeat("q", 100)},
	{"me@example.com", []string{"you@example.com"}, "Log", "tab\there\x01ctl\x7fdel =eq"},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("y", 78)},
	{"me@example.com", []string{"you@example.com"}, "Log", strings.Repeat("y", 79)},
	{"me@example.com", []string{"you@example.com"}, "Log", "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nZeroDivisionError: division by zero"},
}

var subjectLine = regexp.MustCompile(`(?m)^Subject: [^\r\n]*\r\n( [^\r\n]*\r\n)*`)

var dateLine = regexp.MustCompile(`(?m)^Date: [^\r\n]*\r\n`)

// TestAgainstPython covers 105, 106, 107 and 108 against Python itself:
// Python's SMTPHandler and SMTP mail the same records to the same server,
// and the server receives the same envelope and the same bytes, Date
// aside.
func TestAgainstPython(t *testing.T) {
	py := oracle.NeedPython(t)
	ts := startServer(t, serverOptions{})
	in, err := json.Marshal(pythonCases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "testdata/python_smtp.py", ts.port)
	cmd.Stdin = bytes.NewReader(in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	want := ts.got()
	if len(want) != len(pythonCases) {
		t.Fatalf("Python sent %d mails, want %d", len(want), len(pythonCases))
	}

	ours := startServer(t, serverOptions{})
	for _, c := range pythonCases {
		o := opts(ours)
		o.Fromaddr, o.Toaddrs, o.Subject = c.Fromaddr, c.Toaddrs, c.Subject
		s := newSMTP(t, o)
		if n, err := s.WriteBatch(batchOf(c.Msg)); n != 1 || err != nil {
			t.Fatalf("WriteBatch = %d, %v", n, err)
		}
		s.Close()
	}
	got := ours.got()
	for i, c := range pythonCases {
		w, g := want[i], got[i]
		if g.From != w.From || strings.Join(g.To, ",") != strings.Join(w.To, ",") {
			t.Errorf("case %d: envelope %q -> %q, Python's %q -> %q", i, g.From, g.To, w.From, w.To)
		}
		wd := dateLine.ReplaceAllString(w.Data, "Date: -\r\n")
		gd := dateLine.ReplaceAllString(g.Data, "Date: -\r\n")
		if c.Msg == "long non-ASCII subject" {
			// Python splits a long encoded run at other points: the
			// decoded subjects agree.
			var dec mime.WordDecoder
			ws, _ := dec.DecodeHeader(header(t, w.Data, "Subject"))
			gs, _ := dec.DecodeHeader(header(t, g.Data, "Subject"))
			if strings.TrimSpace(gs) != strings.TrimSpace(ws) {
				t.Errorf("case %d: subject %q, Python's %q", i, gs, ws)
			}
			wd = subjectLine.ReplaceAllString(wd, "")
			gd = subjectLine.ReplaceAllString(gd, "")
		}
		if gd != wd {
			t.Errorf("case %d (%.30q):\n got %q\nwant %q", i, c.Msg, gd, wd)
		}
	}
}
