package receiver

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/syslog"
	"github.com/actorlog/actorlog/internal/rsyslogtest"
)

// TestRsyslogForwardsToSyslogReceivers: a real rsyslog of the test's own
// takes messages from our Syslog handler (Python's bytes on its imuxsock
// socket, RFC 5424 on its imudp port) and forwards all of them with omfwd
// to four syslog receivers: TCP with octet counting (RFC 5424,
// RSYSLOG_SyslogProtocol23Format), TCP with LF framing and UDP (both
// RSYSLOG_TraditionalForwardFormat, RFC 3164), and the README's legacy
// line "*.* @@(o)host:port" (octet counting, RFC 3164). Each receiver gets every
// message once, with its level, name (syslog.<tag>), text, facility and,
// through RFC 5424, its structured data.
func TestRsyslogForwardsToSyslogReceivers(t *testing.T) {
	d := rsyslogtest.New(t)
	type target struct {
		name string
		o    Options
		col  *collector
		rcv  *Receiver
	}
	targets := []*target{
		{name: "octet", o: Options{Type: Syslog, Framing: FramingOctetCounting}},
		{name: "lf", o: Options{Type: Syslog, Framing: FramingLF}},
		{name: "udp", o: Options{Type: Syslog, Protocol: UDP}},
		{name: "legacy", o: Options{Type: Syslog, Framing: FramingOctetCounting}}, // the README's line
	}
	port := make([]string, len(targets))
	for i, tg := range targets {
		tg.col = newCollector(t)
		tg.rcv = tg.col.listen(t, tg.o)
		_, port[i], _ = net.SplitHostPort(tg.rcv.Addr())
	}
	sock := filepath.Join(d.Dir, "log")
	udpIn := rsyslogtest.FreePort(t, "udp")
	d.Configure(t, fmt.Sprintf(`global(workDirectory=%q maxMessageSize="64k")
main_queue(queue.workerThreads="1")
module(load="imuxsock" SysSock.Use="off")
module(load="imudp")
input(type="imuxsock" Socket=%q CreatePath="on" RateLimit.Interval="0" UseSpecialParser="off" ParseHostname="on")
input(type="imudp" address="127.0.0.1" port="%d")
action(type="omfwd" target="127.0.0.1" port="%s" protocol="tcp" TCP_Framing="octet-counted"
  template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1")
action(type="omfwd" target="127.0.0.1" port="%s" protocol="tcp" template="RSYSLOG_TraditionalForwardFormat"
  action.resumeRetryCount="-1")
action(type="omfwd" target="127.0.0.1" port="%s" protocol="udp" template="RSYSLOG_TraditionalForwardFormat")
*.* @@(o)127.0.0.1:%s
`, d.WorkDir, sock, udpIn, port[0], port[1], port[2], port[3]))
	// Ready when a probe through each input reached every receiver.
	d.Start(t, func() bool {
		_ = rsyslogtest.SendRaw("unixgram", sock, "<14>probe: unix")
		_ = rsyslogtest.SendRaw("udp", fmt.Sprint("127.0.0.1:", udpIn), "<14>1 - - probe - - - udp")
		for _, tg := range targets {
			_ = tg.col.eng.Flush(context.Background())
			if tg.col.out.count() < 2 {
				return false
			}
			seen := map[string]bool{}
			for _, m := range tg.col.out.objects(t) {
				if m["logger"] == "syslog.probe" {
					seen[strings.TrimPrefix(fmt.Sprint(m["msg"]), " ")] = true
				}
			}
			if !seen["unix"] || !seen["udp"] {
				return false
			}
		}
		return true
	})

	const n = 100
	shipSyslog(t, syslog.Options{Address: syslog.Address{Path: sock}, Facility: "local3", Ident: "rcvpy: "}, n)
	shipSyslog(t, syslog.Options{Address: syslog.Address{Host: "127.0.0.1", Port: udpIn}, Facility: "local3",
		Format: syslog.FormatRFC5424, AppName: "rcv5424"}, n)

	names := []string{"syslog.rcvpy", "syslog.rcv5424"}
	count := func(tg *target) map[string][]map[string]any {
		_ = tg.col.eng.Flush(context.Background())
		by := map[string][]map[string]any{}
		for _, m := range tg.col.out.objects(t) {
			name := fmt.Sprint(m["logger"])
			by[name] = append(by[name], m)
		}
		return by
	}
	for _, tg := range targets {
		waitFor(t, tg.name+" receiver's records", func() bool {
			by := count(tg)
			return len(by[names[0]]) >= n && len(by[names[1]]) >= n
		})
	}
	d.Stop() // rsyslog has sent all it will: now count
	for _, tg := range targets {
		by := count(tg)
		for _, name := range names {
			got := by[name]
			if len(got) != n {
				t.Errorf("%s: %d records named %s, want %d", tg.name, len(got), name, n)
				continue
			}
			seen := map[string]bool{}
			for _, m := range got {
				msg := fmt.Sprint(m["msg"])
				if tg.name == "octet" && name == "syslog.rcvpy" {
					// rsyslog's msg of a BSD message starts with the space
					// after the tag's colon, and its RFC 5424 template
					// writes it as it is.
					msg = strings.TrimPrefix(msg, " ")
				}
				var i int
				if _, err := fmt.Sscanf(msg, "record %d ☃", &i); err != nil || seen[msg] || msg != "record "+strconv.Itoa(i)+" ☃" {
					t.Errorf("%s: %s: message %q (seen before: %v)", tg.name, name, msg, seen[msg])
					continue
				}
				seen[msg] = true
				if want := syslogLevels[i%5].String(); m["level"] != want || m["facility"] != "local3" {
					t.Errorf("%s: %s: record %d has level %v facility %v, want %s local3", tg.name, name, i, m["level"], m["facility"], want)
				}
				if tg.name == "octet" && name == "syslog.rcv5424" &&
					(m["sd.attrs@32473.user"] != "zoë" || m["sd.attrs@32473.i"] != strconv.Itoa(i)) {
					t.Errorf("%s: record %d lost its structured data: %v", tg.name, i, m)
				}
			}
		}
		if s := tg.rcv.Stats(); s.RejectedTotal() != 0 {
			t.Errorf("%s: %v", tg.name, s)
		}
	}
}
