package syslog

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// Issue item 4: 100,000 records logged through the engine over TCP with
// octet counting arrive at rsyslog exactly once and in order.
func TestRsyslog100kOctetCountingExactlyOnceInOrder(t *testing.T) {
	const n = 100000
	r := startRsyslog(t)
	s, err := New(Options{Address: Address{Host: "127.0.0.1", Port: r.tcp}, Socktype: "stream",
		Format: FormatRFC5424, AppName: "seq", SDID: "-"})
	if err != nil {
		t.Fatal(err)
	}
	e, l := runHandler(t, s, "seq", time.Second)
	for i := range n {
		l.Log(record.LevelInfo, strconv.Itoa(i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := e.Stats().ForHandler("syslog")
	if st.Written != n || st.DroppedTotal() != 0 {
		t.Fatalf("stats: %+v", st)
	}
	got := r.await(t, "seq", n)
	for i, l := range got {
		if strings.TrimSpace(l.msg) != strconv.Itoa(i) {
			t.Fatalf("message %d is %q: lost, duplicated or out of order", i, l.msg)
		}
	}
}
