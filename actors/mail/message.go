package mail

import (
	"bytes"
	"encoding/base64"
	"mime"
	"strings"
	"time"
	"unicode/utf8"
)

// maxLineLength is the line length of Python's email.policy.default: a body
// with a longer line is not sent as 7bit or 8bit, and headers are folded at
// it.
const maxLineLength = 78

// dateLayout is RFC 5322's date as Python's email.utils.format_datetime
// writes it.
const dateLayout = "Mon, 02 Jan 2006 15:04:05 -0700"

// appendMessage appends the mail Python's SMTPHandler builds for body: the
// headers From, To, Subject, Date, Content-Type, Content-Transfer-Encoding
// and MIME-Version in that order, a blank line and the body, every line
// ended by CRLF. Each of \r\n, \r and \n in body is a line break (Python's
// bytes.splitlines), so no bare CR or LF reaches the server; the caller's
// DATA writer doubles a leading ".".
func appendMessage(dst []byte, from, to, subject string, date time.Time, body []byte) []byte {
	dst = appendHeader(dst, "From", from)
	dst = appendAddressList(dst, "To", to)
	dst = appendHeader(dst, "Subject", encodeSubject(subject))
	dst = appendHeader(dst, "Date", date.Format(dateLayout))
	dst = append(dst, "Content-Type: text/plain; charset=\"utf-8\"\r\n"...)
	lines := splitLines(body)
	cte, text := encodeBody(lines)
	dst = append(dst, "Content-Transfer-Encoding: "...)
	dst = append(dst, cte...)
	dst = append(dst, "\r\nMIME-Version: 1.0\r\n\r\n"...)
	return appendCRLF(dst, text)
}

// appendHeader appends "name: value" folded at spaces to lines of at most
// maxLineLength where it can be. A CR or LF in value (which Validate and
// sanitize keep out) becomes a space, so that a value can never start a
// header of its own.
func appendHeader(dst []byte, name, value string) []byte {
	value = sanitize(value)
	dst = append(dst, name...)
	dst = append(dst, ':')
	col := len(name) + 1
	for i, w := range strings.SplitAfter(value, " ") {
		if i == 0 {
			dst = append(dst, ' ')
			col++
		} else if w == "" {
			continue
		}
		word := w
		if i > 0 && col+len(strings.TrimRight(word, " ")) > maxLineLength && col > len(name)+2 {
			// Fold: the space before the word starts the next line.
			dst = bytes.TrimRight(dst, " ")
			dst = append(dst, "\r\n "...)
			col = 1
		}
		dst = append(dst, word...)
		col += len(word)
	}
	return append(dst, "\r\n"...)
}

// appendAddressList appends "name: a,b,c" (Python's ','.join(toaddrs)),
// folded after a comma where the line would pass maxLineLength.
func appendAddressList(dst []byte, name, list string) []byte {
	list = sanitize(list)
	if len(name)+2+len(list) <= maxLineLength {
		return appendHeader(dst, name, list)
	}
	dst = append(dst, name...)
	dst = append(dst, ": "...)
	col := len(name) + 2
	for i, a := range strings.Split(list, ",") {
		if i > 0 {
			dst = append(dst, ',')
			col++
			if col+len(a) > maxLineLength {
				dst = append(dst, "\r\n "...)
				col = 1
			}
		}
		dst = append(dst, a...)
		col += len(a)
	}
	return append(dst, "\r\n"...)
}

// sanitize replaces each run of CR and LF (and NUL) with one space.
func sanitize(s string) string {
	if !strings.ContainsAny(s, "\r\n\x00") {
		return s
	}
	var b strings.Builder
	brk := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r', '\n', 0:
			if !brk {
				b.WriteByte(' ')
			}
			brk = true
		default:
			b.WriteByte(c)
			brk = false
		}
	}
	return b.String()
}

// encodeSubject returns s as a header value: line breaks made spaces, and
// each run of words with non-ASCII or control text, invalid UTF-8, or too
// long to fold, written as an RFC 2047 encoded word, as Python's email
// package does (a long run is split differently).
func encodeSubject(s string) string {
	s = sanitize(s)
	if !needsEncoding(s) {
		return s
	}
	words := strings.Split(s, " ")
	var out []string
	for i := 0; i < len(words); {
		if !needsEncoding(words[i]) {
			out = append(out, words[i])
			i++
			continue
		}
		j := i + 1
		for j < len(words) && needsEncoding(words[j]) {
			j++
		}
		out = append(out, encodeWord(strings.Join(words[i:j], " ")))
		i = j
	}
	return strings.Join(out, " ")
}

// needsEncoding reports whether s cannot go in a header as it is.
func needsEncoding(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c >= 0x7f {
			return true
		}
	}
	for _, w := range strings.Fields(s) {
		if len(w) > maxLineLength-len("Subject: ") {
			return true
		}
	}
	return false
}

// encodeWord encodes s as Python's email._encoded_words.encode does: Q
// unless that is 5 or more characters longer than B.
func encodeWord(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	qlen := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || strings.IndexByte("-!*+/", c) >= 0 {
			qlen++
		} else {
			qlen += 3
		}
	}
	if blen := (len(s) + 2) / 3 * 4; qlen-blen >= 5 {
		return mime.BEncoding.Encode("utf-8", s)
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// splitLines splits b at \r\n, \r and \n as Python's bytes.splitlines: a
// final line break ends the last line and adds none.
func splitLines(b []byte) [][]byte {
	var lines [][]byte
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			lines = append(lines, b)
			break
		}
		lines = append(lines, b[:i])
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
		b = b[i+1:]
	}
	return lines
}

// encodeBody chooses the transfer encoding as Python's email package does
// for text/plain in UTF-8 (contentmanager._encode_text with
// policy.default) and returns it with the encoded body, lines ended by "\n".
func encodeBody(lines [][]byte) (cte string, body []byte) {
	joined := func(lines [][]byte) []byte {
		out := bytes.Join(lines, []byte("\n"))
		return append(out, '\n')
	}
	long := false
	ascii := true
	for _, l := range lines {
		if len(l) > maxLineLength {
			long = true
		}
		for _, c := range l {
			if c >= 0x80 {
				ascii = false
			}
		}
	}
	if !long {
		if ascii {
			return "7bit", joined(lines)
		}
		return "8bit", joined(lines)
	}
	sniff := joined(lines[:min(len(lines), 10)])
	sniffQP := quotedPrintable(sniff)
	if len(sniffQP) > base64.StdEncoding.EncodedLen(len(sniff))+1 {
		return "base64", encodeBase64(joined(lines))
	}
	if len(lines) <= 10 {
		return "quoted-printable", sniffQP
	}
	return "quoted-printable", quotedPrintable(joined(lines))
}

// encodeBase64 is Python's email _encode_base64: 57 bytes a line.
func encodeBase64(b []byte) []byte {
	const per = maxLineLength / 4 * 3
	var out []byte
	for len(b) > 0 {
		n := min(per, len(b))
		out = base64.StdEncoding.AppendEncode(out, b[:n])
		out = append(out, '\n')
		b = b[n:]
	}
	return out
}

// qpSafe marks the bytes Python's quoprimime leaves as they are in a body.
var qpSafe = func() (t [256]bool) {
	for _, c := range []byte(" !\"#$%&'()*+,-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\t\r\n") {
		t[c] = true
	}
	return t
}()

const hexDigits = "0123456789ABCDEF"

// quotedPrintable is Python's quoprimime.body_encode(body, 78), line for
// line, so that a long record is encoded as Python encodes it.
func quotedPrintable(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	var t []byte
	for _, c := range body {
		if qpSafe[c] {
			t = append(t, c)
		} else {
			t = append(t, '=', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	quote := func(c byte) string { return string([]byte{'=', hexDigits[c>>4], hexDigits[c&15]}) }
	const maxlen = maxLineLength
	var parts []string
	for _, lb := range splitLines(t) {
		line := string(lb)
		start := 0
		laststart := len(line) - 1 - maxlen
		for start <= laststart {
			stop := start + maxlen - 1
			switch {
			case line[stop-2] == '=':
				parts = append(parts, line[start:stop-1])
				start = stop - 2
			case line[stop-1] == '=':
				parts = append(parts, line[start:stop])
				start = stop - 1
			default:
				parts = append(parts, line[start:stop]+"=")
				start = stop
			}
		}
		if n := len(line); n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') {
			var q string
			switch room := start - laststart; {
			case room >= 3:
				q = quote(line[n-1])
			case room == 2:
				q = line[n-1:] + "=\n"
			default:
				q = "=\n" + quote(line[n-1])
			}
			parts = append(parts, line[start:n-1]+q)
		} else {
			parts = append(parts, line[start:])
		}
	}
	if c := t[len(t)-1]; c == '\r' || c == '\n' {
		parts = append(parts, "")
	}
	return []byte(strings.Join(parts, "\n"))
}

// appendCRLF appends text, whose lines end in "\n", with CRLF line ends.
func appendCRLF(dst, text []byte) []byte {
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			dst = append(dst, text...)
			return append(dst, "\r\n"...)
		}
		dst = append(dst, text[:i]...)
		dst = append(dst, "\r\n"...)
		text = text[i+1:]
	}
	return dst
}
