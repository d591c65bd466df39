package net

import (
	"os"
	"strconv"
	"strings"
	"sync"
)

// peerRcvBuf is the largest receive buffer Linux grows a TCP socket to
// (the third field of net.ipv4.tcp_rmem), read once; 6 MiB, the kernel's
// default, when it cannot be read.
var peerRcvBuf = sync.OnceValue(func() int64 {
	const def = 6 << 20
	b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_rmem")
	if err != nil {
		return def
	}
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return def
	}
	n, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return n
})
