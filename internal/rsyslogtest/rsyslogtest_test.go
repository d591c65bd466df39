package rsyslogtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDaemon: a daemon with a UDP input and a file output starts, takes a
// message, stops, and starts again on the same config.
func TestDaemon(t *testing.T) {
	d := New(t)
	port := FreePort(t, "udp")
	out := filepath.Join(d.Dir, "out.log")
	d.Configure(t, fmt.Sprintf(`global(workDirectory=%q)
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="%d")
action(type="omfile" file=%q)
`, d.WorkDir, port, out))
	for round := range 2 {
		probe := fmt.Sprintf("probe%d", round)
		d.Start(t, func() bool {
			_ = SendRaw("udp", fmt.Sprint("127.0.0.1:", port), "<14>test: "+probe)
			b, _ := os.ReadFile(out)
			return strings.Contains(string(b), probe)
		})
		d.Stop()
	}
	d.Stop() // again: nothing
}
