package net

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// ErrRetryLater is wrapped by the Retry error of an HTTP sink whose server
// answered 429 or 5xx, or whose Retry-After has not yet passed.
var ErrRetryLater = errors.New("net: HTTP server asked to retry later")

// MaxRetryAfter bounds how long a server's Retry-After can hold a handler.
const MaxRetryAfter = time.Hour

// HTTPOptions configure an HTTP sink (Python's HTTPHandler).
type HTTPOptions struct {
	// Host is the server, "host" or "host:port".
	Host string `config:"host"`
	// URL is the request path, which may carry a query ("/log?x=1").
	URL string `config:"url"`
	// Method is GET (the default, Python's) or POST, in any case.
	Method string `config:"method"`
	// Secure uses HTTPS, verified as TLSOptions (Python's context) say.
	Secure bool `config:"secure"`
	// Credentials are a user and a password for Basic authentication,
	// Python's credentials tuple. Over plain HTTP (Secure off) they are
	// refused unless AllowInsecureAuth is set: Basic is clear text.
	Credentials []string `config:"credentials"`
	// AllowInsecureAuth sends Credentials over plain HTTP.
	AllowInsecureAuth bool `config:"allowInsecureAuth"`
	TLSOptions
	// Batch sends each batch of records as one POST of a JSON array of the
	// records' dicts (Content-Type application/json), not one request per
	// record. Not with Method GET.
	Batch bool `config:"batch"`
	// Timeout bounds each request, connect to the end of the response.
	// 0 means DefaultWriteTimeout (10 s), at most MaxTimeout.
	Timeout time.Duration `config:"timeout"`
	// Clock tells the time for Retry-After; nil means clock.System().
	Clock clock.Clock
	// Transport, when set, carries the requests (Go programs: a proxy, a
	// test); nil means a transport of the sink's own.
	Transport http.RoundTripper
}

// Validate reports every problem of o; the error wraps ErrInvalidOptions.
func (o HTTPOptions) Validate() error {
	p := newProblems()
	if o.Host == "" {
		p.Addf("Host", "is required")
	}
	if o.URL != "" && !strings.HasPrefix(o.URL, "/") {
		p.Addf("URL", "must be a path starting with / (got %q)", o.URL)
	}
	m := strings.ToUpper(o.Method)
	if m != "" && m != http.MethodGet && m != http.MethodPost {
		p.Addf("Method", "must be GET or POST (got %q)", o.Method)
	}
	if o.Credentials != nil && len(o.Credentials) != 2 {
		p.Addf("Credentials", "must be a user and a password (got %d items)", len(o.Credentials))
	}
	if len(o.Credentials) > 0 && !o.Secure && !o.AllowInsecureAuth {
		p.Addf("Credentials", "would travel in clear text over plain HTTP: set secure: true (or allowInsecureAuth: true)")
	}
	if o.TLSOptions.set() && !o.Secure {
		p.Addf("Secure", "is off, but TLS options (Python's context) are set: they only make sense with secure: true")
	}
	if o.Batch && m == http.MethodGet {
		p.Addf("Batch", "sends a POST: not with method GET")
	}
	validateTimeout(p, "Timeout", o.Timeout)
	o.TLSOptions.validate(p)
	return p.Err()
}

// HTTP sends records to a web server: Python's HTTPHandler, one request per
// record with the record's dict URL-encoded in the query (GET) or the body
// (POST), exactly as Python's mapLogRecord and urlencode build it; or, with
// Batch, one JSON array per batch.
//
// Unlike Python, which ignores the status: a 429 or 5xx answer returns
// Retry (the handler waits out its back-off, and at least the server's
// Retry-After, then sends the record again); another 4xx drops that record
// alone, counted under "http_" and the status ("http_404"); redirects are
// not followed, and count as delivered as Python does.
type HTTP struct {
	o        HTTPOptions
	client   *http.Client
	endpoint string
	// hostHeader is the Host header: Host without the scheme's default port.
	hostHeader string
	method     string
	auth       string
	clk        clock.Clock
	retryAt    time.Time
	body       []byte

	mu          sync.Mutex // guards cancel and interrupted against Interrupt
	cancel      context.CancelFunc
	interrupted bool
	drainBy     time.Time
	closed      bool
}

var (
	_ actors.Sink        = (*HTTP)(nil)
	_ actors.Encoder     = (*HTTP)(nil)
	_ actors.Deadliner   = (*HTTP)(nil)
	_ actors.Interrupter = (*HTTP)(nil)
	_ actors.Defaulter   = (*HTTP)(nil)
)

// NewHTTP returns an HTTP sink for o.
func NewHTTP(o HTTPOptions) (*HTTP, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	h := &HTTP{o: o, clk: clock.Or(o.Clock), method: strings.ToUpper(o.Method)}
	if h.method == "" || o.Batch {
		h.method = http.MethodGet
		if o.Batch {
			h.method = http.MethodPost
		}
	}
	h.o.Timeout = orDuration(o.Timeout, DefaultWriteTimeout)
	scheme := "http"
	tr := o.Transport
	if o.Secure {
		scheme = "https"
	}
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		if o.Secure {
			host := o.Host
			if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
				host = host[:i]
			}
			c, err := o.TLSOptions.config(strings.Trim(host, "[]"))
			if err != nil {
				return nil, err
			}
			t.TLSClientConfig = c
		}
		tr = t
	}
	h.client = &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	h.endpoint = scheme + "://" + o.Host + o.URL
	// Python's Host header leaves out the scheme's default port.
	defaultPort := ":80"
	if o.Secure {
		defaultPort = ":443"
	}
	h.hostHeader = strings.TrimSuffix(o.Host, defaultPort)
	if len(o.Credentials) == 2 {
		h.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(o.Credentials[0]+":"+o.Credentials[1]))
	}
	return h, nil
}

// HandlerDefaults: as a Socket's, the mailbox drops the newest record when
// full rather than block callers while the sink waits out a back-off.
func (h *HTTP) HandlerDefaults() actors.Defaults {
	return actors.Defaults{Mailbox: mailbox.Options{Capacity: mailboxCapacity, Overflow: mailbox.DropNewest}}
}

// AppendRecord appends r's dict: URL-encoded (Python's urlencode of
// mapLogRecord), or with Batch as a JSON object.
func (h *HTTP) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	if h.o.Batch {
		w := jsonWriter{dst: append(dst, '{'), first: true}
		writeRecord(&w, r)
		return append(w.dst, '}'), nil
	}
	w := formWriter{dst: dst, first: true}
	writeRecord(&w, r)
	return w.dst, nil
}

// WriteBatch sends the records (see HTTP for what each status does).
func (h *HTTP) WriteBatch(b *actors.Batch) (int, error) {
	if h.closed {
		return 0, ErrClosed
	}
	if now := h.clk.Now(); now.Before(h.retryAt) {
		return 0, actors.Retry(fmt.Errorf("%w: Retry-After until %v", ErrRetryLater, h.retryAt))
	}
	if h.o.Batch {
		h.body = append(h.body[:0], '[')
		start := 0
		for i, end := range b.Ends {
			if i > 0 {
				h.body = append(h.body, ',')
			}
			h.body = append(h.body, b.Buf[start:end]...)
			start = end
		}
		h.body = append(h.body, ']')
		code, err := h.do(h.body, "application/json")
		if err != nil {
			return 0, err
		}
		if code != 0 {
			for i := range b.Len() {
				b.Fail(i, statusReason(code), fmt.Errorf("net: HTTP %d from %s", code, h.endpoint))
			}
		}
		return b.Len(), nil
	}
	for i := range b.Len() {
		code, err := h.do(b.Record(i), "application/x-www-form-urlencoded")
		if err != nil {
			return i, err
		}
		if code != 0 {
			b.Fail(i, statusReason(code), fmt.Errorf("net: HTTP %d from %s", code, h.endpoint))
		}
	}
	return b.Len(), nil
}

func statusReason(code int) mailbox.Reason {
	return mailbox.Reason("http_" + strconv.Itoa(code))
}

// do sends one request. It returns a 4xx status that drops the record, or
// a Retry error (a failed request, a 429 or 5xx), or neither.
func (h *HTTP) do(data []byte, contentType string) (int, error) {
	h.mu.Lock()
	if h.interrupted {
		h.mu.Unlock()
		return 0, ErrClosed
	}
	dl := time.Now().Add(h.o.Timeout)
	if !h.drainBy.IsZero() && h.drainBy.Before(dl) {
		dl = h.drainBy
	}
	ctx, cancel := context.WithDeadline(context.Background(), dl)
	h.cancel = cancel
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.cancel = nil
		h.mu.Unlock()
		cancel()
	}()
	var req *http.Request
	var err error
	if h.method == http.MethodGet {
		target := h.endpoint
		if strings.Contains(h.o.URL, "?") {
			target += "&"
		} else {
			target += "?"
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, target+string(data), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, h.endpoint, bytes.NewReader(data))
		if err == nil {
			req.Header.Set("Content-Type", contentType)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("net: HTTP request: %w", err)
	}
	req.Host = h.hostHeader
	if h.auth != "" {
		req.Header.Set("Authorization", h.auth)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, actors.Retry(fmt.Errorf("net: HTTP %s %s: %w", h.method, h.endpoint, err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c == http.StatusTooManyRequests || c >= 500:
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), h.clk.Now()); ok {
			h.retryAt = h.clk.Now().Add(d)
		}
		return 0, actors.Retry(fmt.Errorf("%w: HTTP %d from %s", ErrRetryLater, c, h.endpoint))
	case c >= 400:
		return c, nil
	}
	return 0, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; at most
// MaxRetryAfter.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), MaxRetryAfter), true
}

// SetDeadline bounds later requests by t.
func (h *HTTP) SetDeadline(t time.Time) { h.drainBy = t }

// Interrupt cancels a request in progress; safe from any goroutine.
func (h *HTTP) Interrupt() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.interrupted = true
	if h.cancel != nil {
		h.cancel()
	}
}

// Close releases idle connections.
func (h *HTTP) Close() error {
	h.closed = true
	h.client.CloseIdleConnections()
	return nil
}
