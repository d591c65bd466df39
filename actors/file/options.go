package file

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
)

// Errors returned by the constructors and the sinks. Each is wrapped with the
// path or the field it is about; test for them with errors.Is.
var (
	// ErrInvalidOptions reports option values that cannot work (a bad When,
	// a negative size, a Mode other than "a" or "w"). Validate joins one
	// error per problem, each naming its field.
	ErrInvalidOptions = errors.New("file: invalid options")
	// ErrClosed is returned by WriteBatch of a sink in mode "w" after Close:
	// as Python's FileHandler (bpo-42378), the file is not truncated a second
	// time and the records are dropped.
	ErrClosed = errors.New("file: sink closed")
	// ErrSync reports a failed fsync. The file descriptor is closed and the
	// next batch reopens the file: a failed fsync is never retried and
	// reported as a success (Linux may already have dropped the dirty pages).
	ErrSync = errors.New("file: fsync failed")
	// ErrRollover reports a failed rollover (a rename, the namer's target,
	// the rotator). The records still went to the current file.
	ErrRollover = errors.New("file: rollover failed")
	// ErrUnsupported is returned by NewWatched where device and inode numbers
	// do not exist (Windows). It wraps errors.ErrUnsupported.
	ErrUnsupported = fmt.Errorf("file: watched files need device and inode numbers: %w", errors.ErrUnsupported)
)

// Options configures a File or a Watched sink, and is embedded in the options
// of the rotating sinks. Only Filename is required.
//
// The config tags name the keys of Python's dictConfig (and actorlog's own
// keys perm and fsync) that set each field.
type Options struct {
	// Filename is the file to write. It is made absolute at construction
	// (Python's baseFilename).
	Filename string `config:"filename"`
	// Mode is "a" (append, the default; the file is opened O_APPEND) or "w"
	// (truncate when opened).
	Mode string `config:"mode"`
	// Encoding is accepted for Python's sake: records are always written in
	// UTF-8, so it must be empty or a name of UTF-8 ("utf-8", "utf8",
	// "utf_8", in any case).
	Encoding string `config:"encoding"`
	// Errors is accepted for Python's sake (open's errors argument, a key
	// of Python's file handlers since 3.9): records are written as the bytes
	// they hold, so invalid UTF-8 in a message reaches the file unchanged
	// whatever it says. It must be empty or one of Python's error handlers
	// (strict, ignore, replace, backslashreplace, surrogateescape,
	// surrogatepass, xmlcharrefreplace, namereplace).
	Errors string `config:"errors"`
	// Delay defers opening (and creating) the file to the first batch.
	Delay bool `config:"delay"`
	// Perm is the permission of a file the sink creates, permission bits
	// only (at most 0777); 0 means 0644.
	Perm os.FileMode `config:"perm"`
	// Fsync calls fsync after every batch, and fsyncs the directory after a
	// file is created or a rollover renames files. Without it, durability
	// is left to Sync and Close.
	Fsync bool `config:"fsync"`
}

// TimeOfDay is a wall-clock time, Python's datetime.time for atTime.
type TimeOfDay struct {
	Hour, Minute, Second int
}

// ParseTimeOfDay parses "HH:MM" or "HH:MM:SS". Its error wraps
// ErrInvalidOptions and names the field AtTime.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return TimeOfDay{t.Hour(), t.Minute(), t.Second()}, nil
		}
	}
	p := optcheck.New(ErrInvalidOptions)
	p.Addf("AtTime", "%q is not HH:MM or HH:MM:SS", s)
	return TimeOfDay{}, p.Err()
}

// String returns the time as "HH:MM:SS".
func (t TimeOfDay) String() string {
	return fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second)
}

// MarshalText returns String's text.
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText parses "HH:MM" or "HH:MM:SS", as ParseTimeOfDay.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

func (t TimeOfDay) seconds() int64 { return int64(t.Hour*3600 + t.Minute*60 + t.Second) }

func (t TimeOfDay) valid() bool {
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 && t.Second >= 0 && t.Second < 60
}

// MaxBackupCount is the largest RotatingOptions.BackupCount. Each rollover
// looks for every backup from BackupCount down to 1 (Python's renaming
// order), so the count is bounded: a count of 1e12 would hang the first
// rollover.
const MaxBackupCount = 10000

// maxPeriod is the longest TimedRotating period in seconds: the longest
// time.Duration.
const maxPeriod = math.MaxInt64 / int64(time.Second)

// RotatingOptions configures a Rotating sink (Python's RotatingFileHandler).
type RotatingOptions struct {
	Options
	// MaxBytes is the size in bytes at which the file rolls over; 0 never
	// rolls. When it is above 0 the mode is always "a", as in Python. Any
	// size is safe: a size no file reaches never rolls over.
	MaxBytes int64 `config:"maxBytes"`
	// BackupCount is how many old files (.1 to .BackupCount) are kept, at
	// most MaxBackupCount; 0 never renames anything, so the file grows past
	// MaxBytes.
	BackupCount int `config:"backupCount"`
	// Compress gzips each backup (named with ".gz" after the Namer) on a
	// goroutine of its own, joined by Close. Not with a Rotator.
	Compress bool `config:"compress"`
	// MaxAge, when above 0, deletes backups whose modification time is older
	// than MaxAge at each rollover. Any duration is safe: one reaching back
	// before the oldest time deletes nothing.
	MaxAge time.Duration `config:"maxAge"`
	// Namer maps a default backup name (base.N) to the name used; nil keeps
	// it. It must be deterministic and keep the number.
	Namer func(name string) string
	// Rotator moves the current file to its first backup name; nil renames.
	// Shifting older backups always renames.
	Rotator func(src, dst string) error
	// Clock gives the time for MaxAge; nil means clock.System().
	Clock clock.Clock
}

// TimedOptions configures a TimedRotating sink (Python's
// TimedRotatingFileHandler). Mode must be empty or "a".
type TimedOptions struct {
	Options
	// When is the unit: "S", "M", "H", "D", "MIDNIGHT" or "W0" to "W6"
	// (Monday to Sunday), in any case; default "H".
	When string `config:"when"`
	// Interval is how many units make one period; 0 means 1. The period
	// (Interval times the unit) must fit a time.Duration: at most about
	// 292 years.
	Interval int `config:"interval"`
	// UTC computes rollover times and names in UTC instead of Location.
	UTC bool `config:"utc"`
	// AtTime, for MIDNIGHT and W0-W6, is the time of day of the rollover;
	// nil means midnight at the end of the day.
	AtTime *TimeOfDay `config:"atTime"`
	// BackupCount is how many rotated files are kept; 0 keeps all. Any
	// count is safe: the files to delete are found by listing the
	// directory.
	BackupCount int `config:"backupCount"`
	// Location is the local time zone; nil means time.Local.
	Location *time.Location
	// Namer maps a default rotated name (base.SUFFIX) to the name used.
	Namer func(name string) string
	// Rotator moves the current file to its rotated name; nil renames.
	Rotator func(src, dst string) error
	// Clock gives the current time; nil means clock.System().
	Clock clock.Clock
}

// Validate reports every problem of o, each an error wrapping
// ErrInvalidOptions that names its field. New and NewWatched call it.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	o.check(p)
	return p.Err()
}

// Validate reports every problem of o, the embedded Options' included.
// NewRotating calls it.
func (o RotatingOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	o.Options.check(p)
	if o.MaxBytes < 0 {
		p.Addf("MaxBytes", "must not be negative (got %d)", o.MaxBytes)
	}
	switch {
	case o.BackupCount < 0:
		p.Addf("BackupCount", "must not be negative (got %d)", o.BackupCount)
	case o.BackupCount > MaxBackupCount:
		p.Addf("BackupCount", "must be at most %d (got %d)", MaxBackupCount, o.BackupCount)
	}
	if o.MaxAge < 0 {
		p.Addf("MaxAge", "must not be negative (got %v)", o.MaxAge)
	}
	if o.Compress && o.Rotator != nil {
		p.Addf("Compress", "cannot be used with a Rotator: choose one")
	}
	return p.Err()
}

// Validate reports every problem of o, the embedded Options' included.
// NewTimedRotating calls it.
func (o TimedOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	o.Options.check(p)
	if o.Mode == "w" {
		p.Addf("Mode", `"w" cannot be used: a timed rotating file is always appended to`)
	}
	w, err := parseWhen(o.When)
	if err != nil {
		p.Addf("When", "%v", err)
	}
	switch {
	case o.Interval < 0:
		p.Addf("Interval", "must not be negative (got %d)", o.Interval)
	case err == nil && int64(o.Interval) > maxPeriod/w.unit:
		p.Addf("Interval", "%d units of %s make a period longer than %d seconds (about 292 years)", o.Interval, w.name, maxPeriod)
	}
	if o.BackupCount < 0 {
		p.Addf("BackupCount", "must not be negative (got %d)", o.BackupCount)
	}
	if o.AtTime != nil && !o.AtTime.valid() {
		p.Addf("AtTime", "%02d:%02d:%02d is not a time of day", o.AtTime.Hour, o.AtTime.Minute, o.AtTime.Second)
	}
	return p.Err()
}

// check adds the problems of the common options to p.
func (o Options) check(p *optcheck.Errors) {
	if o.Filename == "" {
		p.Addf("Filename", "must not be empty")
	}
	switch o.Mode {
	case "", "a", "w":
	default:
		p.Addf("Mode", `want "a" or "w", got %q`, o.Mode)
	}
	switch strings.ToLower(o.Encoding) {
	case "", "utf-8", "utf8", "utf_8":
	default:
		p.Addf("Encoding", "%q is not supported: files are written in UTF-8", o.Encoding)
	}
	switch o.Errors {
	case "", "strict", "ignore", "replace", "backslashreplace", "surrogateescape", "surrogatepass", "xmlcharrefreplace", "namereplace":
	default:
		p.Addf("Errors", "unknown error handler %q (want one of Python's: strict, ignore, replace, backslashreplace...)", o.Errors)
	}
	if o.Perm&^os.ModePerm != 0 {
		p.Addf("Perm", "want permission bits only (at most 0777), got %#o", uint32(o.Perm))
	}
}

// prepare validates the options with validate (the Validate of the options
// that embed them), makes the filename absolute and fills the defaults. Its
// error names the file.
func (o *Options) prepare(validate func() error) error {
	if err := validate(); err != nil {
		return fmt.Errorf("file %q: %w", o.Filename, err)
	}
	abs, err := filepath.Abs(o.Filename)
	if err != nil {
		return fmt.Errorf("file %q: %w", o.Filename, err)
	}
	o.Filename = abs
	if o.Mode == "" {
		o.Mode = "a"
	}
	if o.Perm == 0 {
		o.Perm = 0o644
	}
	return nil
}
