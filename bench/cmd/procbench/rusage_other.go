//go:build !unix

package main

import "os"

// maxRSSKiB is 0: the peak resident set size is not read on this system.
func maxRSSKiB(*os.ProcessState) int64 { return 0 }
