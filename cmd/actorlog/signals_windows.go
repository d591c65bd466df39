package main

import (
	"os"
	"syscall"
)

// stopSignals end serve and send: Ctrl-C, and Go's SIGTERM for the
// console's close, logoff and shutdown events.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// reopenSignals is empty: Windows has no SIGHUP, so serve never reopens.
var reopenSignals []os.Signal

// readyLine is what serve prints once it runs.
const readyLine = "ready: Ctrl-C stops"
