//go:build linux

package file

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/internal/oracle"
)

const logrotate = oracle.Logrotate

// TestLogrotate runs the real logrotate 20 times while a goroutine keeps
// writing through a Watched sink. In "create" mode (rename, new file) no
// record is lost or duplicated; in "copytruncate" mode no NUL byte appears
// (the file is opened O_APPEND, so after the truncation writes start at 0).
func TestLogrotate(t *testing.T) {
	oracle.NeedProgram(t, logrotate)
	for _, mode := range []string{"create", "copytruncate"} {
		t.Run(mode, func(t *testing.T) { testLogrotate(t, mode) })
	}
}

func testLogrotate(t *testing.T, mode string) {
	dir := t.TempDir()
	name := filepath.Join(dir, "app.log")
	conf := filepath.Join(dir, "logrotate.conf")
	state := filepath.Join(dir, "state")
	cfg := fmt.Sprintf("%s {\n\trotate 100\n\t%s\n\tmissingok\n\tnocompress\n}\n", name, mode)
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := NewWatched(Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	progress := make(chan struct{}, 1)
	var wg sync.WaitGroup
	var written int
	var werr error
	wg.Go(func() {
		b := &actors.Batch{}
		for {
			select {
			case <-stop:
				return
			default:
			}
			b.Reset()
			for range 16 {
				b.Buf = fmt.Appendf(b.Buf, "seq %08d\n", written+b.Len())
				b.Ends = append(b.Ends, len(b.Buf))
			}
			n, err := w.WriteBatch(b)
			written += n
			if err != nil {
				werr = err
				return
			}
			select {
			case progress <- struct{}{}:
			default:
			}
		}
	})
	for i := range 20 {
		for range 3 { // let some batches through between rotations
			<-progress
		}
		out, err := exec.Command(logrotate, "-f", "-s", state, conf).CombinedOutput()
		if err != nil {
			close(stop)
			wg.Wait()
			w.Close()
			t.Fatalf("logrotate run %d: %v\n%s", i, err, out)
		}
	}
	<-progress
	close(stop)
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if werr != nil {
		t.Fatal("write:", werr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]int, written)
	where := make([][]string, written)
	files, tornByCopy := 0, 0
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "app.log") {
			continue
		}
		files++
		names = append(names, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.IndexByte(data, 0); i >= 0 {
			t.Fatalf("%s: NUL byte at offset %d", e.Name(), i)
		}
		lines := strings.SplitAfter(string(data), "\n")
		for i, line := range lines {
			s, ok := strings.CutPrefix(line, "seq ")
			s, whole := strings.CutSuffix(s, "\n")
			n, err := strconv.Atoi(s)
			if !ok || !whole || err != nil || n < 0 || n >= written {
				if line == "" && i == len(lines)-1 {
					continue
				}
				if mode == "copytruncate" && i == len(lines)-1 && e.Name() != "app.log" {
					// logrotate read the file while a write was going on:
					// the copy ends inside a record.
					tornByCopy++
					continue
				}
				t.Fatalf("%s: bad line %q", e.Name(), line)
			}
			seen[n]++
			where[n] = append(where[n], e.Name())
		}
	}
	// 21 files, and in create mode one more (app.log-DATE.backup) each time
	// logrotate found the file already created again by the sink.
	if files < 21 {
		t.Errorf("%d files, want 21: %q", files, names)
	}
	missing, dups := 0, 0
	for n, k := range seen {
		if k > 1 {
			if mode == "create" {
				t.Fatalf("record %d written %d times, in %q", n, k, where[n])
			}
			dups++ // a copy taken while the record was being written
		}
		if k == 0 {
			missing++
		}
	}
	switch mode {
	case "create":
		if missing != 0 {
			t.Errorf("%d of %d records lost", missing, written)
		}
	case "copytruncate":
		// Records written between the copy and the truncation are the
		// documented loss of copytruncate; measured, not asserted.
		t.Logf("copytruncate: %d of %d records lost between copy and truncate, %d copies ending inside a record, %d records in two files",
			missing, written, tornByCopy, dups)
	}
}
