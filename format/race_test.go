//go:build race

package format

// raceEnabled is set when the tests run under the race detector, which makes
// allocation counts meaningless.
const raceEnabled = true
