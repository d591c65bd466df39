//go:build race

package actors

// RaceEnabled reports a -race build, where allocation budgets are not checked.
const RaceEnabled = true
