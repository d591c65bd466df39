package syslog

import (
	"bytes"
	"log/slog"
	"strconv"
	"unicode/utf8"

	"github.com/actorlog/actorlog/record"
)

// encoder turns records into syslog messages (without framing). It is
// immutable after New.
type encoder struct {
	o        *Options
	facility int
	rfc5424  bool
	nul      bool   // append Python's NUL
	max      int    // MaxMessageSize; 0 none
	ident    []byte // sanitised
	host     string // RFC 5424 fields, sanitised, "-" when empty
	app      string
	procid   string
	msgid    string
	sdid     string // "" leaves attributes out
}

// appendMessage appends r's syslog message to dst.
func (e *encoder) appendMessage(dst []byte, r *record.Record) []byte {
	start := len(dst)
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(EncodePriority(e.facility, MapPriority(r.Level))), 10)
	dst = append(dst, '>')
	if e.rfc5424 {
		dst = e.appendHeader(dst, r)
		dst = e.appendSD(dst, r)
		mark := len(dst)
		dst = append(dst, ' ')
		textStart := len(dst)
		dst = e.o.Formatter.Append(dst, r)
		if len(dst) == textStart { // no MSG: no SP either
			dst = dst[:mark]
		} else {
			dst = validUTF8(dst, textStart)
		}
	} else {
		textStart := len(dst)
		dst = append(dst, e.ident...)
		dst = e.o.Formatter.Append(dst, r)
		dst = validUTF8(dst, textStart)
	}
	if e.max > 0 {
		limit := e.max
		if e.nul {
			limit--
		}
		dst = truncate(dst, start, limit)
	}
	if e.nul {
		dst = append(dst, 0)
	}
	return dst
}

// truncate cuts dst[start:] to at most limit bytes, at the start of a
// UTF-8 sequence so that no rune is torn. The tail is dropped.
func truncate(dst []byte, start, limit int) []byte {
	if len(dst)-start <= limit {
		return dst
	}
	cut := start + limit
	for i := 0; i < utf8.UTFMax && cut > start && !utf8.RuneStart(dst[cut]); i++ {
		cut--
	}
	return dst[:cut]
}

// validUTF8 replaces invalid UTF-8 in dst[from:] with U+FFFD, so that every
// message is text a receiver can store (Python cannot send anything else).
func validUTF8(dst []byte, from int) []byte {
	if utf8.Valid(dst[from:]) {
		return dst
	}
	fixed := bytes.ToValidUTF8(dst[from:], []byte("\uFFFD"))
	return append(dst[:from], fixed...)
}

// appendHeader appends RFC 5424's VERSION SP TIMESTAMP SP HOSTNAME SP
// APP-NAME SP PROCID SP MSGID SP, after the PRI.
func (e *encoder) appendHeader(dst []byte, r *record.Record) []byte {
	dst = append(dst, "1 "...)
	if r.Time.IsZero() {
		dst = append(dst, '-')
	} else {
		t := r.Time
		if e.o.UTC {
			t = t.UTC()
		} else {
			t = t.Local()
		}
		dst = t.AppendFormat(dst, "2006-01-02T15:04:05.000000Z07:00")
	}
	dst = append(dst, ' ')
	dst = append(dst, e.host...)
	dst = append(dst, ' ')
	dst = append(dst, e.app...)
	dst = append(dst, ' ')
	dst = append(dst, e.procid...)
	dst = append(dst, ' ')
	dst = append(dst, e.msgid...)
	return append(dst, ' ')
}

// appendSD appends the record's attributes as one SD-ELEMENT, or "-".
func (e *encoder) appendSD(dst []byte, r *record.Record) []byte {
	if e.sdid == "" {
		return append(dst, '-')
	}
	start := len(dst)
	dst = append(dst, '[')
	dst = append(dst, e.sdid...)
	open := len(dst)
	var name []byte
	r.Walk(func(path []string, a slog.Attr) bool {
		name = name[:0]
		for _, g := range path {
			name = append(name, g...)
			name = append(name, '.')
		}
		dst = appendParam(dst, name, a)
		return true
	})
	if len(dst) == open {
		return append(dst[:start], '-')
	}
	return append(dst, ']')
}

// appendParam appends SP PARAM-NAME="PARAM-VALUE" for a, or for each
// attribute of a group, named by prefix and the keys joined with ".".
func appendParam(dst, prefix []byte, a slog.Attr) []byte {
	a.Value = a.Value.Resolve()
	if record.Skip(a) {
		return dst
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p = append(append(p[:len(p):len(p)], a.Key...), '.')
		}
		for _, g := range a.Value.Group() {
			dst = appendParam(dst, p, g)
		}
		return dst
	}
	dst = append(dst, ' ')
	dst = appendSDName(dst, prefix, a.Key)
	dst = append(dst, '=', '"')
	dst = appendSDValue(dst, a.Value.String())
	return append(dst, '"')
}

// maxSDName is the longest SD-NAME (RFC 5424 6.3.3).
const maxSDName = 32

// appendSDName appends prefix+key as an SD-NAME: printable US-ASCII but
// '=', ' ', ']' and '"', each other byte written as '_', at most 32 bytes;
// an empty name is "_".
func appendSDName(dst, prefix []byte, key string) []byte {
	n := 0
	add := func(c byte) {
		if n == maxSDName {
			return
		}
		if c < 33 || c > 126 || c == '=' || c == ']' || c == '"' {
			c = '_'
		}
		dst = append(dst, c)
		n++
	}
	for _, c := range prefix {
		add(c)
	}
	for i := 0; i < len(key); i++ {
		add(key[i])
	}
	if n == 0 {
		dst = append(dst, '_')
	}
	return dst
}

// appendSDValue appends v as a PARAM-VALUE: '"', '\' and ']' escaped with
// a backslash, invalid UTF-8 as U+FFFD.
func appendSDValue(dst []byte, v string) []byte {
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c == '"' || c == '\\' || c == ']' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, v[i:i+size]...)
		}
		i += size
	}
	return dst
}

// sanitizeField makes an RFC 5424 header field: printable US-ASCII, other
// bytes as "_", at most max bytes, "-" when empty.
func sanitizeField(s string, max int) string {
	if s == "" {
		return "-"
	}
	b := make([]byte, 0, min(len(s), max))
	for i := 0; i < len(s) && len(b) < max; i++ {
		c := s[i]
		if c < 33 || c > 126 {
			c = '_'
		}
		b = append(b, c)
	}
	return string(b)
}

// appendFrame appends msg framed for a stream socket.
func appendFrame(dst, msg []byte, framing string) []byte {
	switch framing {
	case FramingOctetCounting:
		dst = strconv.AppendInt(dst, int64(len(msg)), 10)
		dst = append(dst, ' ')
		return append(dst, msg...)
	case FramingLF:
		for {
			i := bytes.IndexByte(msg, '\n')
			if i < 0 {
				break
			}
			dst = append(dst, msg[:i]...)
			dst = append(dst, "#012"...)
			msg = msg[i+1:]
		}
		dst = append(dst, msg...)
		return append(dst, '\n')
	}
	return append(dst, msg...)
}
