package format

import (
	"strconv"
	"time"
)

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// strftime appends t formatted by the C strftime pattern layout, as
// Python's time.strftime does on Linux (glibc, C locale); PythonOptions.Datefmt
// lists the conversions.
func strftime(dst []byte, layout string, t time.Time) []byte {
	tm := newBrokenTime(t)
	return appendStrftime(dst, layout, &tm)
}

// brokenTime is C's struct tm: t's fields, computed once per call.
type brokenTime struct {
	t                              time.Time
	year, mon, day, hour, min, sec int
	wday, yday                     int // yday from 1
}

func newBrokenTime(t time.Time) brokenTime {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return brokenTime{t: t, year: y, mon: int(m), day: d, hour: h, min: mi, sec: s,
		wday: int(t.Weekday()), yday: t.YearDay()}
}

func appendStrftime(dst []byte, layout string, t *brokenTime) []byte {
	for i := 0; i < len(layout); i++ {
		c := layout[i]
		if c != '%' {
			dst = append(dst, c)
			continue
		}
		start := i
		i++
		if i >= len(layout) {
			return append(dst, '%')
		}
		// flags
		var pad byte // 0: default, '-' none, '_' space, '0' zero
		upper := false
		for i < len(layout) {
			switch layout[i] {
			case '-', '_', '0':
				pad = layout[i]
				i++
				continue
			case '^':
				upper = true
				i++
				continue
			case '#':
				i++
				continue
			}
			break
		}
		width := -1
		for i < len(layout) && layout[i] >= '0' && layout[i] <= '9' {
			if width < 0 {
				width = 0
			}
			if width < 1024 {
				width = width*10 + int(layout[i]-'0')
			}
			i++
		}
		if i < len(layout) && (layout[i] == 'E' || layout[i] == 'O') {
			i++
		}
		if i >= len(layout) {
			return append(dst, layout[start:]...)
		}
		n := len(dst)
		var ok bool
		dst, ok = appendConversion(dst, layout[i], t, pad, width)
		if !ok {
			dst = append(dst[:n], layout[start:i+1]...)
			continue
		}
		if upper {
			for j := n; j < len(dst); j++ {
				if b := dst[j]; b >= 'a' && b <= 'z' {
					dst[j] = b - 'a' + 'A'
				}
			}
		}
	}
	return dst
}

// appendConversion writes one conversion; ok is false for an unknown one.
func appendConversion(dst []byte, c byte, t *brokenTime, pad byte, width int) ([]byte, bool) {
	num := func(v, w int, defPad byte) []byte {
		if width >= 0 {
			w = width
		}
		p := defPad
		switch pad {
		case '-':
			w = 0
		case '_':
			p = ' '
		case '0':
			p = '0'
		}
		return appendPadded(dst, int64(v), w, p)
	}
	str := func(s string) []byte {
		if pad != '-' {
			for k := len(s); k < width; k++ {
				if pad == '0' {
					dst = append(dst, '0')
				} else {
					dst = append(dst, ' ')
				}
			}
		}
		return append(dst, s...)
	}
	hour12 := t.hour % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		return str(shortDays[t.wday]), true
	case 'A':
		return str(longDays[t.wday]), true
	case 'b', 'h':
		return str(shortMonths[t.mon-1]), true
	case 'B':
		return str(longMonths[t.mon-1]), true
	case 'c':
		return appendStrftime(dst, "%a %b %e %H:%M:%S %Y", t), true
	case 'C':
		return num(t.year/100, 2, '0'), true
	case 'd':
		return num(t.day, 2, '0'), true
	case 'D', 'x':
		return appendStrftime(dst, "%m/%d/%y", t), true
	case 'e':
		return num(t.day, 2, ' '), true
	case 'F':
		return appendStrftime(dst, "%Y-%m-%d", t), true
	case 'g':
		y, _ := t.t.ISOWeek()
		return num(y%100, 2, '0'), true
	case 'G':
		y, _ := t.t.ISOWeek()
		return num(y, 1, '0'), true
	case 'H':
		return num(t.hour, 2, '0'), true
	case 'I':
		return num(hour12, 2, '0'), true
	case 'j':
		return num(t.yday, 3, '0'), true
	case 'k':
		return num(t.hour, 2, ' '), true
	case 'l':
		return num(hour12, 2, ' '), true
	case 'm':
		return num(t.mon, 2, '0'), true
	case 'M':
		return num(t.min, 2, '0'), true
	case 'n':
		return append(dst, '\n'), true
	case 't':
		return append(dst, '\t'), true
	case 'p':
		if t.hour < 12 {
			return str("AM"), true
		}
		return str("PM"), true
	case 'P':
		if t.hour < 12 {
			return str("am"), true
		}
		return str("pm"), true
	case 'r':
		return appendStrftime(dst, "%I:%M:%S %p", t), true
	case 'R':
		return appendStrftime(dst, "%H:%M", t), true
	case 's':
		return strconv.AppendInt(dst, t.t.Unix(), 10), true
	case 'S':
		return num(t.sec, 2, '0'), true
	case 'T', 'X':
		return appendStrftime(dst, "%H:%M:%S", t), true
	case 'u':
		wd := int(t.wday)
		if wd == 0 {
			wd = 7
		}
		return num(wd, 1, '0'), true
	case 'U':
		yd := t.yday - 1
		return num((yd+7-int(t.wday))/7, 2, '0'), true
	case 'V':
		_, w := t.t.ISOWeek()
		return num(w, 2, '0'), true
	case 'w':
		return num(int(t.wday), 1, '0'), true
	case 'W':
		yd := t.yday - 1
		return num((yd+7-(int(t.wday)+6)%7)/7, 2, '0'), true
	case 'y':
		y := t.year % 100
		if y < 0 {
			y = -y
		}
		return num(y, 2, '0'), true
	case 'Y':
		return num(t.year, 1, '0'), true
	case 'z':
		_, off := t.t.Zone()
		sign := byte('+')
		if off < 0 {
			sign = '-'
			off = -off
		}
		dst = append(dst, sign)
		dst = appendPadded(dst, int64(off/3600), 2, '0')
		return appendPadded(dst, int64(off%3600/60), 2, '0'), true
	case 'Z':
		name, _ := t.t.Zone()
		return str(name), true
	case '%':
		return append(dst, '%'), true
	}
	return dst, false
}

// appendPadded appends v in decimal, padded on the left with p to width w.
func appendPadded(dst []byte, v int64, w int, p byte) []byte {
	var buf [24]byte
	b := strconv.AppendInt(buf[:0], v, 10)
	neg := len(b) > 0 && b[0] == '-'
	if neg && p == '0' {
		dst = append(dst, '-')
		b = b[1:]
		w--
	}
	for k := len(b); k < w; k++ {
		dst = append(dst, p)
	}
	return append(dst, b...)
}
