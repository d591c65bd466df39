package jetstream_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/nats-io/nats.go"
	js "github.com/nats-io/nats.go/jetstream"
	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// seqOf returns a record's "seq" attribute.
func seqOf(r *record.Record) (int64, bool) {
	var seq int64
	ok := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "seq" {
			seq, ok = a.Value.Int64(), true
			return false
		}
		return true
	})
	return seq, ok
}

// payload returns a message's frames, decompressed as its header says.
func payload(t testing.TB, m js.Msg) []byte {
	t.Helper()
	switch enc := m.Headers().Get(jetstream.ContentEncoding); enc {
	case "":
		return m.Data()
	case jetstream.CompressSnappy:
		b, err := s2.Decode(nil, m.Data())
		if err != nil {
			t.Fatalf("snappy: %v", err)
		}
		return b
	default:
		t.Fatalf("Content-Encoding %q", enc)
		return nil
	}
}

// Frames splits a message's payload into records.
func frames(t testing.TB, data []byte, key *record.FrameKey, each func(r *record.Record)) {
	t.Helper()
	rd := bytes.NewReader(data)
	var buf []byte
	for {
		p, err := record.ReadFrame(rd, buf, 1<<20, key)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("frame: %v", err)
		}
		buf = p
		r, err := record.DecodeMsgpack(p)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		each(&r)
	}
}

// readStream reads every message of stream through an ordered consumer and
// counts each seq, at most wait long after the last message.
func readStream(t testing.TB, urls []string, stream string, want int, key *record.FrameKey) (counts map[int64]int, subjects map[string]int) {
	t.Helper()
	nc, err := nats.Connect(urls[0]+","+urls[1], nats.Timeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	j, err := js.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cons, err := j.OrderedConsumer(ctx, stream, js.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	counts, subjects = map[int64]int{}, map[string]int{}
	distinct := 0
	for distinct < want && ctx.Err() == nil {
		batch, err := cons.Fetch(1000, js.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			subjects[m.Subject()]++
			frames(t, payload(t, m), key, func(r *record.Record) {
				seq, ok := seqOf(r)
				if !ok {
					t.Fatalf("record without seq: %+v", r)
				}
				if counts[seq] == 0 {
					distinct++
				}
				counts[seq]++
			})
		}
		if got == 0 && batch.Error() == nil {
			break // nothing more within FetchMaxWait
		}
	}
	return counts, subjects
}
