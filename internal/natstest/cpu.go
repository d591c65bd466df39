package natstest

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// CPUTime is the user and system CPU time the cluster's running servers
// have used so far, read from /proc (Linux; 0 elsewhere), for benchmarks
// that count every process's CPU per record. A node killed and restarted
// counts from its restart.
func (c *Cluster) CPUTime() time.Duration {
	var sum time.Duration
	for _, nd := range c.Nodes {
		if nd.cmd != nil {
			sum += procCPU(nd.cmd.Process.Pid)
		}
	}
	return sum
}

// procCPU reads utime and stime of process pid from /proc/<pid>/stat, in
// clock ticks of 10 ms (USER_HZ is 100 on every Linux platform Go runs on).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields
	// from the last ')'. utime and stime are fields 14 and 15 of the line,
	// so the 12th and 13th after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseUint(string(f[11]), 10, 64)
	s, _ := strconv.ParseUint(string(f[12]), 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}
