package syslog_test

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/syslog"
	"github.com/actorlog/actorlog/record"
)

// Python's SysLogHandler over UDP: a listener here stands in for syslogd.
func Example() {
	srv, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer srv.Close()
	addr, _ := syslog.ParseAddress(srv.LocalAddr().String())

	s, err := syslog.New(syslog.Options{Address: addr, Facility: "local0", Ident: "myapp: "})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	r := record.Record{Level: record.LevelError, Message: "disk full"}
	send(s, &r)

	buf := make([]byte, 1024)
	n, _, _ := srv.ReadFrom(buf)
	fmt.Printf("%q\n", buf[:n])
	// Output: "<131>myapp: disk full\x00"
}

// RFC 5424 with the record's attributes as structured data.
func ExampleOptions_rfc5424() {
	s, err := syslog.New(syslog.Options{
		Address: syslog.Address{Host: "127.0.0.1", Port: 514},
		Format:  syslog.FormatRFC5424, Hostname: "web1", AppName: "shop", MsgID: "ORDER", UTC: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	r := record.Record{Time: time.Date(2024, 5, 1, 12, 0, 0, 250_000_000, time.UTC), Level: record.LevelInfo, Message: "paid"}
	r.AddAttrs(slog.String("order", "A-17"), slog.Int("cents", 1999))
	b, _ := s.AppendRecord(nil, &r)
	// PROCID is this process's id.
	fmt.Println(strings.Replace(string(b), " "+strconv.Itoa(os.Getpid())+" ", " PID ", 1))
	// Output: <14>1 2024-05-01T12:00:00.250000Z web1 shop PID ORDER [attrs@32473 order="A-17" cents="1999"] paid
}

func send(s *syslog.Syslog, r *record.Record) {
	b := &actors.Batch{}
	b.Buf, _ = s.AppendRecord(b.Buf, r)
	b.Ends = append(b.Ends, len(b.Buf))
	b.Records = append(b.Records, r)
	_, _ = s.WriteBatch(b)
}
