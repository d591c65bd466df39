package receiver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/nats-io/nats.go/jetstream"

	ajs "github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

// JetStream is the type of a receiver that pulls records from a JetStream
// stream (see ListenJetStream).
const JetStream = "jetstream"

// Defaults and bounds of JetStreamOptions.
const (
	DefaultConsumer      = "collectors"
	DefaultFetch         = 16
	MaxFetch             = 4096
	DefaultAckWait       = 30 * time.Second
	DefaultMaxAckPending = 1024
	MaxAckPendingLimit   = 1 << 20
)

// JetStreamOptions configure a jetstream receiver. The stream's fields must
// match the publishing handlers' (servers, subjectPrefix, stream); every
// collector of a group names the same Consumer.
type JetStreamOptions struct {
	ajs.StreamOptions
	// Consumer is the durable pull consumer every collector of the group
	// shares: each message goes to one of them. Default "collectors".
	Consumer string `config:"consumer"`
	// Key is the shared HMAC key of the frames; "" for none. A message with
	// a frame whose tag fails is refused whole (bad_tag) and acknowledged:
	// sending it again would not help.
	Key string `config:"key"`
	// Fetch is how many messages one pull asks for (a message carries up
	// to the handler's batchRecords records). Default 16; at most 4096.
	Fetch int `config:"fetch"`
	// AckWait is how long the stream waits for a collector's acknowledgement
	// before it hands the message to another: the time a killed collector's
	// work waits. Default 30 s; at most 1 h.
	AckWait time.Duration `config:"ackWait"`
	// MaxAckPending bounds the messages handed out and not yet acknowledged,
	// over every collector. Default 1024; at most 1,048,576.
	MaxAckPending int `config:"maxAckPending"`
	// MaxFrame bounds one frame, as for a tcp receiver; 0 means 1 MiB.
	MaxFrame int `config:"maxFrame"`
	// NewLoggers bounds the loggers the receiver creates, as for a tcp
	// receiver; 0 means 1000.
	NewLoggers int `config:"newLoggers"`
}

// Validate reports every problem of o.
func (o JetStreamOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	o.StreamOptions.Check(p)
	if o.Fetch < 0 || o.Fetch > MaxFetch {
		p.Addf("Fetch", "must be 0 to %d (got %d)", MaxFetch, o.Fetch)
	}
	if o.AckWait < 0 || o.AckWait > time.Hour {
		p.Addf("AckWait", "must be 0 to 1h0m0s (got %v)", o.AckWait)
	}
	if o.MaxAckPending < 0 || o.MaxAckPending > MaxAckPendingLimit {
		p.Addf("MaxAckPending", "must be 0 to %d (got %d)", MaxAckPendingLimit, o.MaxAckPending)
	}
	if o.MaxFrame < 0 || o.MaxFrame > MaxFrameLimit {
		p.Addf("MaxFrame", "must be 0 to %d (64 MiB) (got %d)", MaxFrameLimit, o.MaxFrame)
	}
	if o.NewLoggers < 0 || o.NewLoggers > MaxNewLoggers {
		p.Addf("NewLoggers", "must be 0 to %d (got %d)", MaxNewLoggers, o.NewLoggers)
	}
	return p.Err()
}

// JetStreamReceiver is a collector's share of a JetStream consumer group.
type JetStreamReceiver struct {
	eng    *engine.Engine
	o      JetStreamOptions
	key    *record.FrameKey
	router router
	name   string

	mu      sync.Mutex
	conn    *ajs.Conn
	cancel  context.CancelFunc
	ctx     context.Context
	done    chan struct{}
	closed  bool
	aborted atomic.Bool
	remove  func()

	stats struct {
		counters
		messages, redelivered, reconnects atomic.Uint64
	}
	maxMsg atomic.Int64 // the servers' maximum payload: the most a message inflates to
	// pull's goroutine only: a compressed message's frames, one frame's
	// payload, and the decoder of the records.
	inflated, frame []byte
	dc              record.Decoder
}

// ListenJetStream joins the consumer group o describes: it connects,
// creates or checks the stream, creates the durable consumer (or joins it)
// and starts pulling. When the cluster cannot be reached it keeps trying in
// the background (every 100 ms doubling to 2 s); it fails at once only on
// invalid options and on a stream that exists but is not as configured
// (without CreateStream). Records go to eng's loggers as a tcp receiver's do,
// and a message is acknowledged only once every handler its records reached
// has written them; a message whose records a handler dropped is handed
// back (Nak) to be delivered again, to this collector or another. A
// message whose header says Content-Encoding: snappy (the handler's
// default) is inflated first, to at most the servers' maximum payload.
func ListenJetStream(eng *engine.Engine, o JetStreamOptions) (*JetStreamReceiver, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.StreamOptions = o.StreamOptions.Fill()
	o.Consumer = cmpOr(o.Consumer, DefaultConsumer)
	o.Fetch = cmpOr(o.Fetch, DefaultFetch)
	o.AckWait = cmpOr(o.AckWait, DefaultAckWait)
	o.MaxAckPending = cmpOr(o.MaxAckPending, DefaultMaxAckPending)
	o.MaxFrame = cmpOr(o.MaxFrame, record.DefaultFrameLimit)
	o.NewLoggers = cmpOr(o.NewLoggers, DefaultNewLoggers)
	r := &JetStreamReceiver{eng: eng, o: o, done: make(chan struct{}),
		name: JetStream + " " + o.Stream + "/" + o.Consumer}
	r.router = router{eng: eng, budget: int64(o.NewLoggers)}
	if o.Key != "" {
		r.key = record.NewFrameKey([]byte(o.Key))
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	// A cluster not reachable yet is waited for, in the background (a
	// collector may start before its servers); a stream that exists but is
	// not as configured is the operator's to fix.
	cons, err := r.connect()
	if err != nil && errors.Is(err, ajs.ErrStream) {
		r.cancel()
		return nil, err
	}
	r.remove = eng.AddReceiverStats(r.Stats)
	go r.run(cons)
	return r, nil
}

// Messages returns how many messages the receiver fetched, acknowledged,
// and fetched again after another delivery (a redelivery: the stream had
// not had its acknowledgement within AckWait, from this collector or from
// another, killed).
func (r *JetStreamReceiver) Messages() (fetched, acked, redelivered uint64) {
	return r.stats.messages.Load(), r.stats.acked.Load(), r.stats.redelivered.Load()
}

// Name is what the receiver reads, "LOGS/collectors at nats://127.0.0.1:4222"
// (defaults filled).
func (o JetStreamOptions) Name() string {
	so := o.StreamOptions.Fill()
	return so.Stream + "/" + cmpOr(o.Consumer, DefaultConsumer) + " at " + strings.Join(so.Servers, ",")
}

// String is the receiver's type, stream and consumer.
func (r *JetStreamReceiver) String() string { return r.name }

// Addr is the stream and consumer, "LOGS/collectors".
func (r *JetStreamReceiver) Addr() string { return r.o.Stream + "/" + r.o.Consumer }

// Type returns JetStream.
func (r *JetStreamReceiver) Type() string { return JetStream }

// Stats returns the receiver's counters: Connections counts connections
// made, Frames the records handed on, Acked the messages acknowledged,
// Duplicates the messages delivered more than once.
func (r *JetStreamReceiver) Stats() engine.ReceiverStats {
	s := r.stats.snapshot()
	s.Name = r.name
	s.Duplicates = r.stats.redelivered.Load()
	return s
}

func (r *JetStreamReceiver) connect() (jetstream.Consumer, error) {
	c, err := ajs.Dial(r.o.StreamOptions, "actorlog collector")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.o.ConnectTimeout)
	defer cancel()
	s, err := ajs.EnsureStream(ctx, c.JS, r.o.StreamOptions, false)
	if err != nil {
		c.Close()
		return nil, err
	}
	cons, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       r.o.Consumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       r.o.AckWait,
		MaxAckPending: r.o.MaxAckPending,
		FilterSubject: r.o.SubjectPrefix + ".>",
		DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxDeliver:    -1,
	})
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("jetstream: consumer %s: %w", r.o.Consumer, err)
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		c.Close()
		return nil, ErrClosed
	}
	r.conn = c
	r.mu.Unlock()
	r.maxMsg.Store(max(c.NC.MaxPayload(), ajs.DefaultMaxMessage))
	r.stats.conns.Add(1)
	return cons, nil
}

// jsWindow is a run of messages waiting for their handlers.
type jsWindow struct {
	settled <-chan error
	msgs    []jetstream.Msg
}

// run pulls and hands records on; on a lost connection it connects again
// after a doubling pause (100 ms to 2 s).
func (r *JetStreamReceiver) run(cons jetstream.Consumer) {
	defer close(r.done)
	windows := make(chan jsWindow, maxWindows)
	ackDone := make(chan struct{})
	go r.ack(windows, ackDone)
	defer func() { close(windows); <-ackDone; r.closeConn() }()
	tracker := r.eng.NewTracker()
	cache := loggers{}
	pause := 100 * time.Millisecond
	for r.ctx.Err() == nil && !r.aborted.Load() {
		if cons == nil {
			select {
			case <-r.ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, 2*time.Second)
			var err error
			if cons, err = r.connect(); err != nil {
				cons = nil
				continue
			}
			r.stats.reconnects.Add(1)
		}
		if r.pull(cons, tracker, cache, windows) {
			pause = 100 * time.Millisecond
		}
		r.closeConn()
		cons = nil
	}
}

// pull consumes until the connection is lost or the receiver stops,
// cutting the messages into windows: a window ends when no message is
// waiting, or after Fetch messages. Pulls of up to Fetch messages are kept
// going by the client on one subscription, so that a message the server
// sends late, as a pull expires, is still received (a Fetch that gave up
// would leave it to wait out AckWait). It reports whether it got a message.
func (r *JetStreamReceiver) pull(cons jetstream.Consumer, t *engine.Tracker, cache loggers, windows chan<- jsWindow) (got bool) {
	r.mu.Lock()
	c := r.conn
	r.mu.Unlock()
	if c == nil {
		return false
	}
	in := make(chan jetstream.Msg, r.o.Fetch)
	stop := make(chan struct{})
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case in <- m:
		case <-stop:
		}
	}, jetstream.PullMaxMessages(r.o.Fetch),
		// Pulls expire after 5 s with heartbeats every 2 s, so that a pull
		// the server lost (its consumer's leader not elected yet, a node
		// restarting) is made again within seconds, not the client's
		// default 30 s.
		jetstream.PullExpiry(5*time.Second), jetstream.PullHeartbeat(2*time.Second),
		jetstream.ConsumeErrHandler(func(jetstream.ConsumeContext, error) {}))
	if err != nil {
		return false
	}
	var msgs []jetstream.Msg
	b := batcher{rt: &r.router, cache: cache, t: t}
	settle := func() {
		if len(msgs) > 0 && !r.aborted.Load() {
			windows <- jsWindow{settled: t.Settle(), msgs: msgs}
		}
		msgs = nil
	}
	defer func() {
		settle()
		close(stop)
		cc.Stop()
	}()
	for {
		var m jetstream.Msg
		select {
		case m = <-in:
		default:
			settle()
			select {
			case m = <-in:
			case <-c.Closed:
				return got
			case <-r.ctx.Done():
				return got
			}
		}
		got = true
		msgs = append(msgs, m)
		r.handle(&b, m)
		if len(msgs) >= r.o.Fetch {
			settle()
		}
	}
}

// handle hands on the records of one message.
func (r *JetStreamReceiver) handle(b *batcher, m jetstream.Msg) {
	r.stats.messages.Add(1)
	if md, err := m.Metadata(); err == nil && md.NumDelivered > 1 {
		r.stats.redelivered.Add(1)
	}
	data := m.Data()
	r.stats.bytes.Add(uint64(len(data)))
	if enc := m.Headers().Get(ajs.ContentEncoding); enc != "" {
		var why reason
		r.inflated, why = inflate(r.inflated, data, enc, int(r.maxMsg.Load()))
		if why != reasonNone {
			r.stats.reject(why)
			return
		}
		data = r.inflated
	}
	var frames uint64
	r.frame = splitFrames(&r.dc, r.frame, data, r.o.MaxFrame, r.key, b.slot, func() {
		frames++
		b.added()
	}, r.stats.reject)
	r.stats.frames.Add(frames)
	// A message's records are all with the tracker before its window
	// settles.
	b.flush()
}

// inflate decompresses a message's payload of encoding enc into buf, at
// most limit bytes (the servers' maximum payload, which the handler keeps
// a message's frames under before it compresses them). A message it cannot
// read is refused whole: an encoding not known (unsupported) or a payload
// that is not one (malformed). Untrusted input: fuzzed.
func inflate(buf, data []byte, enc string, limit int) ([]byte, reason) {
	if enc != ajs.CompressSnappy {
		return buf, reasonUnsupported
	}
	n, err := s2.DecodedLen(data)
	if err != nil || n > limit {
		return buf, reasonMalformed
	}
	out, err := s2.Decode(buf[:cap(buf)], data)
	if err != nil {
		return buf, reasonMalformed
	}
	return out, reasonNone
}

// eachFrame decodes one message's frames, back to back, calling each for
// every record and reject for every frame refused. A frame the reader
// cannot get past (too large, bad tag, truncated) ends the message; a frame
// that is not a record is skipped. Untrusted input: fuzzed.
func eachFrame(data []byte, maxFrame int, key *record.FrameKey, each func(*record.Record), reject func(reason)) {
	var dc record.Decoder
	var rec record.Record
	splitFrames(&dc, nil, data, maxFrame, key, func() *record.Record { return &rec }, func() { each(&rec) }, reject)
}

// splitFrames is eachFrame with the receiver's decoder (its records share
// text blocks rather than allocating each its own) and frame buffer, which
// it returns grown. It decodes each frame into the record slot returns, and
// calls added when that record is whole.
func splitFrames(dc *record.Decoder, buf, data []byte, maxFrame int, key *record.FrameKey, slot func() *record.Record, added func(), reject func(reason)) []byte {
	rd := bytes.NewReader(data)
	for {
		p, err := record.ReadFrame(rd, buf, maxFrame, key)
		if errors.Is(err, io.EOF) {
			return buf
		}
		if err != nil {
			reject(reasonOf(err))
			return buf
		}
		buf = p
		if err := dc.DecodeInto(slot(), p); err != nil {
			reject(reasonMalformed)
			continue
		}
		added()
	}
}

// reasonOf names a frame reader's error.
func reasonOf(err error) reason {
	switch {
	case errors.Is(err, record.ErrFrameTooLarge):
		return reasonTooLarge
	case errors.Is(err, record.ErrBadTag):
		return reasonBadTag
	default:
		return reasonTruncated
	}
}

// ack acknowledges each window once its handlers wrote it, or hands it back.
func (r *JetStreamReceiver) ack(windows <-chan jsWindow, done chan<- struct{}) {
	defer close(done)
	for w := range windows {
		err := <-w.settled
		if r.aborted.Load() {
			continue
		}
		for _, m := range w.msgs {
			if err != nil {
				_ = m.Nak()
				continue
			}
			if m.Ack() == nil {
				r.stats.acked.Add(1)
			}
		}
		if err != nil {
			r.stats.reject(reasonNotWritten)
		} else {
			r.stats.acks.Add(1)
		}
	}
}

func (r *JetStreamReceiver) closeConn() {
	r.mu.Lock()
	c := r.conn
	r.conn = nil
	r.mu.Unlock()
	if c != nil {
		c.NC.Flush() //nolint:errcheck // acks on their way; the stream resends what it misses
		c.Close()
	}
}

// Close stops pulling, acknowledges what its handlers wrote (waiting for
// them), and leaves the group: what it had fetched and not acknowledged is
// delivered to another collector after AckWait. A second call returns
// ErrClosed.
func (r *JetStreamReceiver) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	<-r.done
	r.remove()
	return nil
}

// Abort drops the connection at once, acknowledging nothing more, as a
// collector killed with SIGKILL would: the stream delivers what it had
// fetched to another collector after AckWait. Close must still be called.
func (r *JetStreamReceiver) Abort() {
	r.aborted.Store(true)
	r.mu.Lock()
	c := r.conn
	r.mu.Unlock()
	if c != nil {
		c.Close()
	}
}
