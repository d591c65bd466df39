package jetstream_test

import (
	"errors"
	"testing"

	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/internal/optcheck"
)

func TestValidate(t *testing.T) {
	if err := (jetstream.Options{}).Validate(); err != nil {
		t.Fatalf("zero value: %v", err)
	}
	bad := jetstream.Options{
		StreamOptions: jetstream.StreamOptions{
			Servers: []string{""}, SubjectPrefix: "a..b", Stream: "x.y", Replicas: -1, MaxAge: -1, MaxBytes: -1,
			DuplicateWindow: -1, ConnectTimeout: -1,
			Auth: jetstream.Auth{Token: "t", Credentials: "c"}, TLS: jetstream.TLS{Key: "k"},
		},
		BatchRecords: jetstream.MaxBatchRecords + 1, Window: -1, AckTimeout: -1,
	}
	err := bad.Validate()
	if !errors.Is(err, jetstream.ErrInvalidOptions) {
		t.Fatalf("err = %v", err)
	}
	got := map[string]bool{}
	for _, f := range optcheck.Fields(err) {
		got[f.Field] = true
	}
	for _, f := range []string{"Servers", "SubjectPrefix", "Stream", "Replicas", "MaxAge", "MaxBytes", "DuplicateWindow",
		"ConnectTimeout", "Token", "Cert", "BatchRecords", "Window", "AckTimeout"} {
		if !got[f] {
			t.Errorf("no problem reported for %s: %v", f, err)
		}
	}
	if _, err := jetstream.New(bad); !errors.Is(err, jetstream.ErrInvalidOptions) {
		t.Errorf("New = %v", err)
	}
}
