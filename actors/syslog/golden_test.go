package syslog

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/oracle"
	"github.com/actorlog/actorlog/record"
)

//go:generate sh -c "/usr/bin/python3 testdata/gen_golden.py > testdata/golden.json"

// goldenCase is one case of testdata/golden.json: what Python's
// SysLogHandler sent over each transport.
type goldenCase struct {
	Name      string `json:"name"`
	Facility  string `json:"facility"`
	Ident     string `json:"ident"`
	AppendNul bool   `json:"append_nul"`
	Records   []struct {
		Level int    `json:"level"`
		Msg   string `json:"msg"`
	} `json:"records"`
	UDP  []string `json:"udp"`
	Unix []string `json:"unix"`
	TCP  []string `json:"tcp"`
}

func loadGolden(t *testing.T, data []byte) []goldenCase {
	t.Helper()
	var cases []goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	return cases
}

func (g goldenCase) options(addr Address, socktype string) Options {
	return Options{Address: addr, Socktype: socktype, Facility: g.Facility, Ident: g.Ident, NoAppendNul: !g.AppendNul}
}

func (g goldenCase) records() []record.Record {
	out := make([]record.Record, len(g.Records))
	for i, r := range g.Records {
		out[i] = record.Record{Time: time.Unix(1700000000, 0), Level: record.Level(r.Level), Message: r.Msg}
	}
	return out
}

func unhex(t *testing.T, hs []string) [][]byte {
	t.Helper()
	out := make([][]byte, len(hs))
	for i, h := range hs {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// Checklist 86-92, 95, 97: the bytes on the wire are Python's, byte for
// byte, over UDP, TCP and a Unix datagram socket.
func TestGoldenPythonBytes(t *testing.T) {
	data, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range loadGolden(t, data) {
		t.Run(g.Name, func(t *testing.T) {
			t.Run("udp", func(t *testing.T) {
				srv, err := net.ListenPacket("udp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer srv.Close()
				a, _ := ParseAddress(srv.LocalAddr().String())
				got := sendDatagrams(t, srv, g.options(a, ""), g.records())
				compare(t, got, unhex(t, g.UDP))
			})
			t.Run("unix", func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "log")
				srv, err := net.ListenPacket("unixgram", path)
				if err != nil {
					t.Fatal(err)
				}
				defer srv.Close()
				got := sendDatagrams(t, srv, g.options(Address{Path: path}, ""), g.records())
				compare(t, got, unhex(t, g.Unix))
			})
			t.Run("tcp", func(t *testing.T) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				a, _ := ParseAddress(ln.Addr().String())
				got := readConn(ln)
				s, err := New(g.options(a, "stream"))
				if err != nil {
					t.Fatal(err)
				}
				mustWrite(t, s, g.records()...)
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				compare(t, [][]byte{<-got}, unhex(t, g.TCP))
			})
		})
	}
}

func sendDatagrams(t *testing.T, srv net.PacketConn, o Options, recs []record.Record) [][]byte {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustWrite(t, s, recs...)
	out := make([][]byte, len(recs))
	buf := make([]byte, 65536)
	_ = srv.SetReadDeadline(time.Now().Add(10 * time.Second))
	for i := range out {
		n, _, err := srv.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = bytes.Clone(buf[:n])
	}
	return out
}

func compare(t *testing.T, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d messages, Python sent %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("message %d:\n got %q\nwant %q (Python)", i, got[i], want[i])
		}
	}
}

// The committed golden is what today's Python sends: the script is run
// live and its output compared.
func TestGoldenMatchesLivePython(t *testing.T) {
	py := oracle.NeedPython(t)
	out, err := exec.Command(py, "testdata/gen_golden.py").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Fatalf("testdata/golden.json is stale: go generate ./actors/syslog\nlive:\n%s", out)
	}
}
