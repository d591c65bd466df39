package file

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/optcheck"
)

// fields returns the field names of err's problems.
func fields(err error) []string {
	var out []string
	for _, f := range optcheck.Fields(err) {
		out = append(out, f.Field)
	}
	return out
}

// Validate collects every problem, each naming its Go field and wrapping
// ErrInvalidOptions.
func TestValidateCollectsAll(t *testing.T) {
	rot := func(string, string) error { return nil }
	for _, c := range []struct {
		name string
		err  error
		want []string
	}{
		{"Options", Options{Mode: "r", Encoding: "latin-1", Perm: 0o4644}.Validate(),
			[]string{"Filename", "Mode", "Encoding", "Perm"}},
		{"RotatingOptions", RotatingOptions{
			Options: Options{Mode: "x"}, MaxBytes: -1, BackupCount: -1, MaxAge: -1, Compress: true, Rotator: rot,
		}.Validate(), []string{"Filename", "Mode", "MaxBytes", "BackupCount", "MaxAge", "Compress"}},
		{"TimedOptions", TimedOptions{
			Options: Options{Mode: "w", Encoding: "ascii"}, When: "Y", Interval: -1, BackupCount: -1, AtTime: &TimeOfDay{Minute: 60},
		}.Validate(), []string{"Filename", "Encoding", "Mode", "When", "Interval", "BackupCount", "AtTime"}},
	} {
		if !errors.Is(c.err, ErrInvalidOptions) {
			t.Errorf("%s: %v does not wrap ErrInvalidOptions", c.name, c.err)
		}
		if got := fields(c.err); !slices.Equal(got, c.want) {
			t.Errorf("%s: fields %q, want %q\n%v", c.name, got, c.want, c.err)
		}
	}
	for _, err := range []error{
		Options{Filename: "x", Mode: "w", Encoding: "UTF-8", Perm: 0o600}.Validate(),
		Options{Filename: "x", Encoding: "utf_8"}.Validate(),
		RotatingOptions{Options: Options{Filename: "x"}, MaxBytes: math.MaxInt64, BackupCount: MaxBackupCount, MaxAge: math.MaxInt64}.Validate(),
		TimedOptions{Options: Options{Filename: "x", Mode: "a"}, When: "w6", AtTime: &TimeOfDay{23, 59, 59}, BackupCount: math.MaxInt}.Validate(),
	} {
		if err != nil {
			t.Errorf("valid options: %v", err)
		}
	}
}

// Issue 7: numbers a config can make huge are bounded by Validate, and the
// constructors return the error.
func TestValidateBounds(t *testing.T) {
	name := filepath.Join(t.TempDir(), "b.log")
	_, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 1, BackupCount: 1e12})
	if got := fields(err); !slices.Equal(got, []string{"BackupCount"}) || !strings.Contains(err.Error(), "at most 10000") {
		t.Errorf("BackupCount 1e12: %v", err)
	}
	for _, c := range []struct {
		when     string
		interval int
		ok       bool
	}{
		{"S", int(maxPeriod), true},
		{"S", int(maxPeriod) + 1, false},
		{"W0", int(maxPeriod / week), true},
		{"W0", int(maxPeriod/week) + 1, false},
		{"MIDNIGHT", math.MaxInt, false},
		{"H", 1e12, false},
	} {
		o := TimedOptions{Options: Options{Filename: name, Delay: true}, When: c.when, Interval: c.interval}
		tr, err := NewTimedRotating(o)
		if c.ok {
			if err != nil {
				t.Errorf("%s x %d: %v", c.when, c.interval, err)
				continue
			}
			if at := time.Unix(tr.rolloverAt, 0); !at.After(time.Now()) {
				t.Errorf("%s x %d: rollover at %v", c.when, c.interval, at)
			}
			tr.Close()
			continue
		}
		if got := fields(err); !slices.Equal(got, []string{"Interval"}) {
			t.Errorf("%s x %d: %v", c.when, c.interval, err)
		}
	}
	// A huge MaxAge deletes nothing and does not overflow.
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 1, BackupCount: 2, MaxAge: math.MaxInt64})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, r, "a")
	mustWrite(t, r, "b")
	mustWrite(t, r, "c")
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := dirFiles(t, filepath.Dir(name)); len(got) != 3 || got["b.log.2"] != "a\n" {
		t.Errorf("files %q", got)
	}
}

// The config tags name Python's parameters; every tagged field has a
// supported kind.
func TestConfigTags(t *testing.T) {
	want := map[string][]string{
		"Options":         {"filename", "mode", "encoding", "errors", "delay", "perm", "fsync"},
		"RotatingOptions": {"filename", "mode", "encoding", "errors", "delay", "perm", "fsync", "maxBytes", "backupCount", "compress", "maxAge"},
		"TimedOptions":    {"filename", "mode", "encoding", "errors", "delay", "perm", "fsync", "when", "interval", "utc", "atTime", "backupCount"},
	}
	for _, v := range []any{Options{}, RotatingOptions{}, TimedOptions{}} {
		typ := reflect.TypeOf(v)
		var got []string
		for _, f := range reflect.VisibleFields(typ) {
			if tag, ok := f.Tag.Lookup("config"); ok {
				got = append(got, tag)
			}
		}
		if !slices.Equal(got, want[typ.Name()]) {
			t.Errorf("%s: tags %q, want %q", typ.Name(), got, want[typ.Name()])
		}
	}
}

func TestTimeOfDayText(t *testing.T) {
	var at TimeOfDay
	if err := at.UnmarshalText([]byte("07:05")); err != nil || at != (TimeOfDay{7, 5, 0}) {
		t.Errorf("UnmarshalText = %v, %v", at, err)
	}
	if b, _ := at.MarshalText(); string(b) != "07:05:00" {
		t.Errorf("MarshalText = %q", b)
	}
	err := at.UnmarshalText([]byte("7 o'clock"))
	if got := fields(err); !slices.Equal(got, []string{"AtTime"}) || at != (TimeOfDay{7, 5, 0}) {
		t.Errorf("bad text: %v, %v", err, at)
	}
}

// The constructors return the options' errors naming the file, never panic.
func TestConstructorsWrapValidate(t *testing.T) {
	for _, err := range []error{
		func() error { _, err := New(Options{Filename: "q.log", Mode: "r"}); return err }(),
		func() error { _, err := NewWatched(Options{Filename: "q.log", Mode: "r"}); return err }(),
		func() error {
			_, err := NewRotating(RotatingOptions{Options: Options{Filename: "q.log"}, BackupCount: -1})
			return err
		}(),
		func() error {
			_, err := NewTimedRotating(TimedOptions{Options: Options{Filename: "q.log"}, When: "x"})
			return err
		}(),
	} {
		if errors.Is(err, ErrUnsupported) {
			continue
		}
		if !errors.Is(err, ErrInvalidOptions) || !strings.HasPrefix(err.Error(), `file "q.log": `) {
			t.Errorf("err = %v", err)
		}
	}
	if _, err := os.Stat("q.log"); err == nil {
		t.Error("an invalid sink created its file")
	}
}

// Python's errors argument is accepted by name; anything else is refused.
func TestErrorsOption(t *testing.T) {
	for _, v := range []string{"", "strict", "backslashreplace", "ignore"} {
		if err := (Options{Filename: "x", Errors: v}).Validate(); err != nil {
			t.Errorf("Errors %q: %v", v, err)
		}
	}
	if err := (Options{Filename: "x", Errors: "bogus"}).Validate(); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("Errors bogus: %v", err)
	}
}
