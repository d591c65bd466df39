package file

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
)

const (
	day  = 86400
	week = 7 * day
)

// when is a parsed TimedOptions.When.
type when struct {
	name    string // upper case: S, M, H, D, MIDNIGHT, W0-W6
	unit    int64  // seconds
	layout  string // Go layout of Python's strftime suffix
	pattern string // the suffix pattern: 'd' is an ASCII digit
	weekday int    // for W0-W6, 0 is Monday
}

// parseWhen parses When; its error says what is wanted.
func parseWhen(s string) (when, error) {
	u := strings.ToUpper(s)
	switch u {
	case "S":
		return when{u, 1, "2006-01-02_15-04-05", "dddd-dd-dd_dd-dd-dd", 0}, nil
	case "M":
		return when{u, 60, "2006-01-02_15-04", "dddd-dd-dd_dd-dd", 0}, nil
	case "H", "":
		return when{"H", 3600, "2006-01-02_15", "dddd-dd-dd_dd", 0}, nil
	case "D", "MIDNIGHT":
		return when{u, day, "2006-01-02", "dddd-dd-dd", 0}, nil
	}
	if strings.HasPrefix(u, "W") && len(u) == 2 && u[1] >= '0' && u[1] <= '6' {
		return when{u, week, "2006-01-02", "dddd-dd-dd", int(u[1] - '0')}, nil
	}
	return when{}, fmt.Errorf("want S, M, H, D, MIDNIGHT or W0 to W6 (0 is Monday), got %q", s)
}

// TimedRotating is Python 3.14's TimedRotatingFileHandler as a Sink: at the
// end of each period the file is renamed to base.SUFFIX, the suffix being the
// start of the period (%Y-%m-%d_%H-%M-%S down to %Y-%m-%d, by When), and the
// oldest rotated files beyond BackupCount are deleted.
//
// The clock is read once per batch: a batch is written to one file.
type TimedRotating struct {
	c           *core
	w           when
	interval    int64 // seconds
	utc         bool
	atTime      *TimeOfDay
	loc         *time.Location
	backupCount int
	namer       func(string) string
	rotator     func(src, dst string) error
	clock       clock.Clock
	rolloverAt  int64
	name        []byte // scratch for the rotated name
}

var (
	_ actors.Sink     = (*TimedRotating)(nil)
	_ actors.Syncer   = (*TimedRotating)(nil)
	_ actors.Reopener = (*TimedRotating)(nil)
)

// NewTimedRotating validates o, opens (unless o.Delay) o.Filename and computes
// the first rollover time from the file's modification time if it exists,
// else from the clock: a file left by an earlier run may roll over at the
// first batch.
func NewTimedRotating(o TimedOptions) (*TimedRotating, error) {
	if err := o.Options.prepare(o.Validate); err != nil {
		return nil, err
	}
	w, _ := parseWhen(o.When) // checked by Validate
	if o.Interval == 0 {
		o.Interval = 1
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	t := &TimedRotating{
		c: newCore(o.Options), w: w, interval: w.unit * int64(o.Interval), utc: o.UTC,
		loc: o.Location, backupCount: o.BackupCount, namer: o.Namer,
		rotator: o.Rotator, clock: clock.Or(o.Clock),
	}
	if o.AtTime != nil {
		at := *o.AtTime
		t.atTime = &at
	}
	if err := t.c.start(); err != nil {
		return nil, err
	}
	start := t.clock.Now().Unix()
	if fi, err := os.Stat(t.c.path); err == nil {
		start = fi.ModTime().Unix()
	}
	t.rolloverAt = t.computeRollover(start)
	return t, nil
}

// Name returns the absolute path of the file.
func (t *TimedRotating) Name() string { return t.c.path }

func (t *TimedRotating) tm(sec int64) time.Time {
	if t.utc {
		return time.Unix(sec, 0).UTC()
	}
	return time.Unix(sec, 0).In(t.loc)
}

func (t *TimedRotating) isDST(sec int64) bool { return time.Unix(sec, 0).In(t.loc).IsDST() }

// computeRollover is Python 3.14's computeRollover(T).
func (t *TimedRotating) computeRollover(now int64) int64 {
	if t.w.name != "MIDNIGHT" && t.w.name[0] != 'W' {
		return now + t.interval
	}
	tm := t.tm(now)
	nowS := int64(tm.Hour()*3600 + tm.Minute()*60 + tm.Second())
	wday := (int(tm.Weekday()) + 6) % 7 // Monday is 0
	target := int64(day)
	if t.atTime != nil {
		target = t.atTime.seconds()
	}
	r := target - nowS
	if r <= 0 {
		r += day
		wday = (wday + 1) % 7
	}
	result := now + r
	if t.w.name[0] == 'W' {
		result += int64((t.w.weekday-wday+7)%7) * day
		result += t.interval - week
	} else {
		result += t.interval - day
	}
	if !t.utc {
		dstNow, dstAt := tm.IsDST(), t.isDST(result)
		if dstNow != dstAt {
			switch {
			case dstNow:
				result += 3600
			case t.isDST(result - 3600):
				result -= 3600
			}
		}
	}
	return result
}

// rotatedName is the name doRollover moves the file to: base.SUFFIX where
// SUFFIX is the start of the closed period, DST-corrected in local time as
// Python does, through the Namer.
func (t *TimedRotating) rotatedName(now int64) string {
	start := t.rolloverAt - t.interval
	tm := t.tm(start)
	if !t.utc {
		if dstNow := t.isDST(now); dstNow != tm.IsDST() {
			if dstNow {
				tm = t.tm(start + 3600)
			} else {
				tm = t.tm(start - 3600)
			}
		}
	}
	b := append(t.name[:0], t.c.path...)
	b = append(b, '.')
	b = tm.AppendFormat(b, t.w.layout)
	t.name = b
	name := string(b)
	if t.namer != nil {
		name = t.namer(name)
	}
	return name
}

// WriteBatch rolls over first if the clock has reached the rollover time,
// then writes the records of b with one write(2).
//
// A failed rollover leaves the records going to the current file: WriteBatch
// returns b.Len() with an error wrapping ErrRollover, and the next batch
// tries again.
func (t *TimedRotating) WriteBatch(b *actors.Batch) (int, error) {
	var rollErr error
	if now := t.clock.Now().Unix(); now >= t.rolloverAt {
		if fi, err := os.Stat(t.c.path); err == nil && !fi.Mode().IsRegular() {
			t.rolloverAt = t.computeRollover(now) // never roll /dev/null
		} else if err := t.doRollover(now); err != nil {
			rollErr = fmt.Errorf("%w: %s: %w", ErrRollover, t.c.path, err)
		}
	}
	n, err := t.c.write(b.Buf, b.Ends, 0)
	return n, errors.Join(err, rollErr)
}

// doRollover is Python 3.14's doRollover: if the target name exists, do
// nothing (rolloverAt unchanged, so every batch checks again); else close,
// rotate, delete the oldest files, reopen, and measure the next period from
// now.
func (t *TimedRotating) doRollover(now int64) error {
	dfn := t.rotatedName(now)
	if exists(dfn) {
		return nil
	}
	cerr := t.c.closeFile()
	err := rotate(t.rotator, t.c.path, dfn)
	if err == nil && t.backupCount > 0 {
		var old []string
		if old, err = t.filesToDelete(); err == nil {
			for _, name := range old {
				if rerr := os.Remove(name); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
					err = errors.Join(err, rerr)
				}
			}
		}
	}
	var oerr error
	if !t.c.delay {
		oerr = t.c.open()
	}
	if err == nil {
		t.c.syncDir()
	}
	if err := errors.Join(cerr, err, oerr); err != nil {
		return err // rolloverAt unchanged: the next batch tries again
	}
	t.rolloverAt = t.computeRollover(now)
	return nil
}

func (t *TimedRotating) filesToDelete() ([]string, error) {
	dir, base := filepath.Split(t.c.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return filesToDelete(dir, base, names, t.w.pattern, t.namer, t.backupCount), nil
}

// filesToDelete is Python 3.14's getFilesToDelete over a directory listing:
// without a namer, the names base.SUFFIX whose SUFFIX is exactly a date of
// the pattern; with one, the names some date inside them maps back to
// through the namer. If there are more than backupCount, the smallest full
// paths beyond backupCount are returned.
func filesToDelete(dir, base string, names []string, pattern string, namer func(string) string, backupCount int) []string {
	var result []string
	full := filepath.Join(dir, base)
	if namer == nil {
		prefix := base + "."
		for _, name := range names {
			if suffix, ok := strings.CutPrefix(name, prefix); ok && len(suffix) == len(pattern) && matchAt(suffix, 0, pattern) {
				result = append(result, filepath.Join(dir, name))
			}
		}
	} else {
		for _, name := range names {
			for i := search(name, 0, pattern); i >= 0; i = search(name, i+1, pattern) {
				if filepath.Base(namer(full+"."+name[i:i+len(pattern)])) == name {
					result = append(result, filepath.Join(dir, name))
					break
				}
			}
		}
	}
	if len(result) < backupCount {
		return nil
	}
	slices.Sort(result)
	return result[:len(result)-backupCount]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// matchAt reports whether pattern matches s at i ('d' an ASCII digit, other
// bytes themselves), not preceded or followed by a digit: Python's
// (?<!\d)...(?!\d) with re.ASCII.
func matchAt(s string, i int, pattern string) bool {
	if len(s)-i < len(pattern) || (i > 0 && isDigit(s[i-1])) {
		return false
	}
	for j := 0; j < len(pattern); j++ {
		c := s[i+j]
		if pattern[j] == 'd' {
			if !isDigit(c) {
				return false
			}
		} else if c != pattern[j] {
			return false
		}
	}
	end := i + len(pattern)
	return end == len(s) || !isDigit(s[end])
}

// search returns the first index at or after from where pattern matches, or
// -1: Python's extMatch.search(s, from).
func search(s string, from int, pattern string) int {
	for i := from; i+len(pattern) <= len(s); i++ {
		if matchAt(s, i, pattern) {
			return i
		}
	}
	return -1
}

// Sync fsyncs the file.
func (t *TimedRotating) Sync() error { return t.c.Sync() }

// Reopen closes and opens the file again.
func (t *TimedRotating) Reopen() error { return t.c.Reopen() }

// Close closes the file.
func (t *TimedRotating) Close() error { return t.c.Close() }
