//go:build !unix

package net

import stdnet "net"

// lossBytes returns defaultLossBytes where socket buffer sizes are not read.
func lossBytes(stdnet.Conn) int64 { return defaultLossBytes }
