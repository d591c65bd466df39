//go:build unix

package format

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) this process has used so far:
// on a busy machine it moves less than the wall time with what else runs.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
