package config

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/receiver"
)

// Issue 13, item 4: the JetStreamHandler class and the jetstream receiver
// take servers, subjectPrefix, stream, consumer, replicas, credentials or
// token and TLS, and their Validate's problems are reported at their keys.
func TestJetStreamConfig(t *testing.T) {
	b, err := os.ReadFile("testdata/jetstream_ok.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := mustParse(t, string(b))
	h := cfg.Handlers["nats"]
	o, ok := h.Options.(*jetstream.Options)
	if !ok {
		t.Fatalf("options %T", h.Options)
	}
	if len(o.Servers) != 2 || o.Stream != "LOGS" || !o.CreateStream || o.Replicas != 3 ||
		o.MaxAge != 24*time.Hour || o.MaxBytes != 1<<30 || o.Token != "s3cret" || o.TLS.CA != "ca.pem" {
		t.Errorf("handler options %+v", o)
	}
	r := cfg.Receivers[0]
	ro, ok := r.Options.(*receiver.JetStreamOptions)
	if !ok {
		t.Fatalf("receiver options %T", r.Options)
	}
	if r.Type != "jetstream" || ro.Consumer != "collectors" || ro.Replicas != 3 || ro.Credentials != "user.creds" {
		t.Errorf("receiver %+v %+v", r, ro)
	}

	b, err = os.ReadFile("testdata/jetstream_bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(b, "bad.yaml")
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{
		"bad.yaml:5:20: handlers.nats.subjectPrefix:", "handlers.nats.replicas: must be 0 to 5",
		"handlers.nats.token: give a token or a credentials file", "handlers.nats.tlsCert:",
		"handlers.nats.window:", "receivers[0].stream:", "receivers[0].fetch: must be 0 to 4096",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
