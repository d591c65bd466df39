// Package testio holds the io helpers tests share. It is for tests only.
package testio

import (
	"bytes"
	"sync"
)

// SyncBuffer is a bytes.Buffer that a test may read while a handler, an
// engine's error output or another goroutine writes to it. The zero
// SyncBuffer is empty and ready to use.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p to the buffer.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
