package receiver

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/actorlog/actorlog/actors"
	ajs "github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/natstest"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// seqSink remembers the seq attribute of every record it writes.
type seqSink struct {
	mu   sync.Mutex
	seqs map[int64]int
	// gate, when set, holds every write until it is closed.
	gate atomic.Pointer[chan struct{}]
	// drops, while above 0, makes a write fail with a plain error: its
	// records are dropped (reason error), and one fewer write fails.
	drops atomic.Int32
}

var errDiskFull = errors.New("disk full")

func (s *seqSink) WriteBatch(b *actors.Batch) (int, error) {
	if g := s.gate.Load(); g != nil {
		<-*g
	}
	if s.drops.Add(-1) >= 0 {
		return 0, errDiskFull
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range b.Records {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "seq" {
				s.seqs[a.Value.Int64()]++
				return false
			}
			return true
		})
	}
	return b.Len(), nil
}

func (s *seqSink) Close() error { return nil }

// count is how many distinct records the sink has written.
func (s *seqSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seqs)
}

func (s *seqSink) snapshot() map[int64]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64]int, len(s.seqs))
	for k, v := range s.seqs {
		out[k] = v
	}
	return out
}

// jsCollector is one serve process: an engine whose root logger writes to a
// seqSink, fed by a jetstream receiver.
type jsCollector struct {
	eng  *engine.Engine
	sink *seqSink
	rcv  *JetStreamReceiver
}

func startJSCollector(t *testing.T, o JetStreamOptions) *jsCollector {
	t.Helper()
	c := &jsCollector{eng: engine.New(engine.Options{NoLastResort: true}), sink: &seqSink{seqs: map[int64]int{}}}
	h, err := c.eng.NewHandler("seqs", c.sink, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c.eng.Logger("").AddHandler(h)
	if c.rcv, err = ListenJetStream(c.eng, o); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *jsCollector) stop(t *testing.T) {
	t.Helper()
	if err := c.rcv.Close(); err != nil && err != ErrClosed {
		t.Error(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.eng.Shutdown(ctx); err != nil {
		t.Error(err)
	}
}

// jsProducer is a program logging through a JetStream handler.
type jsProducer struct {
	eng  *engine.Engine
	log  *engine.Logger
	sink *ajs.Sink
}

func startJSProducer(t *testing.T, o ajs.Options, mb mailbox.Options) *jsProducer {
	t.Helper()
	s, err := ajs.New(o)
	if err != nil {
		t.Fatal(err)
	}
	p := &jsProducer{eng: engine.New(engine.Options{NoLastResort: true}), sink: s}
	h, err := p.eng.NewHandler("js", s, actors.HandlerOptions{Mailbox: mb,
		Supervision: supervision.Options{RetryStart: 50 * time.Millisecond, RetryFactor: 2, RetryMax: 500 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	p.log = p.eng.Logger("app")
	p.log.SetLevel(record.LevelInfo)
	p.log.AddHandler(h)
	return p
}

func (p *jsProducer) stop(t *testing.T) engine.HandlerStats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := p.eng.Shutdown(ctx); err != nil {
		t.Error(err)
	}
	st, _ := p.eng.Stats().ForHandler("js")
	return st
}

// waitAll waits, at most d, until the collectors together wrote every seq
// below n; it returns each jsCollector's seqs.
func waitAll(t *testing.T, n int, d time.Duration, cs ...*jsCollector) []map[int64]int {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		var snaps []map[int64]int
		seen := map[int64]bool{}
		for _, c := range cs {
			s := c.sink.snapshot()
			snaps = append(snaps, s)
			for k := range s {
				seen[k] = true
			}
		}
		if len(seen) >= n {
			return snaps
		}
		if time.Now().After(deadline) {
			for i, c := range cs {
				t.Logf("collector %d: %+v", i+1, c.rcv.Stats())
			}
			t.Fatalf("after %v the collectors wrote %d of %d records", d, len(seen), n)
		}
		time.Sleep(50 * time.Millisecond) // polling counters; bounded above
	}
}

// jsOptions are the stream's options shared by jsProducer and collectors.
func jsOptions(c *natstest.Cluster, stream string) ajs.StreamOptions {
	return ajs.StreamOptions{Servers: c.URLs(), Stream: stream, SubjectPrefix: "logs", CreateStream: true, Replicas: 3}
}

// TestJetStreamNodeKilled: issue 13, 3(a) and (b): a 3-node cluster, R3,
// one jsProducer, two collectors sharing a consumer; a node is killed under
// load and restarted, then a jsCollector is killed (its connection dropped,
// nothing more acknowledged). Every seq arrives; a seq written twice came
// in a redelivered or a republished message, both counted.
func TestJetStreamNodeKilled(t *testing.T) {
	cl := natstest.Start(t, 3)
	so := jsOptions(cl, "LOGS")
	// Block: every record must arrive (the default drops the newest when
	// the mailbox is full).
	p := startJSProducer(t, ajs.Options{StreamOptions: so, Key: "k"}, mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute})
	ro := JetStreamOptions{StreamOptions: so, Key: "k", AckWait: 2 * time.Second, Fetch: 4}
	c1, c2 := startJSCollector(t, ro), startJSCollector(t, ro)
	n := 100_000             // grows while collector 2 is being made to fetch
	var before map[int64]int // what collector 2 wrote when it was killed
	for i := 0; i < n; i++ {
		switch i {
		case 30_000:
			cl.Kill(0)
		case 60_000:
			cl.Restart(0)
		case 70_000:
			// Collector 2 stops writing, keeps fetching, and is killed
			// with messages fetched and not acknowledged (SIGKILL, as
			// far as the stream can tell); then what it held is written,
			// as a process killed after write(2) and before its acks.
			gate := make(chan struct{})
			c2.sink.gate.Store(&gate)
			deadline := time.Now().Add(20 * time.Second)
			for f, a, _ := c2.rcv.Messages(); f <= a+1; f, a, _ = c2.rcv.Messages() {
				if time.Now().After(deadline) {
					t.Fatalf("collector 2 fetched no message past its acks (%d fetched)", f)
				}
				// Keep producing: collectors that keep up leave no
				// backlog for collector 2 to fetch.
				for range 256 {
					p.log.Log(record.LevelInfo, "m", slog.Int("seq", i))
					i++
					n++
				}
				time.Sleep(10 * time.Millisecond) // polling counters; bounded above
			}
			c2.rcv.Abort()
			before = c2.sink.snapshot()
			close(gate)
		}
		p.log.Log(record.LevelInfo, "m", slog.Int("seq", i))
	}
	pst := p.stop(t)
	waitAll(t, n, 90*time.Second, c1, c2)
	// What the killed collector wrote after it was killed came in messages
	// it never acknowledged: every record of them comes to the other one
	// after AckWait (bounded wait). The records are compared rather than
	// the count of messages flagged as redelivered (NumDelivered > 1),
	// which once fell short (2 of 8 in 20 s) with nothing to tell why from
	// here; the records arriving is what the test is about.
	f2, a2, _ := c2.rcv.Messages()
	deadline := time.Now().Add(60 * time.Second)
	for {
		s1, missing := c1.sink.snapshot(), 0
		held := c2.sink.snapshot()
		for seq := range held {
			if before[seq] == 0 && s1[seq] == 0 {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			_, _, re := c1.rcv.Messages()
			t.Fatalf("%d records collector 2 wrote after it was killed (%d messages unacknowledged) never came to collector 1 (%d messages redelivered to it)",
				missing, f2-a2, re)
		}
		time.Sleep(50 * time.Millisecond) // polling the sinks; bounded above
	}
	snaps := waitAll(t, n, time.Second, c1, c2)
	both, dup1 := 0, 0
	for seq, k := range snaps[0] {
		if k > 1 {
			dup1 += k - 1
		}
		if snaps[1][seq] > 0 {
			both++
		}
	}
	s1, s2 := c1.rcv.Stats(), c2.rcv.Stats()
	c1.stop(t)
	c2.stop(t)
	t.Logf("jsProducer: written %d, dropped %v, restarts %d, sink %+v", pst.Written, pst.Dropped, pst.Restarts, p.sink.Stats())
	t.Logf("jsCollector 1: %d records, %d written twice by it; jsCollector 2 (killed): %d records; written by both: %d",
		len(snaps[0]), dup1, len(snaps[1]), both)
	t.Logf("jsCollector 1 stats: frames %d acked %d redelivered messages %d; jsCollector 2: frames %d acked %d",
		s1.Frames, s1.Acked, s1.Duplicates, s2.Frames, s2.Acked)
	if pst.Written != uint64(n) {
		t.Errorf("jsProducer wrote %d of %d", pst.Written, n)
	}
	if len(snaps[0]) == 0 || len(snaps[1]) == 0 {
		t.Errorf("the collectors did not share the load: %d and %d", len(snaps[0]), len(snaps[1]))
	}
	_, _, re1 := c1.rcv.Messages()
	t.Logf("killed collector: %d messages fetched, %d acknowledged; redelivered to the other: %d messages", f2, a2, re1)
	// A record written by both collectors (or twice by one) came in a
	// redelivered message (at most DefaultBatchRecords records each), or
	// the producer published it again after a failure (Resends): the
	// stream drops such a copy by its message id, but with a node killed
	// that is not a guarantee, and delivery is at least once. More
	// duplicates than these two explain would be a fault of ours.
	// Redelivered messages are those counted as such, and at least those
	// collector 2 left unacknowledged.
	resent := p.sink.Stats().Resends
	redelivered := int(re1) + int(f2-a2)
	if both+dup1 > redelivered*ajs.DefaultBatchRecords+int(resent) {
		t.Errorf("%d records written by both and %d twice, more than %d redelivered messages and %d resent records hold",
			both, dup1, redelivered, resent)
	}
}

// TestJetStreamShare: issue 13, 3(b) without faults: two collectors write
// every record, neither one the other wrote.
func TestJetStreamShare(t *testing.T) {
	cl := natstest.Start(t, 3)
	so := jsOptions(cl, "SHARE")
	p := startJSProducer(t, ajs.Options{StreamOptions: so, BatchRecords: 16}, mailbox.Options{})
	ro := JetStreamOptions{StreamOptions: so, Fetch: 8}
	c1, c2 := startJSCollector(t, ro), startJSCollector(t, ro)
	// At least 20,000 records, and on until both collectors have written
	// some: a collector that starts pulling late (a loaded machine) would
	// otherwise find the other one done with the lot.
	n := 0
	deadline := time.Now().Add(30 * time.Second)
	for n < 20_000 || c1.sink.count() == 0 || c2.sink.count() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after %d records, jsCollector 1 wrote %d and jsCollector 2 %d", n, c1.sink.count(), c2.sink.count())
		}
		for range 1000 {
			p.log.Log(record.LevelInfo, "m", slog.Int("seq", n))
			n++
		}
		if n >= 20_000 {
			time.Sleep(10 * time.Millisecond) // a collector still starting; bounded above
		}
	}
	p.stop(t)
	snaps := waitAll(t, n, 60*time.Second, c1, c2)
	c1.stop(t)
	c2.stop(t)
	both := 0
	for seq, k := range snaps[0] {
		if k != 1 {
			t.Errorf("seq %d written %d times by jsCollector 1", seq, k)
		}
		if snaps[1][seq] > 0 {
			both++
		}
	}
	t.Logf("jsCollector 1: %d, jsCollector 2: %d, both: %d", len(snaps[0]), len(snaps[1]), both)
	if both != 0 || len(snaps[0])+len(snaps[1]) != n || len(snaps[0]) == 0 || len(snaps[1]) == 0 {
		t.Errorf("not split: %d + %d records, %d by both", len(snaps[0]), len(snaps[1]), both)
	}
}

// TestJetStreamDroppedRedelivered: a record a collector's handler dropped
// makes its message handed back (Nak), not acknowledged: the stream
// delivers it again and the record is written then, so that nothing the
// stream counts as acknowledged is missing from the files.
func TestJetStreamDroppedRedelivered(t *testing.T) {
	cl := natstest.Start(t, 3)
	so := jsOptions(cl, "NAK")
	p := startJSProducer(t, ajs.Options{StreamOptions: so, BatchRecords: 10}, mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute})
	c := startJSCollector(t, JetStreamOptions{StreamOptions: so, Fetch: 4})
	c.sink.drops.Store(3)
	const n = 2000
	for i := range n {
		p.log.Log(record.LevelInfo, "m", slog.Int("seq", i))
	}
	if pst := p.stop(t); pst.Written != n {
		t.Fatalf("producer wrote %d of %d", pst.Written, n)
	}
	snaps := waitAll(t, n, 60*time.Second, c)
	_, acked, redelivered := c.rcv.Messages()
	rs := c.rcv.Stats()
	hs, _ := c.eng.Stats().ForHandler("seqs")
	c.stop(t)
	t.Logf("collector: %d records written, handler dropped %v; messages acked %d, redelivered %d; rejected %v",
		len(snaps[0]), hs.Dropped, acked, redelivered, rs.Rejected)
	if hs.Dropped["error"] == 0 || c.sink.drops.Load() >= 0 {
		t.Fatalf("the handler dropped nothing: %v", hs.Dropped)
	}
	if redelivered == 0 || rs.Rejected["not_written"] == 0 {
		t.Errorf("no message handed back: redelivered %d, not_written %d", redelivered, rs.Rejected["not_written"])
	}
	if len(snaps[0]) != n {
		t.Errorf("written %d distinct records of %d", len(snaps[0]), n)
	}
	// Every message is acknowledged once, after its records were written:
	// n/10 messages (BatchRecords 10; a batch cut short makes more).
	if acked < n/10 {
		t.Errorf("%d messages acknowledged, want at least %d", acked, n/10)
	}
}

// TestJetStreamTLSToken: a cluster that asks for a token and for TLS with
// client certificates. A producer and a collector given the token, the
// authority and a client key pair carry every record; a client without the
// token, without the authority, or without a client certificate is refused.
func TestJetStreamTLSToken(t *testing.T) {
	cl := natstest.StartWith(t, 3, natstest.Options{Token: "s3cret", TLS: true})
	so := jsOptions(cl, "SECURE")
	so.Token = "s3cret"
	so.TLS = ajs.TLS{CA: cl.Certs.CA, Cert: cl.Certs.ClientCert, Key: cl.Certs.ClientKey}
	p := startJSProducer(t, ajs.Options{StreamOptions: so, Key: "k"}, mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute})
	c := startJSCollector(t, JetStreamOptions{StreamOptions: so, Key: "k"})
	const n = 5000
	for i := range n {
		p.log.Log(record.LevelInfo, "m", slog.Int("seq", i))
	}
	if pst := p.stop(t); pst.Written != n {
		t.Errorf("producer wrote %d of %d", pst.Written, n)
	}
	waitAll(t, n, 60*time.Second, c)
	c.stop(t)

	for _, tc := range []struct {
		name string
		edit func(o *ajs.StreamOptions)
	}{
		{"wrong token", func(o *ajs.StreamOptions) { o.Token = "guess" }},
		{"no token", func(o *ajs.StreamOptions) { o.Token = "" }},
		{"system authorities", func(o *ajs.StreamOptions) { o.TLS.CA = "" }},
		{"no client certificate", func(o *ajs.StreamOptions) { o.TLS.Cert, o.TLS.Key = "", "" }},
	} {
		o := so
		o.ConnectTimeout = 5 * time.Second
		tc.edit(&o)
		conn, err := ajs.Dial(o.Fill(), "test")
		if err == nil {
			conn.Close()
			t.Errorf("%s: connected", tc.name)
			continue
		}
		t.Logf("%s: %v", tc.name, err)
	}
}

// FuzzJetStreamInflate feeds a compressed message's payload (untrusted) to
// inflate and what comes out to the frame splitter: never a panic, never
// more than the limit.
func FuzzJetStreamInflate(f *testing.F) {
	r := record.Record{Logger: "app.db", Message: "hello", Level: record.LevelInfo}
	var two []byte
	two = record.AppendFrame(two, &r, nil)
	two = record.AppendFrame(two, &r, nil)
	z := s2.EncodeSnappy(nil, two)
	f.Add(z)
	f.Add(z[:len(z)-2])                         // truncated
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}) // declares 4 GiB
	f.Add(s2.EncodeSnappy(nil, make([]byte, 1<<16)))
	const limit = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		out, why := inflate(nil, data, ajs.CompressSnappy, limit)
		if why != reasonNone {
			return
		}
		if len(out) > limit {
			t.Fatalf("inflated to %d bytes, limit %d", len(out), limit)
		}
		eachFrame(out, 1<<20, nil, func(*record.Record) {}, func(reason) {})
	})
}

func TestInflateRefuses(t *testing.T) {
	z := s2.EncodeSnappy(nil, make([]byte, 1000))
	if _, why := inflate(nil, z, "gzip", 1<<20); why != reasonUnsupported {
		t.Errorf("gzip: %v", why)
	}
	if _, why := inflate(nil, z, ajs.CompressSnappy, 999); why != reasonMalformed {
		t.Errorf("over the limit: %v", why)
	}
	if _, why := inflate(nil, z[:len(z)-1], ajs.CompressSnappy, 1<<20); why != reasonMalformed {
		t.Errorf("truncated: %v", why)
	}
	if out, why := inflate(nil, z, ajs.CompressSnappy, 1000); why != reasonNone || len(out) != 1000 {
		t.Errorf("good: %d bytes, %v", len(out), why)
	}
}

// BenchmarkJetStreamMessage: a collector's work on one message of 1,024
// records before its loggers: inflate, split, decode.
func BenchmarkJetStreamMessage(b *testing.B) {
	var data []byte
	for i := range 1024 {
		r := record.Record{Time: time.Unix(1700000000, 0), Logger: "app", Message: "request served", Level: record.LevelInfo}
		r.AddAttrs(slog.Int("seq", i), slog.String("path", "/api/v1/items"))
		data = record.AppendFrame(data, &r, nil)
	}
	z := s2.EncodeSnappy(nil, data)
	var dc record.Decoder
	var buf, frame []byte
	var rec record.Record
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		buf, _ = inflate(buf, z, ajs.CompressSnappy, 1<<20)
		frame = splitFrames(&dc, frame, buf, 1<<20, nil, func() *record.Record { return &rec }, func() {}, func(reason) {})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1024, "ns/record")
}
