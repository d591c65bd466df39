package mail_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/emersion/go-smtp"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/mail"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// A server for the example: it prints the envelope and the Subject of each
// mail it receives.
type printSession struct{}

func (printSession) Mail(from string, _ *smtp.MailOptions) error {
	fmt.Println("from", from)
	return nil
}
func (printSession) Rcpt(to string, _ *smtp.RcptOptions) error { fmt.Println("to", to); return nil }
func (printSession) Data(r io.Reader) error {
	b, _ := io.ReadAll(r)
	for _, l := range strings.Split(string(b), "\r\n") {
		if strings.HasPrefix(l, "Subject:") {
			fmt.Println(l)
		}
	}
	return nil
}
func (printSession) Reset()        {}
func (printSession) Logout() error { return nil }

// Mail each ERROR record: Python's SMTPHandler(mailhost, fromaddr, toaddrs,
// subject) with a subject made per record (Python's getSubject).
func Example() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return printSession{}, nil }))
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	host, port, _ := net.SplitHostPort(ln.Addr().String())

	sink, err := mail.New(mail.Options{
		Mailhost: []string{host, port},
		Fromaddr: "App <app@example.com>",
		Toaddrs:  []string{"oncall@example.com"},
		SubjectFunc: func(r *record.Record) string {
			return r.Level.String() + " in " + r.Logger
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	eng := engine.New(engine.Options{})
	h, err := eng.NewHandler("mail", sink, actors.HandlerOptions{Level: record.LevelError})
	if err != nil {
		fmt.Println(err)
		return
	}
	eng.Logger("app.db").AddHandler(h)
	eng.Logger("app.db").Log(record.LevelError, "connection lost")
	_ = eng.Shutdown(context.Background())
	srv.Close()
	<-done
	// Output:
	// from app@example.com
	// to oncall@example.com
	// Subject: ERROR in app.db
}
