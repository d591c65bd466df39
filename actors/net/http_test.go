package net_test

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/record"
)

type captured struct {
	Method, Target, ContentType, Authorization, Body string
}

// capture is a test server recording every request; status answers them.
type capture struct {
	mu     sync.Mutex
	reqs   []captured
	status func(n int) (code int, header map[string]string)
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.reqs = append(c.reqs, captured{r.Method, r.RequestURI, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(body)})
	n := len(c.reqs)
	c.mu.Unlock()
	code := 200
	if c.status != nil {
		var hdr map[string]string
		code, hdr = c.status(n)
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
	}
	w.WriteHeader(code)
}

func (c *capture) requests() []captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]captured(nil), c.reqs...)
}

type goldenCase struct {
	Case struct {
		Handler struct {
			URL, Method string
			Credentials []string
		}
		Name                    string
		Levelno                 int
		Pathname, FuncName, Msg string
		Lineno                  int
		CreatedNs               int64 `json:"created_ns"`
		RelativeCreated         float64
		Thread                  int64
		ThreadName, ProcessName string
		Process                 int64
		ExcText                 string `json:"exc_text"`
		StackInfo               string `json:"stack_info"`
		Extra                   [][2]any
	}
	Request struct {
		Method, Target, ContentType, Authorization, Body string
	}
}

// recordOf builds the record the golden case's Python record describes.
func recordOf(t *testing.T, c goldenCase) record.Record {
	cs := c.Case
	file := cs.Pathname[strings.LastIndexByte(cs.Pathname, '/')+1:]
	module := strings.TrimSuffix(file, ".py")
	if cs.Pathname == "(unknown file)" {
		file, module = cs.Pathname, cs.Pathname
	}
	name := cs.Name
	if name == "root" {
		name = ""
	}
	r := record.Record{
		Time: time.Unix(0, cs.CreatedNs), Level: record.Level(cs.Levelno), Logger: name, Message: cs.Msg,
		ErrText: cs.ExcText, Stack: cs.StackInfo,
		Origin: &record.Origin{
			Pathname: cs.Pathname, Filename: file, Module: module, FuncName: cs.FuncName, Lineno: cs.Lineno,
			Thread: cs.Thread, ThreadName: cs.ThreadName, Process: cs.Process, ProcessName: cs.ProcessName,
			RelativeCreated: cs.RelativeCreated,
		},
	}
	for _, kv := range cs.Extra {
		k := kv[0].(string)
		switch v := kv[1].(type) {
		case string:
			r.AddAttrs(slog.String(k, v))
		case float64:
			if k == "n" || k == "neg" {
				r.AddAttrs(slog.Int(k, int(v)))
			} else {
				r.AddAttrs(slog.Float64(k, v))
			}
		case bool:
			r.AddAttrs(slog.Bool(k, v))
		case nil:
			r.AddAttrs(slog.Any(k, nil))
		default:
			t.Fatalf("extra %q: %T", k, v)
		}
	}
	return r
}

// The query (GET) or body (POST) is exactly what Python's HTTPHandler sends
// for the same record (checklist 122-128), compared with a golden that
// testdata/gen_http_golden.py made with Python's own handler.
func TestHTTPGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/http.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct{ Cases []goldenCase }
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	for _, c := range golden.Cases {
		cp := &capture{}
		srv := httptest.NewServer(cp)
		hc := c.Case.Handler
		h, err := anet.NewHTTP(anet.HTTPOptions{
			Host: strings.TrimPrefix(srv.URL, "http://"), URL: hc.URL, Method: hc.Method,
			Credentials: hc.Credentials, AllowInsecureAuth: hc.Credentials != nil,
		})
		if err != nil {
			t.Fatal(err)
		}
		rec := recordOf(t, c)
		b := &actors.Batch{}
		b.Buf, _ = h.AppendRecord(nil, &rec)
		b.Ends = []int{len(b.Buf)}
		b.Records = []*record.Record{&rec}
		if n, err := h.WriteBatch(b); n != 1 || err != nil {
			t.Fatalf("WriteBatch = %d, %v", n, err)
		}
		h.Close()
		srv.Close()
		got, want := cp.requests()[0], c.Request
		if got.Method != want.Method || got.Target != want.Target || got.Body != want.Body || got.Authorization != want.Authorization {
			t.Errorf("%s %s:\n got %+v\nwant %+v", hc.Method, hc.URL, got, want)
		}
		if want.ContentType != "" && !strings.EqualFold(got.ContentType, want.ContentType) {
			t.Errorf("Content-Type %q, want %q", got.ContentType, want.ContentType)
		}
	}
}

func newHTTP(t *testing.T, o anet.HTTPOptions) *anet.HTTP {
	t.Helper()
	h, err := anet.NewHTTP(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// 4xx drops the record alone, counted by status; 5xx and 429 retry after
// the back-off and at least Retry-After (reliability N11).
func TestHTTPStatus(t *testing.T) {
	cp := &capture{status: func(n int) (int, map[string]string) {
		switch n {
		case 1:
			return 404, nil
		case 2:
			return 503, map[string]string{"Retry-After": "120"}
		}
		return 200, nil
	}}
	srv := httptest.NewServer(cp)
	defer srv.Close()
	fake := clock.NewFake(t0)
	h := newHTTP(t, anet.HTTPOptions{Host: strings.TrimPrefix(srv.URL, "http://"), URL: "/log", Method: "POST", Clock: fake})
	defer h.Close()
	b := &actors.Batch{}
	for _, m := range []string{"a", "b"} {
		rec := record.Record{Message: m}
		b.Buf, _ = h.AppendRecord(b.Buf, &rec)
		b.Ends = append(b.Ends, len(b.Buf))
	}
	n, err := h.WriteBatch(b)
	if n != 1 || !actors.IsRetry(err) || !errors.Is(err, anet.ErrRetryLater) {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if f := b.Failures(); len(f) != 1 || f[0].Index != 0 || f[0].Reason != "http_404" {
		t.Fatalf("failures %+v", f)
	}
	// The rest again, before Retry-After: nothing sent.
	rest := &actors.Batch{Buf: b.Buf[b.Ends[0]:], Ends: []int{b.Ends[1] - b.Ends[0]}}
	if n, err := h.WriteBatch(rest); n != 0 || !errors.Is(err, anet.ErrRetryLater) || len(cp.requests()) != 2 {
		t.Fatalf("before Retry-After: %d, %v, %d requests", n, err, len(cp.requests()))
	}
	fake.Advance(2 * time.Minute)
	if n, err := h.WriteBatch(rest); n != 1 || err != nil {
		t.Fatalf("after Retry-After: %d, %v", n, err)
	}
	reqs := cp.requests()
	if len(reqs) != 3 || !strings.Contains(reqs[2].Body, "msg=b&") || reqs[2].ContentType != "application/x-www-form-urlencoded" {
		t.Fatalf("requests %+v", reqs)
	}
}

// Batch mode: one POST of a JSON array per batch, through a handler.
func TestHTTPBatch(t *testing.T) {
	cp := &capture{}
	srv := httptest.NewServer(cp)
	defer srv.Close()
	h := newHTTP(t, anet.HTTPOptions{Host: strings.TrimPrefix(srv.URL, "http://"), URL: "/bulk", Batch: true})
	r := newRig(t, h, actors.HandlerOptions{})
	r.log.Log(record.LevelWarning, "one", slog.String("user", "ann"), slog.Group("req", slog.Int("id", 7)))
	r.log.Log(record.LevelError, "two \"quoted\"\n")
	r.flush()
	var recs []map[string]any
	for _, req := range cp.requests() {
		if req.Method != "POST" || req.ContentType != "application/json" {
			t.Fatalf("request %+v", req)
		}
		var batch []map[string]any
		if err := json.Unmarshal([]byte(req.Body), &batch); err != nil {
			t.Fatalf("%v: %s", err, req.Body)
		}
		recs = append(recs, batch...)
	}
	if len(recs) != 2 || recs[0]["msg"] != "one" || recs[0]["user"] != "ann" || recs[0]["req.id"] != 7.0 ||
		recs[1]["msg"] != "two \"quoted\"\n" || recs[1]["levelname"] != "ERROR" || recs[0]["name"] != "app" {
		t.Fatalf("records %v", recs)
	}
}

// HTTPS with a verified server; Basic auth refused over plain HTTP; the
// option rules of Python's constructor (checklist 122).
func TestHTTPOptions(t *testing.T) {
	cp := &capture{}
	srv := httptest.NewUnstartedServer(cp)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	h := newHTTP(t, anet.HTTPOptions{
		Host: strings.TrimPrefix(srv.URL, "https://"), URL: "/s", Secure: true, Credentials: []string{"user", "pa:ss"},
		TLSOptions: anet.TLSOptions{Config: srv.Client().Transport.(*http.Transport).TLSClientConfig},
	})
	rec := record.Record{Message: "x"}
	b := &actors.Batch{}
	b.Buf, _ = h.AppendRecord(nil, &rec)
	b.Ends = []int{len(b.Buf)}
	if n, err := h.WriteBatch(b); n != 1 || err != nil {
		t.Fatalf("HTTPS: %d, %v", n, err)
	}
	h.Close()
	if got := cp.requests(); len(got) != 1 || got[0].Authorization != "Basic dXNlcjpwYTpzcw==" {
		t.Fatalf("requests %+v", got)
	}
	// An unverified server is a failed request, never plain text.
	h = newHTTP(t, anet.HTTPOptions{Host: strings.TrimPrefix(srv.URL, "https://"), Secure: true})
	if _, err := h.WriteBatch(b); !actors.IsRetry(err) || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("unverified: %v", err)
	}
	h.Close()

	for _, c := range []struct {
		o    anet.HTTPOptions
		want string
	}{
		{anet.HTTPOptions{Host: "h", Method: "PUT"}, "Method"},
		{anet.HTTPOptions{Host: "h", Credentials: []string{"u", "p"}}, "Credentials"},
		{anet.HTTPOptions{Host: "h", TLSOptions: anet.TLSOptions{CAFile: "x"}}, "Secure"},
		{anet.HTTPOptions{Host: "h", Batch: true, Method: "get"}, "Batch"},
		{anet.HTTPOptions{URL: "x"}, "Host"},
	} {
		if _, err := anet.NewHTTP(c.o); !errors.Is(err, anet.ErrInvalidOptions) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v", c.o, err)
		}
	}
	if _, err := anet.NewHTTP(anet.HTTPOptions{Host: "h", Method: "post", Credentials: []string{"u", "p"}, AllowInsecureAuth: true}); err != nil {
		t.Errorf("allowInsecureAuth: %v", err)
	}
}

// A drain's deadline bounds a request to a server that does not answer, and
// Interrupt cuts one short (actors.Deadliner, actors.Interrupter).
func TestHTTPDeadline(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	h := newHTTP(t, anet.HTTPOptions{Host: strings.TrimPrefix(srv.URL, "http://"), Timeout: time.Hour})
	defer h.Close()
	rec := record.Record{Message: "x"}
	b := &actors.Batch{}
	b.Buf, _ = h.AppendRecord(nil, &rec)
	b.Ends = []int{len(b.Buf)}
	h.SetDeadline(time.Now().Add(200 * time.Millisecond))
	start := time.Now()
	if n, err := h.WriteBatch(b); n != 0 || !actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("the deadline took %v", el)
	}
	recv(t, "the first request", arrived)
	h.SetDeadline(time.Time{})
	done := make(chan error, 1)
	go func() { _, err := h.WriteBatch(b); done <- err }()
	recv(t, "the second request", arrived)
	h.Interrupt()
	if err := recv(t, "the interrupted request", done); err == nil {
		t.Fatal("an interrupted request succeeded")
	}
}

// roundTrip records the requests' Host header and answers 200.
type roundTrip struct{ hosts []string }

func (rt *roundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.hosts = append(rt.hosts, r.Host)
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// The Host header carries host:port as configured, without the scheme's
// default port, as Python's http.client sends it (checklist 128).
func TestHTTPHostHeader(t *testing.T) {
	for _, c := range []struct {
		host   string
		secure bool
		want   string
	}{
		{"example.com:80", false, "example.com"},
		{"example.com:8080", false, "example.com:8080"},
		{"example.com:443", true, "example.com"},
		{"example.com:80", true, "example.com:80"},
		{"[::1]:80", false, "[::1]"},
	} {
		rt := &roundTrip{}
		h := newHTTP(t, anet.HTTPOptions{Host: c.host, Secure: c.secure, Transport: rt})
		rec := record.Record{Message: "x"}
		b := &actors.Batch{}
		b.Buf, _ = h.AppendRecord(nil, &rec)
		b.Ends = []int{len(b.Buf)}
		if _, err := h.WriteBatch(b); err != nil {
			t.Fatal(err)
		}
		if len(rt.hosts) != 1 || rt.hosts[0] != c.want {
			t.Errorf("%s (secure %v): Host %q, want %q", c.host, c.secure, rt.hosts, c.want)
		}
	}
}
