//go:build !race

package record

// raceEnabled is true when the tests run under -race, which makes
// allocation counts meaningless.
const raceEnabled = false
