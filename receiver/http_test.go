package receiver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestHTTPJSONAndRefusals: JSON arrays of records, and the requests an
// http receiver refuses, each counted.
func TestHTTPJSONAndRefusals(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: HTTP, MaxFrame: 4096})
	base := "http://" + rcv.Addr() + "/log"
	post := func(ct, body string) int {
		t.Helper()
		resp, err := http.Post(base, ct, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("application/json", `[{"name":"svc","msg":"one","levelno":30,"created":1700000000.5,"user":"zoë"},
		{"name":"svc.db","msg":"two","levelname":"ERROR","n":{"k":[1,2.5,null]}}]`); code != 200 {
		t.Fatalf("status %d", code)
	}
	got := col.waitRecords(t, 2)
	if got[0]["logger"] != "svc" || got[0]["msg"] != "one" || got[0]["level"] != "WARNING" || got[0]["user"] != "zoë" ||
		got[1]["logger"] != "svc.db" || got[1]["level"] != "ERROR" {
		t.Errorf("records %v", got)
	}
	for _, c := range []struct {
		ct, body string
		code     int
	}{
		{"application/json", `{"name":`, 400},
		{"application/json", `[1]`, 400},
		{"text/plain", "x", 415},
		{"application/x-www-form-urlencoded", "levelno=high", 400},
		{"application/x-www-form-urlencoded", "msg=" + strings.Repeat("x", 5000), 413},
	} {
		if code := post(c.ct, c.body); code != c.code {
			t.Errorf("%s %.20q: status %d, want %d", c.ct, c.body, code, c.code)
		}
	}
	req, _ := http.NewRequest(http.MethodPut, base, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("PUT: status %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "?" + url.Values{"name": {"g"}, "msg": {"via GET"}, "levelno": {"20"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	col.waitRecords(t, 3)
	s := rcv.Stats()
	want := map[string]uint64{"malformed": 3, "bad_request": 2, "too_large": 1}
	for k, v := range want {
		if s.Rejected[k] != v {
			t.Errorf("rejected[%s] = %d, want %d (%v)", k, s.Rejected[k], v, s.Rejected)
		}
	}
	if s.Frames != 3 {
		t.Errorf("frames %d", s.Frames)
	}
	http.DefaultClient.CloseIdleConnections()
}
