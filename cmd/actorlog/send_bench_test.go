package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkSend runs send in this process as `actorlog send --config
// CONFIG --count N "hello there"` into a JSON FileHandler, N = b.N: the
// command's own path, for a CPU profile of what bench/'s procbench times
// as processes. cpu-ns/op is the process's CPU time (user + system) per
// record, on every goroutine:
//
//	go test -run '^$' -bench Send -benchtime 1000000x -cpuprofile cpu.out ./cmd/actorlog
func BenchmarkSend(b *testing.B) {
	dir := b.TempDir()
	cfg := filepath.Join(dir, "file.json")
	conf := `{"version": 1, "formatters": {"json": {"class": "json"}},
 "handlers": {"file": {"class": "FileHandler", "filename": "` + filepath.ToSlash(filepath.Join(dir, "out.log")) + `", "formatter": "json"}},
 "root": {"level": "INFO", "handlers": ["file"]}}`
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0, ok := processCPU()
	if code := send([]string{"--config", cfg, "--count", strconv.Itoa(b.N), "hello there"}, nil, io.Discard, io.Discard); code != exitOK {
		b.Fatalf("send: status %d", code)
	}
	if cpu1, ok1 := processCPU(); ok && ok1 {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
