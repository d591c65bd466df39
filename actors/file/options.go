package file

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Errors returned by the constructors and the sinks. Each is wrapped with the
// path or the field it is about; test for them with errors.Is.
var (
	// ErrOption reports an option value that cannot work (a bad When, a
	// negative size, a Mode other than "a" or "w").
	ErrOption = errors.New("file: invalid option")
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

// Clock gives the current time. Rotation by time reads it once per batch.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// SyncPolicy says when a sink calls fsync on its own, besides Sync and Close.
type SyncPolicy int

const (
	// SyncNone leaves durability to explicit Sync calls and to Close.
	SyncNone SyncPolicy = iota
	// SyncBatch calls fsync after every WriteBatch, and fsyncs the directory
	// after a rollover creates or renames files.
	SyncBatch
)

// Options configures a File or a Watched sink, and is embedded in the options
// of the rotating sinks. Only Filename is required.
type Options struct {
	// Filename is the file to write. It is made absolute at construction
	// (Python's baseFilename).
	Filename string
	// Mode is "a" (append, the default; the file is opened O_APPEND) or "w"
	// (truncate when opened).
	Mode string
	// Delay defers opening (and creating) the file to the first batch.
	Delay bool
	// Perm is the permission of a file the sink creates; default 0644.
	Perm os.FileMode
	// Sync is the fsync policy; default SyncNone.
	Sync SyncPolicy
}

// TimeOfDay is a wall-clock time, Python's datetime.time for atTime.
type TimeOfDay struct {
	Hour, Minute, Second int
}

// ParseTimeOfDay parses "HH:MM" or "HH:MM:SS".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return TimeOfDay{t.Hour(), t.Minute(), t.Second()}, nil
		}
	}
	return TimeOfDay{}, fmt.Errorf("%w: AtTime %q is not HH:MM or HH:MM:SS", ErrOption, s)
}

func (t TimeOfDay) seconds() int64 { return int64(t.Hour*3600 + t.Minute*60 + t.Second) }

func (t TimeOfDay) valid() bool {
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 && t.Second >= 0 && t.Second < 60
}

// RotatingOptions configures a Rotating sink (Python's RotatingFileHandler).
type RotatingOptions struct {
	Options
	// MaxBytes is the size in bytes at which the file rolls over; 0 never
	// rolls. When it is above 0 the mode is always "a", as in Python.
	MaxBytes int64
	// BackupCount is how many old files (.1 to .BackupCount) are kept; 0
	// never renames anything, so the file grows past MaxBytes.
	BackupCount int
	// Namer maps a default backup name (base.N) to the name used; nil keeps
	// it. It must be deterministic and keep the number.
	Namer func(name string) string
	// Rotator moves the current file to its first backup name; nil renames.
	// Shifting older backups always renames.
	Rotator func(src, dst string) error
	// Compress gzips each backup (named with ".gz" after the Namer) on a
	// goroutine of its own, joined by Close. Not with a Rotator.
	Compress bool
	// MaxAge, when above 0, deletes backups whose modification time is older
	// than MaxAge at each rollover.
	MaxAge time.Duration
	// Clock gives the time for MaxAge; default the system clock.
	Clock Clock
}

// TimedOptions configures a TimedRotating sink (Python's
// TimedRotatingFileHandler). Mode must be empty or "a".
type TimedOptions struct {
	Options
	// When is the unit: "S", "M", "H", "D", "MIDNIGHT" or "W0" to "W6"
	// (Monday to Sunday), in any case; default "H".
	When string
	// Interval is how many units make one period; default 1.
	Interval int
	// UTC computes rollover times and names in UTC instead of Location.
	UTC bool
	// AtTime, for MIDNIGHT and W0-W6, is the time of day of the rollover;
	// nil means midnight at the end of the day.
	AtTime *TimeOfDay
	// Location is the local time zone; default time.Local.
	Location *time.Location
	// BackupCount is how many rotated files are kept; 0 keeps all.
	BackupCount int
	// Namer maps a default rotated name (base.SUFFIX) to the name used.
	Namer func(name string) string
	// Rotator moves the current file to its rotated name; nil renames.
	Rotator func(src, dst string) error
	// Clock gives the current time; default the system clock.
	Clock Clock
}

// prepare validates the common options and fills defaults.
func (o *Options) prepare() error {
	if o.Filename == "" {
		return fmt.Errorf("%w: Filename is empty", ErrOption)
	}
	abs, err := filepath.Abs(o.Filename)
	if err != nil {
		return fmt.Errorf("%w: Filename %q: %w", ErrOption, o.Filename, err)
	}
	o.Filename = abs
	switch o.Mode {
	case "":
		o.Mode = "a"
	case "a", "w":
	default:
		return fmt.Errorf("%w: Mode %q for %s: want \"a\" or \"w\"", ErrOption, o.Mode, abs)
	}
	if o.Perm == 0 {
		o.Perm = 0o644
	}
	if o.Sync != SyncNone && o.Sync != SyncBatch {
		return fmt.Errorf("%w: Sync %d for %s", ErrOption, o.Sync, abs)
	}
	return nil
}
