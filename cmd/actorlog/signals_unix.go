//go:build unix

package main

import (
	"os"
	"syscall"
)

// stopSignals end serve and send.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// reopenSignals make serve reopen its files, as syslog daemons do after
// logrotate moved them.
var reopenSignals = []os.Signal{syscall.SIGHUP}
