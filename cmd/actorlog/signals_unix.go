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

// readyLine is what serve prints once it runs.
const readyLine = "ready: SIGINT or SIGTERM stops, SIGHUP reopens files"
