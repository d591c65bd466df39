//go:build unix && !linux

package net

// peerRcvBuf is the receive buffer assumed at the peer where the kernel's
// bound is not read: 6 MiB, Linux's default bound.
func peerRcvBuf() int64 { return 6 << 20 }
