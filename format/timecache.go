package format

import (
	"strings"
	"sync/atomic"
	"time"
)

// secText is the text of one whole second in one location: what a layout
// writes for time.Unix(sec, 0).In(loc). A *time.Location is immutable, and the
// entry keeps it alive, so (sec, loc) fixes the text, daylight saving time and
// zone changes included. An entry is never modified once published.
type secText struct {
	sec  int64
	loc  *time.Location
	text string
	// zone is where the zone designator starts in an RFC 3339 text ("Z" or
	// "+01:00"), so that a fraction of a second can be put in before it;
	// head and tail are the text before and from there.
	zone       int
	head, tail string
}

// secCache remembers the text of the last second a formatter wrote, so that
// records of the same second format only their fraction. It is safe for
// concurrent use: readers load an immutable entry, and a miss publishes a new
// one. A hit takes no lock and allocates nothing.
//
// A miss replaces the entry only for a later second than the cached one, so
// that two handlers sharing a formatter, one behind the other, do not take
// turns replacing it on every record; a straggler formats the slow way
// instead. Every missStore-th other miss replaces it too, so that a clock set
// back, or records alternating between zones, recover the fast path with at
// most one allocation per missStore records.
//
// An RFC 3339 cache can hold a frame, the constant text its owner writes
// right before and after the time (set once, before first use): an entry
// then holds that text too, so that a record's time and the keys around
// it cost two appends and the fraction.
type secCache struct {
	last          atomic.Pointer[secText]
	misses        atomic.Uint32
	before, after string // the frame of RFC 3339 entries
}

const missStore = 256

// lookup returns the cached entry for (sec, loc), or nil; store reports
// whether a miss should build and publish a new entry.
func (c *secCache) lookup(sec int64, loc *time.Location) (e *secText, store bool) {
	e = c.last.Load()
	if e != nil && e.sec == sec && e.loc == loc {
		return e, false
	}
	if e == nil || sec > e.sec {
		return nil, true
	}
	return nil, c.misses.Add(1)%missStore == 0
}

// newRFC3339Second returns the entry of a second in RFC 3339
// ("2006-01-02T15:04:05Z07:00"), in c's frame.
func (c *secCache) newRFC3339Second(sec int64, loc *time.Location) *secText {
	text := time.Unix(sec, 0).In(loc).Format(time.RFC3339)
	zone := len(text) - 1 // "Z"
	if text[zone] != 'Z' {
		// "+hh:mm" or "-hh:mm": the last sign; the date and clock before it
		// have only '-' separators before the 'T'.
		zone = strings.LastIndexAny(text, "+-")
	}
	e := &secText{sec: sec, loc: loc, text: c.before + text + c.after, zone: len(c.before) + zone}
	e.head, e.tail = e.text[:e.zone], e.text[e.zone:]
	return e
}

// appendRFC3339Nano appends t.AppendFormat(time.RFC3339Nano) in c's frame:
// the cached second, the nanoseconds without trailing zeros, then the zone.
func (c *secCache) appendRFC3339Nano(dst []byte, t time.Time) []byte {
	sec, loc := t.Unix(), t.Location()
	e, store := c.lookup(sec, loc)
	if e == nil {
		if !store {
			dst = t.AppendFormat(append(dst, c.before...), time.RFC3339Nano)
			return append(dst, c.after...)
		}
		e = c.newRFC3339Second(sec, loc)
		c.last.Store(e)
	}
	dst = append(dst, e.head...)
	if ns := t.Nanosecond(); ns != 0 {
		// The digits go straight into dst: a fraction put together in a
		// local array and copied costs a stalled load (the bytes stored one
		// by one, read back as a word).
		n := len(dst)
		dst = append(dst, ".000000000"...)
		d := dst[n+1 : n+10]
		hi, mid, lo := &digits3[ns/1e6], &digits3[ns/1e3%1e3], &digits3[ns%1e3]
		d[0], d[1], d[2] = hi[0], hi[1], hi[2]
		d[3], d[4], d[5] = mid[0], mid[1], mid[2]
		d[6], d[7], d[8] = lo[0], lo[1], lo[2]
		end := len(dst)
		for dst[end-1] == '0' {
			end--
		}
		dst = dst[:end]
	}
	return append(dst, e.tail...)
}

// digits3 holds 0 to 999 as three decimal digits each.
var digits3 = func() (t [1000][3]byte) {
	for i := range t {
		t[i] = [3]byte{byte('0' + i/100), byte('0' + i/10%10), byte('0' + i%10)}
	}
	return t
}()

// minTruncSec is the Unix time of January 1 of year 1 UTC, Go's zero Time:
// before it, Time.Truncate rounds towards the zero Time (up), and the
// milliseconds are no longer the leading digits of the nanoseconds.
const minTruncSec = -62135596800

// appendRFC3339Millis appends t in RFC 3339 with exactly three fractional
// digits, truncated, as slog's TextHandler does (see appendRFC3339Millis),
// in c's frame.
func (c *secCache) appendRFC3339Millis(dst []byte, t time.Time) []byte {
	sec, loc := t.Unix(), t.Location()
	if sec < minTruncSec {
		return append(appendRFC3339Millis(append(dst, c.before...), t), c.after...)
	}
	e, store := c.lookup(sec, loc)
	if e == nil {
		if !store {
			return append(appendRFC3339Millis(append(dst, c.before...), t), c.after...)
		}
		e = c.newRFC3339Second(sec, loc)
		c.last.Store(e)
	}
	if e.zone-len(c.before) != len("2006-01-02T15:04:05") {
		// A year of other than four digits: slog's code drops a digit at a
		// fixed offset, which this keeps.
		return append(appendRFC3339Millis(append(dst, c.before...), t), c.after...)
	}
	ms := &digits3[t.Nanosecond()/1e6]
	dst = append(dst, e.text[:e.zone]...)
	dst = append(dst, '.', ms[0], ms[1], ms[2])
	return append(dst, e.text[e.zone:]...)
}

// appendStrftimeSec appends strftime(layout, time.Unix(sec, 0).In(loc)),
// cached per second; layout and loc must be the same on every call.
func (c *secCache) appendStrftimeSec(dst []byte, layout string, sec int64, loc *time.Location) []byte {
	e, store := c.lookup(sec, loc)
	if e == nil {
		if !store {
			return strftime(dst, layout, time.Unix(sec, 0).In(loc))
		}
		e = &secText{sec: sec, loc: loc, text: string(strftime(nil, layout, time.Unix(sec, 0).In(loc)))}
		c.last.Store(e)
	}
	return append(dst, e.text...)
}
