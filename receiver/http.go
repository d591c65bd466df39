package receiver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/actorlog/actorlog/record"
)

// startHTTP serves Python HTTPHandler requests (any path): GET with the
// record in the query, or POST with it urlencoded in the body, and POST of
// application/json, one record object or an array of them.
func (r *Receiver) startHTTP() {
	srv := &http.Server{
		Handler:           http.HandlerFunc(r.serveHTTP),
		ReadHeaderTimeout: r.o.ReadTimeout,
		ReadTimeout:       r.o.ReadTimeout,
		IdleTimeout:       r.o.IdleTimeout,
		MaxHeaderBytes:    min(r.o.MaxFrame, 1<<20) + 4096, // a GET carries its record in the URL
		ErrorLog:          nil,
	}
	srv.SetKeepAlivesEnabled(true)
	ln := &limitListener{Listener: r.ln, r: r}
	r.closer = srv.Close
	r.wg.Go(func() { _ = srv.Serve(ln) })
}

// limitListener closes connections beyond MaxConnections.
type limitListener struct {
	net.Listener
	r *Receiver
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.r.slots <- struct{}{}:
		default:
			l.r.stats.reject(reasonMaxConns)
			_ = c.Close()
			continue
		}
		l.r.stats.open.Add(1)
		return &limitConn{Conn: c, r: l.r}, nil
	}
}

type limitConn struct {
	net.Conn
	r    *Receiver
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.r.stats.open.Add(-1)
		<-c.r.slots
	})
	return err
}

func (r *Receiver) serveHTTP(w http.ResponseWriter, req *http.Request) {
	r.stats.conns.Add(1)
	cache := loggers{}
	var recs []record.Record
	var why reason
	var err error
	switch req.Method {
	case http.MethodGet:
		if len(req.URL.RawQuery) > r.o.MaxFrame {
			why, err = reasonTooLarge, errors.New("query too large")
			break
		}
		recs, why, err = formRecords(req.URL.RawQuery)
	case http.MethodPost:
		body, rerr := io.ReadAll(http.MaxBytesReader(w, req.Body, int64(r.o.MaxFrame)))
		if rerr != nil {
			var mbe *http.MaxBytesError
			if errors.As(rerr, &mbe) {
				why, err = reasonTooLarge, rerr
			} else {
				why, err = reasonTruncated, rerr
			}
			break
		}
		ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
		switch ct {
		case "application/x-www-form-urlencoded", "":
			recs, why, err = formRecords(string(body))
		case "application/json":
			recs, why, err = jsonRecords(body)
		default:
			why, err = reasonBadRequest, fmt.Errorf("content type %q", ct)
		}
		r.stats.bytes.Add(uint64(len(body)))
	default:
		why, err = reasonBadRequest, fmt.Errorf("method %s", req.Method)
	}
	if err != nil {
		r.stats.reject(why)
		code := http.StatusBadRequest
		switch why {
		case reasonTooLarge:
			code = http.StatusRequestEntityTooLarge
		case reasonBadRequest:
			if req.Method != http.MethodGet && req.Method != http.MethodPost {
				code = http.StatusMethodNotAllowed
			} else {
				code = http.StatusUnsupportedMediaType
			}
		}
		http.Error(w, err.Error(), code)
		return
	}
	for i := range recs {
		r.router.handle(cache, nil, &recs[i])
	}
	r.stats.frames.Add(uint64(len(recs)))
	w.WriteHeader(http.StatusOK)
}

// formRecords decodes one record from Python's urlencode(record.__dict__).
func formRecords(q string) ([]record.Record, reason, error) {
	vals, err := url.ParseQuery(q)
	if err != nil {
		return nil, reasonMalformed, err
	}
	rec, why, err := formRecord(vals)
	if err != nil {
		return nil, why, err
	}
	return []record.Record{rec}, reasonNone, nil
}

// formRecord maps a form's fields (text) to a record.
func formRecord(vals url.Values) (record.Record, reason, error) {
	if len(vals) == 0 {
		return record.Record{}, reasonMalformed, errors.New("an empty form")
	}
	m := make(map[string]any, len(vals))
	for k, vs := range vals {
		if !validKey(k) {
			return record.Record{}, reasonMalformed, fmt.Errorf("field name %q", k)
		}
		v, err := formValue(k, vs[len(vs)-1])
		if err != nil {
			return record.Record{}, reasonMalformed, err
		}
		m[k] = v
	}
	return fromMap(m)
}

func validKey(k string) bool { return k != "" && !strings.ContainsRune(k, 0) }

// jsonRecords decodes a JSON record object or an array of them, each with
// the wire map's keys.
func jsonRecords(body []byte) ([]record.Record, reason, error) {
	var v any
	d := json.NewDecoder(strings.NewReader(string(body)))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, reasonMalformed, err
	}
	if d.More() {
		return nil, reasonMalformed, errors.New("bytes after the JSON value")
	}
	var objs []any
	switch x := v.(type) {
	case []any:
		objs = x
	case map[string]any:
		objs = []any{x}
	default:
		return nil, reasonMalformed, fmt.Errorf("JSON %T, want an object or an array of objects", v)
	}
	out := make([]record.Record, 0, len(objs))
	for i, o := range objs {
		m, ok := o.(map[string]any)
		if !ok {
			return nil, reasonMalformed, fmt.Errorf("item %d is not an object", i)
		}
		plainNumbers(m, 0)
		rec, why, err := fromMap(m)
		if err != nil {
			return nil, why, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, rec)
	}
	return out, reasonNone, nil
}

// plainNumbers turns json.Number into int64 or float64, in place, at most
// 64 levels deep (deeper values are left as their text).
func plainNumbers(v any, depth int) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return string(x)
	case map[string]any:
		if depth < 64 {
			for k, e := range x {
				x[k] = plainNumbers(e, depth+1)
			}
		}
	case []any:
		if depth < 64 {
			for i, e := range x {
				x[i] = plainNumbers(e, depth+1)
			}
		}
	}
	return v
}
