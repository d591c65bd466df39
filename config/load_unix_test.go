//go:build unix

package config

import (
	"errors"
	"os"
	"testing"

	"github.com/actorlog/actorlog/internal/testfs"
)

// Load of an endless stream (as --config /dev/zero) stops after MaxSize+1
// bytes with an error, instead of growing without end.
func TestLoadEndlessStream(t *testing.T) {
	fifo := testfs.FIFO(t, t.TempDir(), "zero")
	written := make(chan int64, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			written <- -1
			return
		}
		defer f.Close()
		buf := make([]byte, 64<<10)
		var n int64
		for { // until the reader closes its end (EPIPE)
			m, err := f.Write(buf)
			n += int64(m)
			if err != nil {
				written <- n
				return
			}
		}
	}()
	_, err := Load(fifo)
	if err == nil || err.Error() != fifo+": config file is larger than 4 MiB" || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	if n := <-written; n < MaxSize || n > MaxSize+1<<20 {
		t.Errorf("the writer wrote %d bytes before the reader stopped", n)
	}
}
