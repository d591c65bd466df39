package record

import "testing"

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
