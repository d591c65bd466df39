package config

import (
	"strings"
	"testing"
)

// The tree shows that a secret is set, never its value.
func TestTreeHidesSecrets(t *testing.T) {
	cfg := mustParse(t, `version: 1
handlers:
  central: {class: SocketHandler, host: 127.0.0.1, port: 9020, key: hunter2-hmac}
  mail: {class: SMTPHandler, mailhost: localhost, fromaddr: a@example.com, toaddrs: b@example.com, subject: s, credentials: [ann, hunter2-pass]}
root: {handlers: [central, mail]}
`)
	var b strings.Builder
	if err := cfg.WriteTree(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "hunter2") {
		t.Errorf("the tree shows a secret:\n%s", out)
	}
	if !strings.Contains(out, " key=***") || !strings.Contains(out, " credentials=***") {
		t.Errorf("the tree does not say the secrets are set:\n%s", out)
	}
}
