package record

import (
	"log/slog"
	"testing"
)

// TestLevelNameTable checks that the table of the usual levels answers as
// the map does, for renamed, empty and unnamed levels alike.
func TestLevelNameTable(t *testing.T) {
	n := &levelNames{byLevel: map[Level]string{
		LevelNotSet: "NOTSET", LevelDebug: "DEBUG", LevelInfo: "", // named "" on purpose
		LevelWarning: "WARN", LevelCritical: "CRITICAL", 15: "FIFTEEN", 60: "SIXTY", -10: "MINUS",
	}}
	n.setStd()
	for l := Level(-20); l <= 70; l++ {
		want, wantOK := n.byLevel[l]
		if got, ok := n.name(l); got != want || ok != wantOK {
			t.Errorf("name(%d) = %q, %v; want %q, %v", l, got, ok, want, wantOK)
		}
	}
	for l, want := range map[Level]string{LevelWarning: "WARNING", 25: "Level 25", -5: "Level -5"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", l, got, want)
		}
		if got := string(l.AppendName([]byte("x"))); got != "x"+want {
			t.Errorf("Level(%d).AppendName = %q, want %q", l, got, "x"+want)
		}
	}
}

// slog's TRACE (-8) is LevelTrace, printed "TRACE", not NOTSET.
func TestTrace(t *testing.T) {
	for sl, want := range map[slog.Level]Level{slog.LevelDebug - 4: LevelTrace, slog.LevelDebug: LevelDebug, slog.LevelDebug - 8: LevelNotSet, slog.LevelError + 4: LevelCritical} {
		if got := FromSlog(sl); got != want {
			t.Errorf("FromSlog(%v) = %v, want %v", sl, got, want)
		}
		if back := want.Slog(); back != sl {
			t.Errorf("%v.Slog() = %v, want %v", want, back, sl)
		}
	}
	if s := FromSlog(slog.LevelDebug - 4).String(); s != "TRACE" {
		t.Errorf("TRACE prints %q", s)
	}
	if l, ok := ParseLevel("TRACE"); !ok || l != LevelTrace {
		t.Errorf("ParseLevel(TRACE) = %v, %v", l, ok)
	}
}

func TestParseLevelFold(t *testing.T) {
	for s, want := range map[string]Level{"debug": LevelDebug, "Warning": LevelWarning, "warn": LevelWarning, "trace": LevelTrace, "25": 25} {
		if l, ok := ParseLevelFold(s); !ok || l != want {
			t.Errorf("ParseLevelFold(%q) = %v, %v; want %v", s, l, ok, want)
		}
	}
	if _, ok := ParseLevelFold("loud"); ok {
		t.Error("ParseLevelFold(loud) succeeded")
	}
	if _, ok := ParseLevel("debug"); ok {
		t.Error("ParseLevel is no longer exact")
	}
}
