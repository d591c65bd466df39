package jetstream

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/actorlog/actorlog/internal/tlsfiles"
)

// ErrStream is wrapped by the errors of a stream that is missing or does not
// take the configured subjects, when CreateStream is off.
var ErrStream = errors.New("jetstream: stream missing or not as configured")

// Conn is one connection to the cluster with its JetStream context. The
// handler and the receiver both open theirs with Dial.
type Conn struct {
	NC *nats.Conn
	JS jetstream.JetStream
	// Closed is closed when the connection is closed, by either side.
	Closed <-chan struct{}
}

// Dial connects to o.Servers (filled) with its credentials and TLS. The
// client does not reconnect by itself: a lost connection is closed, and its
// owner connects again on its own schedule (a handler through its
// supervisor's back-off), so that one policy governs every retry.
func Dial(o StreamOptions, name string, jsOpts ...jetstream.JetStreamOpt) (*Conn, error) {
	closed := make(chan struct{})
	opts := []nats.Option{
		nats.Name(name),
		nats.Timeout(o.ConnectTimeout),
		nats.NoReconnect(),
		nats.ClosedHandler(func(*nats.Conn) { close(closed) }),
		// Errors reach the caller through failed publishes and fetches.
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}),
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
	if o.Credentials != "" {
		opts = append(opts, nats.UserCredentials(o.Credentials))
	}
	if o.TLS.Enabled() {
		// One loader of CA bundles and key pairs for every sink.
		cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: o.TLS.ServerName}
		if err := tlsfiles.Load(cfg, o.TLS.CA, o.TLS.Cert, o.TLS.Key); err != nil {
			return nil, fmt.Errorf("jetstream: TLS %w", err)
		}
		opts = append(opts, nats.Secure(cfg))
	}
	nc, err := nats.Connect(strings.Join(o.Servers, ","), opts...)
	if err != nil {
		return nil, fmt.Errorf("jetstream: connect %s: %w", strings.Join(o.Servers, ","), err)
	}
	js, err := jetstream.New(nc, jsOpts...)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return &Conn{NC: nc, JS: js, Closed: closed}, nil
}

// Close closes the connection; it is safe to call more than once and from
// any goroutine.
func (c *Conn) Close() { c.NC.Close() }

// EnsureStream creates or checks the stream o describes: with CreateStream,
// it is created when missing and, when update is set (a handler; not a
// receiver, which takes the stream as the programs made it), its limits
// updated when they differ; without CreateStream, it must exist and take
// "<prefix>.>". The wait is bounded by o.ConnectTimeout.
func EnsureStream(ctx context.Context, js jetstream.JetStream, o StreamOptions, update bool) (jetstream.Stream, error) {
	ctx, cancel := context.WithTimeout(ctx, o.ConnectTimeout)
	defer cancel()
	subject := o.SubjectPrefix + ".>"
	if o.CreateStream {
		cfg := jetstream.StreamConfig{
			Name:       o.Stream,
			Subjects:   []string{subject},
			Replicas:   o.Replicas,
			MaxAge:     o.MaxAge,
			MaxBytes:   -1,
			Duplicates: o.DuplicateWindow,
			Storage:    jetstream.FileStorage,
			Retention:  jetstream.LimitsPolicy,
		}
		if o.MaxBytes > 0 {
			cfg.MaxBytes = o.MaxBytes
		}
		// Look first: most starts find the stream as configured, and an
		// update is a change to the cluster's state best not asked for.
		s, err := findOrCreate(ctx, js, cfg)
		if err != nil {
			return nil, fmt.Errorf("jetstream: stream %s: %w", o.Stream, err)
		}
		if have := s.CachedInfo().Config; update && differs(have, cfg) {
			cfg.Duplicates = cmp.Or(cfg.Duplicates, have.Duplicates)
			if s, err = js.UpdateStream(ctx, cfg); err != nil {
				return nil, fmt.Errorf("jetstream: update stream %s: %w", o.Stream, err)
			}
		}
		return s, nil
	}
	s, err := js.Stream(ctx, o.Stream)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrStream, o.Stream, err)
	}
	if !slices.Contains(s.CachedInfo().Config.Subjects, subject) {
		return nil, fmt.Errorf("%w: %s takes %q, not %q", ErrStream, o.Stream, s.CachedInfo().Config.Subjects, subject)
	}
	return s, nil
}

// waitCtx is a context ending at the earlier of d from now and deadline
// (when set).
func waitCtx(d time.Duration, deadline time.Time) (context.Context, context.CancelFunc) {
	if !deadline.IsZero() && time.Until(deadline) < d {
		return context.WithDeadline(context.Background(), deadline)
	}
	return context.WithTimeout(context.Background(), d)
}

// differs reports whether the stream's configuration lacks what want asks
// for: its subject, replicas, age and size limits, duplicate window.
func differs(have, want jetstream.StreamConfig) bool {
	return !slices.Contains(have.Subjects, want.Subjects[0]) || have.Replicas != want.Replicas ||
		have.MaxAge != want.MaxAge || have.MaxBytes != want.MaxBytes ||
		(want.Duplicates != 0 && have.Duplicates != want.Duplicates)
}

// findOrCreate returns the stream cfg names, creating it when missing. When
// other clients create it at the same moment (collectors and programs
// starting together), the creation in flight is waited for, within ctx.
func findOrCreate(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	for {
		s, err := js.Stream(ctx, cfg.Name)
		if !errors.Is(err, jetstream.ErrStreamNotFound) {
			return s, err
		}
		s, err = js.CreateStream(ctx, cfg)
		if !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) && !errors.Is(err, context.DeadlineExceeded) {
			return s, err
		}
		// Another client's creation is in flight.
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
