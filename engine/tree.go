package engine

import (
	"slices"
	"strings"
)

// This file reads the logger hierarchy, for tools that show it (the
// `actorlog check` tree). Nothing here changes the engine.

// Loggers returns every logger the engine has made, the root first, each
// followed by its subtree: sorted by name with '.' ordering before any
// other character, so "a", "a.b", "ab".
func (e *Engine) Loggers() []*Logger {
	e.mu.Lock()
	out := make([]*Logger, 0, len(e.loggers))
	for _, l := range e.loggers {
		out = append(out, l)
	}
	e.mu.Unlock()
	slices.SortFunc(out, func(a, b *Logger) int {
		return strings.Compare(treeKey(a.name), treeKey(b.name))
	})
	return out
}

// treeKey orders dotted names so that each subtree follows its parent.
func treeKey(name string) string { return strings.ReplaceAll(name, ".", "\x00") }

// Parent returns the logger's nearest existing ancestor: the root for a
// top-level name, nil for the root. As in Python, "a.b.c" hangs under "a"
// while no logger "a.b" exists.
func (l *Logger) Parent() *Logger {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	return l.parent
}

// Handlers returns the handlers attached to this logger itself, in the
// order they were added.
func (l *Logger) Handlers() []*Handler {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	return slices.Clone(l.handlers)
}

// Propagate reports whether records go on to the parent's handlers.
func (l *Logger) Propagate() bool {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	return l.propagate
}

// Reached returns the handlers a record logged here reaches: the logger's
// own, then its ancestors' as long as propagate holds, in Python's order.
func (l *Logger) Reached() []*Handler { return slices.Clone(l.state.Load().handlers) }
