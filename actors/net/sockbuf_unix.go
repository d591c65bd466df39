//go:build unix

package net

import (
	stdnet "net"
	"syscall"
)

// lossSlack is added to the socket buffers when bounding a loss: what the
// peer may have read and not yet handled.
const lossSlack = 256 << 10

// lossBytes returns how many bytes of frames may sit between this program
// and the peer's: the connection's send buffer, the peer's receive buffer
// (which the kernel grows, up to peerRcvBuf, as data flows), and lossSlack.
func lossBytes(c stdnet.Conn) int64 {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return defaultLossBytes
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return defaultLossBytes
	}
	var snd, rcv int
	_ = raw.Control(func(fd uintptr) {
		snd, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF)
		rcv, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
	})
	if snd <= 0 {
		return defaultLossBytes
	}
	return int64(snd) + max(int64(rcv), peerRcvBuf()) + lossSlack
}
