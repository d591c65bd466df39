package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors/mail"
)

// TestSMTPHandlerKeys: Python's SMTPHandler keys bind to mail.Options; a
// string mailhost or toaddrs is a one-element list (python-handlers.md
// checklist 104, 105), a list mailhost is (host, port).
func TestSMTPHandlerKeys(t *testing.T) {
	y := `version: 1
handlers:
  alert:
    class: logging.handlers.SMTPHandler
    mailhost: [mail.example.com, 587]
    fromaddr: Ops <ops@example.com>
    toaddrs: oncall@example.com
    subject: Alert
    credentials: [ops, secret]
    secure: []
    timeout: 2.5
    capacity: 50
    interval: 30
  plain:
    class: SMTPHandler
    mailhost: localhost
    fromaddr: me@example.com
    toaddrs: [a@example.com, b@example.com]
    subject: Log
root: {level: ERROR, handlers: [alert, plain]}
`
	cfg, err := Parse([]byte(y), "smtp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := *cfg.Handlers["alert"].Options.(*mail.Options)
	want := mail.Options{
		Mailhost: []string{"mail.example.com", "587"}, Fromaddr: "Ops <ops@example.com>",
		Toaddrs: []string{"oncall@example.com"}, Subject: "Alert", Credentials: []string{"ops", "secret"},
		Secure: []string{}, Timeout: 2500 * time.Millisecond, Capacity: 50, Interval: 30 * time.Second,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("alert: %+v\nwant %+v", got, want)
	}
	plain := cfg.Handlers["plain"].Options.(*mail.Options)
	if plain.Address() != "localhost:25" || len(plain.Toaddrs) != 2 || plain.Secure != nil {
		t.Errorf("plain: %+v", plain)
	}
}

func TestSMTPHandlerErrors(t *testing.T) {
	y := `version: 1
handlers:
  m:
    class: SMTPHandler
    mailhost: [a, 25, x]
    fromaddr: "me@example.com"
    toaddrs: []
    secure: [keyonly]
    timeout: 7200
root: {handlers: [m]}
`
	_, err := Parse([]byte(y), "bad.yaml")
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"bad.yaml:5:15: handlers.m.mailhost:", "bad.yaml:7:14: handlers.m.toaddrs:",
		"bad.yaml:8:13: handlers.m.secure:", "bad.yaml:9:14: handlers.m.timeout:",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no error at %q in\n%v", want, err)
		}
	}
}
