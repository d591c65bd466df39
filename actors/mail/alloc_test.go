package mail

import "testing"

// TestAllocations bounds the allocations of building a mail: a few for the
// lines, the date and the header words; none of them per byte.
func TestAllocations(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("allocation counts differ under the race detector")
	}
	var dst []byte
	body := []byte("2026-11-23 18:45:36,123 ERROR app.db connection lost\n")
	n := testing.AllocsPerRun(100, func() {
		dst = appendMessage(dst[:0], "Ops <ops@example.com>", "oncall@example.com", "ERROR in app.db", t0, body)
	})
	if n > 10 {
		t.Errorf("%v allocations to build a short mail, want at most 10", n)
	}
}
