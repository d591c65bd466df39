package syslog

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// transportCase sends through one transport and format to the test's
// rsyslog.
type transportCase struct {
	name string
	opts func(r *rsyslog, tag string) Options
}

func transportCases() []transportCase {
	inet := func(port int) Address { return Address{Host: "127.0.0.1", Port: port} }
	return []transportCase{
		{"udp_python", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.udp), Facility: "local3", Ident: tag + ": "}
		}},
		{"udp_rfc5424", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.udp), Facility: "local3", Format: FormatRFC5424, AppName: tag}
		}},
		{"tcp_python_nul", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.tcpNul), Socktype: "stream", Facility: "local3", Ident: tag + ": "}
		}},
		{"tcp_python_octet", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.tcp), Socktype: "stream", Framing: FramingOctetCounting, Facility: "local3", Ident: tag + ": "}
		}},
		{"tcp_python_lf", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.tcp), Socktype: "stream", Framing: FramingLF, Facility: "local3", Ident: tag + ": "}
		}},
		{"tcp_rfc5424_octet", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.tcp), Socktype: "stream", Format: FormatRFC5424, Facility: "local3", AppName: tag}
		}},
		{"tcp_rfc5424_lf", func(r *rsyslog, tag string) Options {
			return Options{Address: inet(r.tcp), Socktype: "stream", Format: FormatRFC5424, Framing: FramingLF, Facility: "local3", AppName: tag}
		}},
		{"tls_rfc5424", func(r *rsyslog, tag string) Options {
			return Options{Address: Address{Host: "localhost", Port: r.tls}, TLS: true, CAFile: r.caFile, Format: FormatRFC5424, Facility: "local3", AppName: tag}
		}},
		{"tls_python", func(r *rsyslog, tag string) Options {
			return Options{Address: Address{Host: "localhost", Port: r.tls}, TLS: true, CAFile: r.caFile, Facility: "local3", Ident: tag + ": "}
		}},
		{"unix_python", func(r *rsyslog, tag string) Options {
			return Options{Address: Address{Path: r.sock}, Facility: "local3", Ident: tag + ": "}
		}},
		{"unix_rfc5424", func(r *rsyslog, tag string) Options {
			return Options{Address: Address{Path: r.sock}, Format: FormatRFC5424, Facility: "local3", AppName: tag}
		}},
	}
}

var levelSeverity = []struct {
	level    record.Level
	severity string
}{
	{10, "debug"}, {20, "info"}, {30, "warning"}, {40, "err"}, {50, "crit"}, {25, "warning"},
}

// Issue item 4: every transport and format reaches a real rsyslog with the
// right facility, severity, tag and text, each record one message.
// Checklist 89 (level to severity) and 92 (ident as the tag).
func TestRsyslogReceivesEachTransport(t *testing.T) {
	r := startRsyslog(t)
	for _, tc := range transportCases() {
		t.Run(tc.name, func(t *testing.T) {
			tag := "t-" + strings.ReplaceAll(tc.name, "_", "-")
			s, err := New(tc.opts(r, tag))
			if err != nil {
				t.Fatal(err)
			}
			var recs []record.Record
			for i, ls := range levelSeverity {
				rec := record.Record{Time: time.Now(), Level: ls.level, Message: fmt.Sprintf("message %d with | and ü", i)}
				rec.AddAttr(slog.String("k", "v]\"\\"))
				recs = append(recs, rec)
			}
			mustWrite(t, s, recs...)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			got := r.await(t, tag, len(recs))
			for i, l := range got {
				want := fmt.Sprintf("message %d with | and ü", i)
				if l.facility != "local3" || l.severity != levelSeverity[i].severity || strings.TrimSpace(l.msg) != want {
					t.Errorf("message %d: got %+v, want local3|%s|%s|%s", i, l, levelSeverity[i].severity, tag, want)
				}
				if strings.Contains(tc.name, "rfc5424") && l.sd != `[attrs@32473 k="v\]\"\\"]` {
					t.Errorf("message %d: structured data %s", i, l.sd)
				}
			}
		})
	}
}
