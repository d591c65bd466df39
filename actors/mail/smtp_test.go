package mail

import (
	"crypto/tls"
	"errors"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/internal/testcerts"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// Checklist items refer to the SMTPHandler section of the Python handlers
// reference (104 to 111).

// TestOneSessionPerRecord covers 106, 107 and 108: each record is its own
// session (EHLO, MAIL, RCPT for each address, DATA, QUIT), with Python's
// headers in Python's order and the record as the body.
func TestOneSessionPerRecord(t *testing.T) {
	ts := startServer(t, serverOptions{})
	o := opts(ts)
	o.Fromaddr = "Ops <ops@example.com>"
	o.Toaddrs = []string{"a@example.com", "B <b@example.com>"}
	s := newSMTP(t, o)
	defer s.Close()
	b := batchOf("Hello ✓", "second")
	if n, err := s.WriteBatch(b); n != 2 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	got := ts.got()
	if len(got) != 2 || ts.sessionCount() != 2 {
		t.Fatalf("%d mails in %d sessions, want 2 in 2", len(got), ts.sessionCount())
	}
	m := got[0]
	if m.From != "ops@example.com" || strings.Join(m.To, " ") != "a@example.com b@example.com" {
		t.Errorf("envelope %q -> %q", m.From, m.To)
	}
	hdr, body := headers(m.Data)
	var names []string
	for _, h := range hdr {
		k, _, _ := strings.Cut(h, ":")
		names = append(names, k)
	}
	if want := "From To Subject Date Content-Type Content-Transfer-Encoding MIME-Version"; strings.Join(names, " ") != want {
		t.Errorf("headers %q, want %s", names, want)
	}
	for name, want := range map[string]string{
		"From": "Ops <ops@example.com>", "To": "a@example.com,B <b@example.com>", "Subject": "Log",
		"Content-Type": `text/plain; charset="utf-8"`, "Content-Transfer-Encoding": "8bit", "MIME-Version": "1.0",
	} {
		if got := header(t, m.Data, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if !regexp.MustCompile(`^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$`).MatchString(header(t, m.Data, "Date")) {
		t.Errorf("Date %q is not RFC 5322 with a numeric offset", header(t, m.Data, "Date"))
	}
	if body != "Hello ✓\r\n" || !strings.HasSuffix(strings.ReplaceAll(m.Data, "\r\n", "\n"), "\n\nHello ✓\n") {
		t.Errorf("body %q", body)
	}
	if got := header(t, got[1].Data, "Content-Transfer-Encoding"); got != "7bit" {
		t.Errorf("ASCII body: Content-Transfer-Encoding %q, want 7bit", got)
	}
	proto := ts.protocol()
	for _, step := range []string{"EHLO", "MAIL FROM:<ops@example.com>", "RCPT TO:<a@example.com>", "RCPT TO:<b@example.com>", "DATA", "QUIT"} {
		if c := strings.Count(proto, step); c != 2 {
			t.Errorf("%q %d times in the session, want 2 (once per record):\n%s", step, c, proto)
		}
	}
}

// TestMailhostAndTimeoutDefaults covers 104 and 110.
func TestMailhostAndTimeoutDefaults(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Mailhost: []string{"mx"}}, "mx:25"},
		{Options{Mailhost: []string{"mx", "0"}}, "mx:25"}, // Python: a falsy port is 25
		{Options{Mailhost: []string{"mx", "2525"}}, "mx:2525"},
		{Options{Mailhost: []string{"mx"}, TLS: true}, "mx:465"},
		{Options{Mailhost: []string{"::1", "25"}}, "[::1]:25"},
	} {
		if _, got := c.o.addr(); got != c.want {
			t.Errorf("%v: %s, want %s", c.o.Mailhost, got, c.want)
		}
	}
	if got := (Options{}).timeout(); got != 5*time.Second {
		t.Errorf("default timeout %v, want Python's 5 s", got)
	}
}

func TestValidate(t *testing.T) {
	err := Options{
		Mailhost: []string{"mx", "99999"}, Fromaddr: "me\r\nBcc: x@example.com", Toaddrs: []string{"ok@example.com", "bad\n@example.com"},
		Credentials: []string{"user"}, Secure: []string{"keyonly"}, Timeout: -1, Capacity: -1,
	}.Validate()
	if !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("err %v, want ErrInvalidOptions", err)
	}
	for _, field := range []string{"Mailhost", "Fromaddr", "Toaddrs", "Credentials", "Secure", "Timeout", "Capacity"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("no problem named for %s in %v", field, err)
		}
	}
	if _, err := New(Options{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("New(zero) = %v, want ErrInvalidOptions", err)
	}
}

// TestStartTLSAndAuth covers 109 (EHLO, STARTTLS, EHLO, AUTH, with the
// certificate verified) for both AUTH mechanisms.
func TestStartTLSAndAuth(t *testing.T) {
	cert, pool := testCert(t)
	for _, mech := range []string{"PLAIN", "LOGIN"} {
		t.Run(mech, func(t *testing.T) {
			ts := startServer(t, serverOptions{starttls: &tls.Config{Certificates: []tls.Certificate{cert}}, user: "u", pass: "p w", mechs: []string{mech}})
			o := opts(ts)
			o.Credentials = []string{"u", "p w"}
			o.Secure = []string{}
			o.TLSConfig = &tls.Config{RootCAs: pool}
			s := newSMTP(t, o)
			defer s.Close()
			if n, err := s.WriteBatch(batchOf("over TLS")); n != 1 || err != nil {
				t.Fatalf("WriteBatch = %d, %v", n, err)
			}
			got := ts.got()
			if len(got) != 1 || !got[0].TLS || got[0].Auth != mech+" u" {
				t.Fatalf("got %+v, want one mail over TLS after AUTH %s", got, mech)
			}
			proto := ts.protocol()
			order := regexp.MustCompile(`(?s)EHLO .*STARTTLS.*EHLO .*AUTH ` + mech)
			if !order.MatchString(proto) {
				t.Errorf("want EHLO, STARTTLS, EHLO, AUTH %s in order:\n%s", mech, proto)
			}
		})
	}
}

// TestStartTLSRequired: Secure never falls back to clear text, even
// without credentials (where Python would ignore Secure).
func TestStartTLSRequired(t *testing.T) {
	ts := startServer(t, serverOptions{})
	o := opts(ts)
	o.Secure = []string{}
	s := newSMTP(t, o)
	defer s.Close()
	n, err := s.WriteBatch(batchOf("secret"))
	if n != 0 || !errors.Is(err, ErrNoStartTLS) || actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v; want 0, ErrNoStartTLS not retried", n, err)
	}
	if len(ts.got()) != 0 {
		t.Fatal("a mail went out in clear text")
	}
}

// TestSecureWithoutCredentials: unlike Python, Secure applies without
// credentials too.
func TestSecureWithoutCredentials(t *testing.T) {
	cert, pool := testCert(t)
	ts := startServer(t, serverOptions{starttls: &tls.Config{Certificates: []tls.Certificate{cert}}})
	o := opts(ts)
	o.Secure = []string{}
	o.TLSConfig = &tls.Config{RootCAs: pool}
	s := newSMTP(t, o)
	defer s.Close()
	if _, err := s.WriteBatch(batchOf("x")); err != nil {
		t.Fatal(err)
	}
	if got := ts.got(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("got %+v, want one mail over TLS", got)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	cert, _ := testCert(t)
	ts := startServer(t, serverOptions{starttls: &tls.Config{Certificates: []tls.Certificate{cert}}})
	o := opts(ts)
	o.Secure = []string{}
	s := newSMTP(t, o)
	defer s.Close()
	n, err := s.WriteBatch(batchOf("x"))
	var cv *tls.CertificateVerificationError
	if n != 0 || !errors.As(err, &cv) || actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v; want a certificate error, not retried", n, err)
	}
}

func TestImplicitTLS(t *testing.T) {
	cert, pool := testCert(t)
	ts := startServer(t, serverOptions{implicit: &tls.Config{Certificates: []tls.Certificate{cert}}, user: "u", pass: "p"})
	o := opts(ts)
	o.TLS = true
	o.Credentials = []string{"u", "p"}
	o.TLSConfig = &tls.Config{RootCAs: pool}
	s := newSMTP(t, o)
	defer s.Close()
	if _, err := s.WriteBatch(batchOf("x")); err != nil {
		t.Fatal(err)
	}
	if got := ts.got(); len(got) != 1 || !got[0].TLS || got[0].Auth != "PLAIN u" {
		t.Fatalf("got %+v", got)
	}
}

func TestAuthFailureIsNotRetried(t *testing.T) {
	ts := startServer(t, serverOptions{user: "u", pass: "p"})
	o := opts(ts)
	o.Credentials = []string{"u", "wrong"}
	s := newSMTP(t, o)
	defer s.Close()
	n, err := s.WriteBatch(batchOf("x", "y"))
	if n != 0 || err == nil || actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v; want 0 and a permanent error", n, err)
	}
}

func TestLoopbackOnlyForClearTextAuth(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "127.0.0.2": true, "mail.example.com": false, "10.0.0.1": false} {
		if got := loopback(host); got != want {
			t.Errorf("loopback(%q) = %v", host, got)
		}
	}
}

// TestRefusedRecipient covers the per-record failure: a record whose
// recipients are refused is counted under "refused", the batch goes on.
func TestRefusedRecipient(t *testing.T) {
	ts := startServer(t, serverOptions{})
	ts.refuse["gone@example.com"] = true
	o := opts(ts)
	o.Toaddrs = []string{"gone@example.com", "you@example.com"}
	s := newSMTP(t, o)
	defer s.Close()
	b := batchOf("partly refused")
	if n, err := s.WriteBatch(b); n != 1 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if f := b.Failures(); len(f) != 1 || f[0].Reason != ReasonRefused || !errors.Is(f[0].Err, ErrRefused) {
		t.Fatalf("failures %+v", f)
	}
	if got := ts.got(); len(got) != 1 || strings.Join(got[0].To, ",") != "you@example.com" {
		t.Fatalf("the accepted recipient should still get the mail: %+v", got)
	}

	o.Toaddrs = []string{"gone@example.com"}
	s2 := newSMTP(t, o)
	defer s2.Close()
	b = batchOf("refused", "refused too")
	if n, err := s2.WriteBatch(b); n != 2 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if f := b.Failures(); len(f) != 2 || f[1].Reason != ReasonRefused {
		t.Fatalf("failures %+v", f)
	}
	if len(ts.got()) != 1 {
		t.Fatal("a mail with no accepted recipient was sent")
	}
}

func TestRejectedMessage(t *testing.T) {
	ts := startServer(t, serverOptions{})
	ts.rejectData = true
	s := newSMTP(t, opts(ts))
	defer s.Close()
	b := batchOf("no")
	if n, err := s.WriteBatch(b); n != 1 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if f := b.Failures(); len(f) != 1 || f[0].Reason != ReasonRejected {
		t.Fatalf("failures %+v", f)
	}
}

// TestRetriesThroughTheEngine covers 111 in actorlog's terms: a 4xx answer
// or a connection dropped in the middle of DATA is retried after the
// handler's back-off, and the mail arrives once; a refused recipient is
// counted by reason.
func TestRetriesThroughTheEngine(t *testing.T) {
	for _, c := range []struct {
		name  string
		fault func(ts *testServer)
	}{
		{"4xx then accepted", func(ts *testServer) { ts.tempFail = 2 }},
		{"dropped mid-DATA", func(ts *testServer) { ts.dropInData = 2 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := startServer(t, serverOptions{})
			c.fault(ts)
			e := newEngine(t)
			s := newSMTP(t, opts(ts))
			h, err := e.NewHandler("mail", s, actors.HandlerOptions{
				Supervision: supervision.Options{RetryStart: time.Millisecond, RetryMax: 2 * time.Millisecond},
			})
			if err != nil {
				t.Fatal(err)
			}
			e.Logger("").AddHandler(h)
			e.Logger("").Log(record.LevelError, "disk full")
			flush(t, e)
			got := ts.got()
			if len(got) != 1 || !strings.HasSuffix(got[0].Data, "\r\n\r\ndisk full\r\n") {
				t.Fatalf("got %+v, want the mail once", got)
			}
			st, _ := e.Stats().ForHandler("mail")
			if st.Written != 1 || st.Restarts != 2 || st.DroppedTotal() != 0 {
				t.Fatalf("stats %+v", st)
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		ts := startServer(t, serverOptions{})
		ts.refuse["you@example.com"] = true
		e := newEngine(t)
		h, err := e.NewHandler("mail", newSMTP(t, opts(ts)), actors.HandlerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.Logger("").AddHandler(h)
		e.Logger("").Log(record.LevelError, "x")
		flush(t, e)
		st, _ := e.Stats().ForHandler("mail")
		if st.Dropped[ReasonRefused] != 1 || st.Written != 0 {
			t.Fatalf("stats %+v", st)
		}
	})
}

// silentServer accepts connections and never answers; accepted receives
// each connection.
func silentServer(t *testing.T) (addr string, accepted <-chan net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan net.Conn, 8)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			ch <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(ch)
		for c := range ch {
			c.Close()
		}
	})
	return ln.Addr().String(), ch
}

func silentOptions(addr string) Options {
	host, port, _ := net.SplitHostPort(addr)
	return Options{Mailhost: []string{host, port}, Fromaddr: "me", Toaddrs: []string{"you"}, Subject: "s"}
}

// TestTimeoutIsRetried: a server that never answers costs Timeout, then
// the record is retried after the back-off.
func TestTimeoutIsRetried(t *testing.T) {
	addr, _ := silentServer(t)
	o := silentOptions(addr)
	o.Timeout = 50 * time.Millisecond
	s := newSMTP(t, o)
	defer s.Close()
	n, err := s.WriteBatch(batchOf("x"))
	var ne net.Error
	if n != 0 || !actors.IsRetry(err) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("WriteBatch = %d, %v; want a retried timeout", n, err)
	}
}

// TestDeadlineBoundsASession: a drain's deadline cuts a session short
// whatever Timeout says.
func TestDeadlineBoundsASession(t *testing.T) {
	addr, _ := silentServer(t)
	o := silentOptions(addr)
	o.Timeout = time.Hour
	s := newSMTP(t, o)
	defer s.Close()
	s.SetDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := s.WriteBatch(batchOf("x")); err == nil {
		t.Fatal("a session outlived the deadline")
	}
}

// TestInterrupt: Interrupt from another goroutine ends a blocked session.
func TestInterrupt(t *testing.T) {
	addr, accepted := silentServer(t)
	o := silentOptions(addr)
	o.Timeout = time.Hour
	s := newSMTP(t, o)
	done := make(chan error, 1)
	go func() {
		_, err := s.WriteBatch(batchOf("x"))
		done <- err
	}()
	select {
	case <-accepted:
	case <-time.After(10 * time.Second):
		t.Fatal("no connection")
	}
	s.Interrupt()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("an interrupted session succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Interrupt did not end the session")
	}
	s.Close()
}

func TestDefaults(t *testing.T) {
	d := (&SMTP{}).HandlerDefaults()
	if d.Mailbox.Overflow.String() == "block" || d.Supervision.RetryMax != 5*time.Minute {
		t.Fatalf("defaults %+v", d)
	}
}

// TestClientCertificateAndCAFile: Secure's [keyfile, certfile] is the
// client certificate a server may require (Python 3.14's secure), and
// CAFile the roots that verify the server, both read from files.
func TestClientCertificateAndCAFile(t *testing.T) {
	dir := t.TempDir()
	c := testcerts.Make(t, dir)
	ts := startServer(t, serverOptions{starttls: &tls.Config{
		Certificates: []tls.Certificate{c.ServerPair(t)}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: c.Pool(t),
	}})
	o := opts(ts)
	o.Secure = []string{c.ClientKey, c.ClientCert}
	o.CAFile = c.CA
	s := newSMTP(t, o)
	defer s.Close()
	if _, err := s.WriteBatch(batchOf("with a client certificate")); err != nil {
		t.Fatal(err)
	}
	if got := ts.got(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("got %+v", got)
	}
	o.Secure = []string{filepath.Join(dir, "missing.pem"), c.ClientCert}
	if _, err := New(o); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("New with a missing key file: %v", err)
	}
}
