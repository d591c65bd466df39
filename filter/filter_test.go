package filter

import (
	"testing"

	"github.com/actorlog/actorlog/record"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestName(t *testing.T) {
	// CPython's BasicFilterTest: "spam.eggs" passes spam.eggs and
	// spam.eggs.fish, not spam or spam.bakedbeans or spam.eggsy.
	f := Name("spam.eggs")
	for logger, want := range map[string]bool{
		"spam": false, "spam.eggs": true, "spam.eggs.fish": true, "spam.bakedbeans": false,
		"spam.eggsy": false, "": false, "spam.eggs.": true,
	} {
		if got := f.Filter(&record.Record{Logger: logger}); got != want {
			t.Errorf("Name(spam.eggs) on %q = %v, want %v", logger, got, want)
		}
	}
	if !Name("").Filter(&record.Record{Logger: "anything"}) {
		t.Error("empty name must pass everything")
	}
}

func TestLevelAndAll(t *testing.T) {
	f := Level{Min: record.LevelInfo, Max: record.LevelError}
	for l, want := range map[record.Level]bool{10: false, 20: true, 40: true, 50: false} {
		if got := f.Filter(&record.Record{Level: l}); got != want {
			t.Errorf("level %d: %v", l, got)
		}
	}
	odd := Func(func(r *record.Record) bool { return r.Level%2 == 1 })
	fs := []Filter{Level{Min: 20}, odd}
	if All(fs, &record.Record{Level: 21}) != true || All(fs, &record.Record{Level: 22}) || All(fs, &record.Record{Level: 11}) {
		t.Error("All does not combine filters")
	}
	if !All(nil, &record.Record{}) {
		t.Error("no filters must pass")
	}
}

// Python's root logger is named "root": Filter("root") passes its records.
func TestNameRoot(t *testing.T) {
	f := Name("root")
	for logger, want := range map[string]bool{"": true, "root": true, "root.x": true, "app": false, "rooted": false} {
		if got := f.Filter(&record.Record{Logger: logger}); got != want {
			t.Errorf("Name(root) on %q = %v, want %v", logger, got, want)
		}
	}
	if Name("app").Filter(&record.Record{}) {
		t.Error("Name(app) passed a root record")
	}
}
