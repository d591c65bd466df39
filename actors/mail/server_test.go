package mail

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/actorlog/actorlog/internal/testcerts"
)

// The tests talk to a real SMTP server: emersion/go-smtp, served in the
// test process on 127.0.0.1, which records what it received.

// received is one mail as the server got it.
type received struct {
	From string
	To   []string
	Data string // CRLF as on the wire, dot-unstuffed
	TLS  bool   // the session was encrypted when the mail was sent
	Auth string // "MECH user" after a successful AUTH
}

// testServer is an in-process SMTP server with switchable faults.
type testServer struct {
	srv  *smtp.Server
	addr string
	host string
	port string
	done chan struct{}

	mu       sync.Mutex
	mails    []received
	sessions int
	// Faults and requirements, set before the client runs.
	refuse      map[string]bool // RCPT TO answered 550
	tempFail    int             // MAIL FROM answered 451 this many more times
	dropInData  int             // connections closed in the middle of DATA this many more times
	rejectData  bool            // DATA answered 554
	user, pass  string          // AUTH accepted for these
	mechs       []string        // AUTH mechanisms offered (with user set)
	transcript  bytes.Buffer    // the protocol as the server saw it
	transcriptW io.Writer
}

// serverOptions pick TLS for a test server.
type serverOptions struct {
	starttls *tls.Config // offered with STARTTLS when set
	implicit *tls.Config // the listener speaks TLS from the first byte
	user     string
	pass     string
	mechs    []string
}

func startServer(t testing.TB, so serverOptions) *testServer {
	t.Helper()
	ts := &testServer{done: make(chan struct{}), refuse: map[string]bool{}, user: so.user, pass: so.pass, mechs: so.mechs}
	if ts.mechs == nil {
		ts.mechs = []string{sasl.Plain, sasl.Login}
	}
	ts.transcriptW = &lockedWriter{mu: &ts.mu, w: &ts.transcript}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		ts.mu.Lock()
		ts.sessions++
		ts.mu.Unlock()
		return &session{ts: ts, c: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 64 << 20
	srv.TLSConfig = so.starttls
	srv.Debug = ts.transcriptW
	ts.srv = srv
	var ln net.Listener
	var err error
	if so.implicit != nil {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", so.implicit)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ts.host, ts.port, _ = net.SplitHostPort(ts.addr)
	go func() {
		defer close(ts.done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-ts.done
	})
	return ts
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (ts *testServer) got() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.mails...)
}

func (ts *testServer) sessionCount() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.sessions
}

func (ts *testServer) protocol() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.transcript.String()
}

// session is one SMTP session of the test server.
type session struct {
	ts   *testServer
	c    *smtp.Conn
	from string
	to   []string
	auth string
}

var (
	_ smtp.Session     = (*session)(nil)
	_ smtp.AuthSession = (*session)(nil)
)

func (s *session) AuthMechanisms() []string {
	if s.ts.user == "" {
		return nil
	}
	return s.ts.mechs
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.ts.user || pass != s.ts.pass {
			return smtp.ErrAuthFailed
		}
		s.auth = mech + " " + user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.user != "" && s.auth == "" {
		return smtp.ErrAuthRequired
	}
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if s.ts.tempFail > 0 {
		s.ts.tempFail--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if s.ts.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	s.ts.mu.Lock()
	drop := s.ts.dropInData > 0
	if drop {
		s.ts.dropInData--
	}
	reject := s.ts.rejectData
	s.ts.mu.Unlock()
	if drop {
		var buf [16]byte
		_, _ = io.ReadFull(r, buf[:])
		s.c.Conn().Close()
		return errors.New("connection dropped by the test")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if reject {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "message refused"}
	}
	_, isTLS := s.c.TLSConnectionState()
	s.ts.mu.Lock()
	s.ts.mails = append(s.ts.mails, received{From: s.from, To: s.to, Data: string(b), TLS: isTLS, Auth: s.auth})
	s.ts.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN (go-sasl has the client
// only): it takes the username as an initial response (Python's smtplib
// sends it so) or after "Username:", then the password.
type loginServer struct {
	check func(user, pass string) error
	user  string
	state int
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.state {
	case 0:
		l.state = 1
		if resp == nil {
			return []byte("Username:"), false, nil
		}
		l.user = string(resp)
		l.state = 2
		return []byte("Password:"), false, nil
	case 1:
		l.user = string(resp)
		l.state = 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.user, string(resp))
	}
}

// testCert makes a server certificate for 127.0.0.1 and localhost, and a
// pool that trusts the authority that signed it.
func testCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	c := testcerts.Make(t, t.TempDir())
	return c.ServerPair(t), c.Pool(t)
}

// headers splits a received mail into its header lines (unfolded) and body.
func headers(data string) (hdr []string, body string) {
	head, body, _ := strings.Cut(data, "\r\n\r\n")
	for _, l := range strings.Split(head, "\r\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(hdr) > 0 {
			hdr[len(hdr)-1] += l
			continue
		}
		hdr = append(hdr, l)
	}
	return hdr, body
}
