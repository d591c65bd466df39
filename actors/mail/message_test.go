package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

var headerNames = []string{"From", "To", "Subject", "Date", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"}

// checkMessage checks the properties every mail has whatever its subject
// and body: CRLF line ends only, no bare CR or LF; exactly Python's seven
// headers in order, each line at most 998 octets; a body that decodes to
// the text with its line breaks made "\n"; and, with the subject decoded,
// the subject sent without its line breaks.
func checkMessage(t *testing.T, msg []byte, subject, body string) {
	t.Helper()
	for i, c := range msg {
		if c == '\r' && (i+1 >= len(msg) || msg[i+1] != '\n') || c == '\n' && (i == 0 || msg[i-1] != '\r') {
			t.Fatalf("bare CR or LF at %d in %q", i, msg)
		}
	}
	for _, l := range strings.Split(string(msg), "\r\n") {
		if len(l) > 998 {
			t.Fatalf("line of %d octets", len(l))
		}
	}
	hdr, text := headers(string(msg))
	if len(hdr) != len(headerNames) {
		t.Fatalf("headers %q, want %v", hdr, headerNames)
	}
	var cte, subj string
	for i, h := range hdr {
		k, v, ok := strings.Cut(h, ": ")
		if !ok || k != headerNames[i] {
			t.Fatalf("header %d is %q, want %s", i, h, headerNames[i])
		}
		switch k {
		case "Content-Transfer-Encoding":
			cte = v
		case "Subject":
			subj = v
		}
	}
	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(subj); err != nil {
		t.Fatalf("subject %q: %v", subj, err)
	} else if want := sanitize(subject); utf8Valid(want) && strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(want), " ") {
		t.Fatalf("subject decodes to %q, want %q", got, want)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var decoded []byte
	switch cte {
	case "7bit", "8bit":
		decoded = []byte(text)
	case "quoted-printable":
		var err error
		decoded, err = io.ReadAll(quotedprintable.NewReader(strings.NewReader(text)))
		if err != nil {
			t.Fatalf("quoted-printable body %q: %v", text, err)
		}
	case "base64":
		var err error
		decoded, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(text, "\n", ""))
		if err != nil {
			t.Fatalf("base64 body: %v", err)
		}
	default:
		t.Fatalf("Content-Transfer-Encoding %q", cte)
	}
	want := append(bytes.Join(splitLines([]byte(body)), []byte("\n")), '\n')
	if !bytes.Equal(decoded, want) {
		t.Fatalf("body decodes to %q, want %q", decoded, want)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func FuzzMessage(f *testing.F) {
	f.Add("Log", "Hello ✓")
	f.Add("x\r\nBcc: evil@example.com", "a\r\n.\r\nMAIL FROM:<e@example.com>\r\n")
	f.Add("Störung "+strings.Repeat("ü", 40), strings.Repeat("long line ", 20)+"\r.\r\n.\n")
	f.Add(strings.Repeat("w", 200), strings.Repeat("=", 100)+" \t")
	f.Add("\x00\x01", "\xff\xfe\r\r\n\n")
	t0 := time.Date(2026, 11, 23, 18, 45, 36, 0, time.UTC)
	f.Fuzz(func(t *testing.T, subject, body string) {
		if len(subject) > 4096 || len(body) > 1<<16 {
			return
		}
		to := "a@example.com,b@example.com"
		if len(body)%3 == 0 {
			to = strings.Repeat("someone.with.a.long.name@example.com,", 50) + "last@example.com"
		}
		msg := appendMessage(nil, "Ops <ops@example.com>", to, subject, t0, []byte(body))
		checkMessage(t, msg, subject, body)
	})
}

// TestHeaderInjection covers reliability.md §3 (SMTP headers): a line
// break in a subject, from Subject or from the per-record hook, can never
// start a header of its own, and addresses with one are refused.
func TestHeaderInjection(t *testing.T) {
	ts := startServer(t, serverOptions{})
	o := opts(ts)
	o.Subject = "x\r\nBcc: evil@example.com"
	s := newSMTP(t, o)
	if _, err := s.WriteBatch(batchOf("one")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	o.SubjectFunc = func(r *record.Record) string { return r.Message + "\nX-Injected: 1\r\n\r\nbody" }
	s = newSMTP(t, o)
	if _, err := s.WriteBatch(batchOf("two")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got := ts.got()
	if len(got) != 2 {
		t.Fatalf("%d mails", len(got))
	}
	for i, want := range []string{"x Bcc: evil@example.com", "two X-Injected: 1 body"} {
		checkMessage(t, []byte(got[i].Data), want, []string{"one", "two"}[i])
		if strings.Join(got[i].To, ",") != "you@example.com" {
			t.Errorf("recipients %q", got[i].To)
		}
		if sub := header(t, got[i].Data, "Subject"); sub != want {
			t.Errorf("Subject %q, want %q", sub, want)
		}
	}
	for _, o := range []Options{
		{Mailhost: []string{"mx"}, Fromaddr: "me@example.com\r\nBcc: x@example.com", Toaddrs: []string{"a@example.com"}},
		{Mailhost: []string{"mx"}, Fromaddr: "me@example.com", Toaddrs: []string{"a@example.com>\r\nRCPT TO:<x@example.com"}},
		{Mailhost: []string{"mx\r\nX"}, Fromaddr: "me@example.com", Toaddrs: []string{"a@example.com"}},
	} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: want an error", o)
		}
	}
}

// TestNoSmuggling covers reliability.md §3 (SMTP smuggling): lone dots,
// bare CR and LF in a record neither end the DATA early nor smuggle a
// command; the server gets one mail with the whole text.
func TestNoSmuggling(t *testing.T) {
	ts := startServer(t, serverOptions{})
	s := newSMTP(t, opts(ts))
	defer s.Close()
	body := "start\r\n.\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<evil@example.com>\r\nDATA\r\nsmuggled\r\n.\r\n" +
		"\n.\nQUIT\n" + "\r.\rRSET\r" + "\n.\r\nNOOP\r\n" + ".\r\n" + "end"
	if n, err := s.WriteBatch(batchOf(body)); n != 1 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	got := ts.got()
	if len(got) != 1 || ts.sessionCount() != 1 {
		t.Fatalf("%d mails in %d sessions, want 1 in 1", len(got), ts.sessionCount())
	}
	if got[0].From != "me@example.com" || strings.Join(got[0].To, ",") != "you@example.com" {
		t.Fatalf("envelope %q -> %q", got[0].From, got[0].To)
	}
	checkMessage(t, []byte(got[0].Data), "Log", body+"\n")
	if c := strings.Count(ts.protocol(), "MAIL FROM:<me@example.com>"); c != 1 {
		t.Fatalf("MAIL FROM %d times in the session", c)
	}
}

func TestSplitLines(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "a", "a\n": "a", "a\r\nb": "a|b", "a\rb\nc\r\n": "a|b|c", "\n\n": "|", "a\r\r\nb": "a||b",
	} {
		var parts []string
		for _, l := range splitLines([]byte(in)) {
			parts = append(parts, string(l))
		}
		if got := strings.Join(parts, "|"); got != want {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnvelope(t *testing.T) {
	for in, want := range map[string]string{
		"me": "me", "me@example.com": "me@example.com", "Ops <ops@example.com>": "ops@example.com",
		" spaced@example.com ": "spaced@example.com", "a b": "", "<x@example.com": "",
	} {
		if got := envelope(in); got != want {
			t.Errorf("envelope(%q) = %q, want %q", in, got, want)
		}
	}
}
