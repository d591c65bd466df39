package main

import (
	"net"
	"testing"
)

func TestServeStatsAddrNotLoopbackWarns(t *testing.T) {
	for _, c := range []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:9100", false}, {"[::1]:9100", false}, {"0.0.0.0:9100", true},
		{"[::]:9100", true}, {"192.0.2.7:9100", true},
	} {
		a, err := net.ResolveTCPAddr("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := !isLoopback(a); got != c.warn {
			t.Errorf("%s: warn %v, want %v", c.addr, got, c.warn)
		}
	}
}

func TestStatsServerTimeouts(t *testing.T) {
	srv := newStatsServer(nil)
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("stats server limits: ReadHeaderTimeout %v, ReadTimeout %v, WriteTimeout %v, IdleTimeout %v, MaxHeaderBytes %d",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
}
