package record

import (
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Level is a record's severity in Python's numbering: DEBUG 10, INFO 20,
// WARNING 30, ERROR 40, CRITICAL 50. Any other integer is a valid custom level;
// AddLevelName gives it a name.
type Level int

// The levels Python's logging module defines.
const (
	LevelNotSet   Level = 0
	LevelDebug    Level = 10
	LevelInfo     Level = 20
	LevelWarning  Level = 30
	LevelError    Level = 40
	LevelCritical Level = 50
	// LevelTrace is slog's customary TRACE (slog.LevelDebug-4, -8), named
	// "TRACE" as Python libraries that add the level name it
	// (logging.addLevelName(5, "TRACE")). Python's logging has no level 5
	// of its own; it prints "Level 5" where actorlog prints "TRACE".
	LevelTrace Level = 5
)

// levelNames is replaced whole on every AddLevelName, so readers take no lock.
type levelNames struct {
	byLevel map[Level]string
	byName  map[string]Level
	// std holds byLevel's names of 0, 10, ... 50 (at l/10), so that the
	// usual levels are named without a map lookup; "" where byLevel has none.
	std [6]string
}

// setStd fills n.std from n.byLevel.
func (n *levelNames) setStd() {
	for i := range n.std {
		n.std[i] = n.byLevel[Level(i*10)]
	}
}

// name returns l's registered name.
func (n *levelNames) name(l Level) (string, bool) {
	if l >= 0 && l <= LevelCritical && l%10 == 0 {
		if s := n.std[l/10]; s != "" {
			return s, true
		}
	}
	s, ok := n.byLevel[l]
	return s, ok
}

var (
	namesMu sync.Mutex // serialises writers of names
	names   atomic.Pointer[levelNames]
)

func init() {
	n := &levelNames{byLevel: map[Level]string{}, byName: map[string]Level{}}
	for l, s := range map[Level]string{
		LevelNotSet: "NOTSET", LevelDebug: "DEBUG", LevelInfo: "INFO",
		LevelWarning: "WARNING", LevelError: "ERROR", LevelCritical: "CRITICAL",
		LevelTrace: "TRACE",
	} {
		n.byLevel[l] = s
		n.byName[s] = l
	}
	// Python accepts these aliases by name but never prints them.
	n.byName["WARN"] = LevelWarning
	n.byName["FATAL"] = LevelCritical
	n.setStd()
	names.Store(n)
}

// AddLevelName associates name with level, as Python's logging.addLevelName does:
// the level prints as name, and name is accepted wherever a level is parsed.
// It is meant for program start-up; it is safe to call at any time.
func AddLevelName(level Level, name string) {
	namesMu.Lock()
	defer namesMu.Unlock()
	old := names.Load()
	n := &levelNames{byLevel: make(map[Level]string, len(old.byLevel)+1), byName: make(map[string]Level, len(old.byName)+1)}
	for k, v := range old.byLevel {
		n.byLevel[k] = v
	}
	for k, v := range old.byName {
		n.byName[k] = v
	}
	n.byLevel[level] = name
	n.byName[name] = level
	n.setStd()
	names.Store(n)
}

// String returns the level's registered name, or "Level N" as Python's
// getLevelName does for a level with no name.
func (l Level) String() string {
	if s, ok := names.Load().name(l); ok {
		return s
	}
	return "Level " + strconv.Itoa(int(l))
}

// AppendName appends the level's name to dst without allocating for named levels.
func (l Level) AppendName(dst []byte) []byte {
	if s, ok := names.Load().name(l); ok {
		return append(dst, s...)
	}
	return strconv.AppendInt(append(dst, "Level "...), int64(l), 10)
}

// ParseLevel returns the level for a registered name ("INFO", a name given to
// AddLevelName) or a decimal number ("25"), as Python's _checkLevel accepts.
// Names are matched exactly, as Python does.
func ParseLevel(s string) (Level, bool) {
	if l, ok := names.Load().byName[s]; ok {
		return l, true
	}
	if n, err := strconv.Atoi(s); err == nil {
		return Level(n), true
	}
	return 0, false
}

// ParseLevelFold is ParseLevel with names matched in any case ("debug",
// "Warning", "warn"), for where Go users type levels: command-line flags and
// environment variables. Configs keep Python's exact names (ParseLevel).
func ParseLevelFold(s string) (Level, bool) {
	if l, ok := ParseLevel(s); ok {
		return l, true
	}
	n := names.Load()
	for name, l := range n.byName {
		if strings.EqualFold(name, s) {
			return l, true
		}
	}
	return 0, false
}

// FromSlog maps a slog level onto Python's scale: slog's Debug (-4), Info (0),
// Warn (4) and Error (8) become 10, 20, 30 and 40, and each slog step of 1 is
// 2.5 Python steps (rounded towards zero), so Error+4 is CRITICAL (50).
//
// Below Debug each slog step is 1.25 Python steps, so that slog's customary
// TRACE (Debug-4, -8) is LevelTrace (5), between Python's DEBUG and NOTSET,
// rather than NOTSET (0), which Python reserves for "no level set".
func FromSlog(l slog.Level) Level {
	if l < slog.LevelDebug {
		return LevelDebug + Level((int(l)-int(slog.LevelDebug))*5/4)
	}
	return LevelInfo + Level(int(l)*5/2)
}

// Slog maps the level onto slog's scale; it inverts FromSlog for the five named
// levels and TRACE, and rounds towards zero in between.
func (l Level) Slog() slog.Level {
	if l < LevelDebug {
		return slog.LevelDebug + slog.Level((int(l)-int(LevelDebug))*4/5)
	}
	return slog.Level((int(l) - int(LevelInfo)) * 2 / 5)
}
