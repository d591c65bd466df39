package file

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// compressor gzips one backup at a time on a goroutine of its own. The sink
// waits for the previous job before the next rollover (so the renaming order
// holds) and on Close, so no goroutine outlives the sink.
type compressor struct {
	done chan struct{} // closed when the running job ends; nil when idle
	err  error         // the finished job's error, not yet reported
}

// start compresses src into dst (then removes src) on a new goroutine, or
// right here when inline is set (after Close).
func (z *compressor) start(src, dst string, perm os.FileMode, inline bool) {
	if inline {
		z.err = errors.Join(z.err, gzipFile(src, dst, perm))
		return
	}
	done := make(chan struct{})
	z.done = done
	go func() {
		defer close(done)
		if err := gzipFile(src, dst, perm); err != nil {
			z.err = err // read only after <-done
		}
	}()
}

// wait joins the running job and returns (and forgets) its error.
func (z *compressor) wait() error {
	if z.done != nil {
		<-z.done
		z.done = nil
	}
	err := z.err
	z.err = nil
	return err
}

// gzipFile writes dst atomically (a temporary file renamed into place, never
// a half-written archive under the final name), keeps src's modification
// time, and removes src.
func gzipFile(src, dst string, perm os.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // a delayed file never created: nothing to compress
		}
		return fmt.Errorf("compress %s: %w", src, err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fmt.Errorf("compress %s: %w", src, err)
	}
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return fmt.Errorf("compress %s: %w", src, err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	zw := gzip.NewWriter(out)
	_, err = io.Copy(zw, in)
	err = errors.Join(err, zw.Close())
	if err == nil {
		err = out.Sync()
	}
	err = errors.Join(err, out.Close())
	if err == nil {
		_ = os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
		err = os.Rename(tmp, dst)
	}
	if err == nil {
		err = os.Remove(src)
	}
	if err != nil {
		return fmt.Errorf("compress %s to %s: %w", src, dst, err)
	}
	return nil
}
