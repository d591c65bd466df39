package receiver

import (
	"bytes"
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/actors/syslog"
	"github.com/actorlog/actorlog/record"
)

// RFC 5424's bounds of the header fields (6.2), in bytes.
const (
	maxTimestamp = 64 // longer than any RFC 3339 time it allows
	maxHostname  = 255
	maxAppName   = 48
	maxProcID    = 128
	maxMsgID     = 32
	maxSDName    = 32
	maxTag       = 48 // RFC 3164 says 32; rsyslog takes more
)

var bom = []byte("\xEF\xBB\xBF")

// parseSyslog turns one syslog message (without framing) into a record:
// RFC 5424 when the PRI is followed by "1 ", RFC 3164 (as Python's
// SysLogHandler, rsyslog and syslog-ng send it) otherwise. The record is
// named prefix.<tag or app-name> (prefix alone without one; the tag alone
// when prefix is ""); its time is the message's, or now when it has none.
// ok is false for a message that is not syslog: no PRI, or a broken RFC
// 5424 header or structured data. It never panics, whatever msg holds.
func parseSyslog(msg []byte, prefix string, now time.Time) (rec record.Record, ok bool) {
	msg = trimTrailer(msg)
	pri, rest, ok := parsePRI(msg)
	if !ok {
		return rec, false
	}
	fac, sev := pri>>3, pri&7
	rec.Level = syslog.PriorityLevel(sev)
	rec.Time = now
	var h header
	if len(rest) >= 2 && rest[0] == '1' && rest[1] == ' ' {
		if !parse5424(rest[2:], &rec, &h) {
			return rec, false
		}
	} else {
		parse3164(rest, &rec, &h, now)
	}
	rec.Logger = loggerName(prefix, h.app)
	attrs := make([]slog.Attr, 0, 6+len(h.sd))
	attrs = append(attrs, slog.String("facility", syslog.FacilityName(fac)), slog.String("severity", syslog.SeverityName(sev)))
	for _, f := range [...]struct{ k, v string }{{"hostname", h.host}, {"appname", h.app}, {"procid", h.procid}, {"msgid", h.msgid}} {
		if f.v != "" {
			attrs = append(attrs, slog.String(f.k, f.v))
		}
	}
	attrs = append(attrs, h.sd...)
	rec.AddAttrs(attrs...)
	o := &record.Origin{ProcessName: h.app}
	if pid, err := strconv.ParseInt(h.procid, 10, 64); err == nil && pid >= 0 {
		o.Process = pid
	}
	rec.Origin = o
	return rec, true
}

// header is what a message says besides its text.
type header struct {
	host, app, procid, msgid string
	sd                       []slog.Attr
}

// trimTrailer drops the NULs (Python's append_nul), line feeds and
// carriage returns that end a message.
func trimTrailer(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case 0, '\n', '\r':
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return b
}

// parsePRI reads "<" 1*3DIGIT ">" with a value of at most 191.
func parsePRI(b []byte) (pri int, rest []byte, ok bool) {
	if len(b) < 3 || b[0] != '<' {
		return 0, nil, false
	}
	i := 1
	for ; i < len(b) && i <= 4 && isDigit(b[i]); i++ {
		pri = pri*10 + int(b[i]-'0')
	}
	if i == 1 || i > 4 || i >= len(b) || b[i] != '>' || pri > 191 {
		return 0, nil, false
	}
	return pri, b[i+1:], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// text is b as valid UTF-8 (invalid bytes as U+FFFD), without a leading BOM.
func text(b []byte) string {
	b = bytes.TrimPrefix(b, bom)
	if utf8.Valid(b) {
		return string(b)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

// loggerName is prefix.app, or either alone when the other is empty.
func loggerName(prefix, app string) string {
	switch {
	case app == "":
		return prefix
	case prefix == "":
		return app
	}
	return prefix + "." + app
}

// parse5424 reads what follows "<PRI>1 ": TIMESTAMP HOSTNAME APP-NAME PROCID
// MSGID STRUCTURED-DATA [SP MSG] (RFC 5424 6).
func parse5424(b []byte, rec *record.Record, h *header) bool {
	var ts string
	var ok bool
	if ts, b, ok = field(b, maxTimestamp); !ok {
		return false
	}
	if ts != "" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return false
		}
		rec.Time = t
	}
	if h.host, b, ok = field(b, maxHostname); !ok {
		return false
	}
	if h.app, b, ok = field(b, maxAppName); !ok {
		return false
	}
	if h.procid, b, ok = field(b, maxProcID); !ok {
		return false
	}
	if h.msgid, b, ok = field(b, maxMsgID); !ok {
		return false
	}
	if b, ok = parseSD(b, h); !ok {
		return false
	}
	if len(b) > 0 {
		if b[0] != ' ' {
			return false
		}
		b = b[1:]
	}
	rec.Message = text(b)
	return true
}

// field reads a header field of 1 to max printable US-ASCII bytes and the
// SP after it; "-" (NILVALUE) is "".
func field(b []byte, max int) (string, []byte, bool) {
	i := 0
	for ; i < len(b) && i <= max && b[i] >= 33 && b[i] <= 126; i++ {
	}
	if i == 0 || i > max || i >= len(b) || b[i] != ' ' {
		return "", nil, false
	}
	if i == 1 && b[0] == '-' {
		return "", b[2:], true
	}
	return string(b[:i]), b[i+1:], true
}

// parseSD reads STRUCTURED-DATA: "-" or SD-ELEMENTs, each
// "[" SD-ID *(SP PARAM-NAME "=" DQUOTE PARAM-VALUE DQUOTE) "]", into h.sd
// as attributes sd.<SD-ID>.<PARAM-NAME>. In a PARAM-VALUE, \" \\ and \]
// stand for the character; a backslash before any other is kept (6.3.3).
func parseSD(b []byte, h *header) ([]byte, bool) {
	if len(b) == 0 {
		return nil, false
	}
	if b[0] == '-' {
		return b[1:], true
	}
	if b[0] != '[' {
		return nil, false
	}
	var val []byte
	for len(b) > 0 && b[0] == '[' {
		id, rest, ok := sdName(b[1:])
		if !ok {
			return nil, false
		}
		b = rest
		for {
			if len(b) == 0 {
				return nil, false // unterminated
			}
			if b[0] == ']' {
				b = b[1:]
				break
			}
			if b[0] != ' ' {
				return nil, false
			}
			name, rest, ok := sdName(b[1:])
			if !ok || len(rest) < 2 || rest[0] != '=' || rest[1] != '"' {
				return nil, false
			}
			val, b, ok = sdValue(rest[2:], val[:0])
			if !ok {
				return nil, false
			}
			h.sd = append(h.sd, slog.String("sd."+id+"."+name, text(val)))
		}
	}
	return b, true
}

// sdName reads an SD-NAME: 1 to 32 printable US-ASCII bytes but '=', SP,
// ']' and '"'.
func sdName(b []byte) (string, []byte, bool) {
	i := 0
	for ; i < len(b) && i <= maxSDName; i++ {
		c := b[i]
		if c < 33 || c > 126 || c == '=' || c == ']' || c == '"' {
			break
		}
	}
	if i == 0 || i > maxSDName {
		return "", nil, false
	}
	return string(b[:i]), b[i:], true
}

// sdValue reads a PARAM-VALUE up to its closing '"', unescaped into dst.
func sdValue(b, dst []byte) ([]byte, []byte, bool) {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			return dst, b[i+1:], true
		case '\\':
			if i+1 < len(b) {
				if n := b[i+1]; n == '"' || n == '\\' || n == ']' {
					dst = append(dst, n)
					i++
					continue
				}
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return nil, nil, false // no closing quote
}

// parse3164 reads what follows the PRI in the BSD format (RFC 3164 4.1):
// an optional TIMESTAMP ("Mmm dd hh:mm:ss", or RFC 3339 as rsyslog's
// forward format writes it) followed by a HOSTNAME, then an optional TAG
// ("app:" or "app[pid]:"; after a TIMESTAMP and HOSTNAME, the first word
// even without a colon), then the text. Python's SysLogHandler sends
// ident + message: its ident ("app: ") is the tag. Anything is a message:
// the text is whatever is not recognised as a header.
func parse3164(b []byte, rec *record.Record, h *header, now time.Time) {
	if t, rest, ok := stamp3164(b, now); ok {
		rec.Time = t
		b = rest
		// The HOSTNAME follows a TIMESTAMP, unless the word is a tag.
		if i := bytes.IndexByte(b, ' '); i > 0 && i <= maxHostname && !bytes.ContainsAny(b[:i], ":[") && printable(b[:i]) {
			h.host, b = string(b[:i]), b[i+1:]
		}
	}
	i := 0
	for ; i < len(b) && i <= maxTag; i++ {
		c := b[i]
		if c < 33 || c > 126 || c == ':' || c == '[' || c == ']' {
			break
		}
	}
	if i > 0 && i <= maxTag && i < len(b) {
		rest, pid, ok := b[i:], "", false
		switch rest[0] {
		case ':':
			rest, ok = rest[1:], true
		case ' ':
			// After a daemon's TIMESTAMP and HOSTNAME the next word is
			// the tag, colon or not, as rsyslog parses it (and writes an
			// RFC 5424 message's APP-NAME in its BSD forward format).
			ok = h.host != ""
		case '[':
			j := bytes.IndexByte(rest, ']')
			if j < 2 || j > maxProcID+1 || j+1 >= len(rest) || !printable(rest[1:j]) {
				break
			}
			switch {
			case rest[j+1] == ':':
				pid, rest, ok = string(rest[1:j]), rest[j+2:], true
			case rest[j+1] == ' ' && h.host != "": // as above
				pid, rest, ok = string(rest[1:j]), rest[j+1:], true
			}
		}
		if ok {
			h.app, h.procid = string(b[:i]), pid
			b = bytes.TrimPrefix(rest, []byte(" "))
		}
	}
	rec.Message = text(b)
}

// printable reports whether b is printable US-ASCII without spaces.
func printable(b []byte) bool {
	for _, c := range b {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// stamp3164 reads "Mmm dd hh:mm:ss " (the year is the one that puts the
// time nearest before now, in the local zone), or an RFC 3339 time and a
// space.
func stamp3164(b []byte, now time.Time) (time.Time, []byte, bool) {
	if len(b) > 16 && b[15] == ' ' && !isDigit(b[0]) {
		t, err := time.ParseInLocation(time.Stamp, string(b[:15]), now.Location())
		if err != nil {
			return time.Time{}, nil, false
		}
		t = t.AddDate(now.Year(), 0, 0)
		if t.After(now.Add(24 * time.Hour)) {
			t = t.AddDate(-1, 0, 0)
		}
		return t, b[16:], true
	}
	if len(b) > 20 && isDigit(b[0]) {
		i := bytes.IndexByte(b, ' ')
		if i < 20 || i > maxTimestamp {
			return time.Time{}, nil, false
		}
		t, err := time.Parse(time.RFC3339Nano, string(b[:i]))
		if err != nil {
			return time.Time{}, nil, false
		}
		return t, b[i+1:], true
	}
	return time.Time{}, nil, false
}
