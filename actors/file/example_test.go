package file_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
)

// batch formats lines as a handler actor does, each ending in "\n".
func batch(lines ...string) *actors.Batch {
	b := &actors.Batch{}
	for _, l := range lines {
		b.Buf = append(append(b.Buf, l...), '\n')
		b.Ends = append(b.Ends, len(b.Buf))
	}
	return b
}

func list(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fmt.Printf("%s: %q\n", e.Name(), data)
	}
}

func ExampleNew() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	f, err := file.New(file.Options{Filename: filepath.Join(dir, "app.log")})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := f.WriteBatch(batch("first", "second"))
	fmt.Println(n, err)
	f.Close()
	list(dir)
	// Output:
	// 2 <nil>
	// app.log: "first\nsecond\n"
}

func ExampleNewWatched() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "app.log")

	w, err := file.NewWatched(file.Options{Filename: name})
	if err != nil {
		fmt.Println(err)
		return
	}
	w.WriteBatch(batch("before"))
	os.Rename(name, name+".1") // logrotate's "create" mode
	w.WriteBatch(batch("after"))
	w.Close()
	list(dir)
	// Output:
	// app.log: "after\n"
	// app.log.1: "before\n"
}

func ExampleNewRotating() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	r, err := file.NewRotating(file.RotatingOptions{
		Options:     file.Options{Filename: filepath.Join(dir, "app.log")},
		MaxBytes:    10,
		BackupCount: 2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.WriteBatch(batch("m1xxx", "m2xxx", "m3xxx", "m4xxx"))
	r.Close()
	list(dir)
	// Output:
	// app.log: "m4xxx\n"
	// app.log.1: "m3xxx\n"
	// app.log.2: "m2xxx\n"
}

func ExampleNewTimedRotating() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	clk := clock.NewFake(time.Date(2025, 3, 29, 22, 0, 0, 0, time.UTC))
	tr, err := file.NewTimedRotating(file.TimedOptions{
		Options: file.Options{Filename: filepath.Join(dir, "app.log"), Delay: true},
		When:    "midnight",
		UTC:     true,
		Clock:   clk,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	tr.WriteBatch(batch("saturday night"))
	clk.Advance(3 * time.Hour)
	tr.WriteBatch(batch("sunday morning"))
	tr.Close()
	list(dir)
	// Output:
	// app.log: "sunday morning\n"
	// app.log.2025-03-29: "saturday night\n"
}

// A rotating file behind a handler actor: the engine owns the sink from
// NewHandler on, and closes it at Shutdown.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	sink, err := file.NewRotating(file.RotatingOptions{
		Options:     file.Options{Filename: filepath.Join(dir, "app.log")},
		MaxBytes:    10 << 20, // 10 MiB
		BackupCount: 5,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	eng := engine.New(engine.Options{})
	h, err := eng.NewHandler("file", sink, actors.HandlerOptions{
		Formatter: format.MustPython("%(levelname)s %(name)s: %(message)s", format.PythonOptions{}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	eng.Logger("").AddHandler(h)
	slog.New(eng.SlogHandler("app")).Warn("disk almost full")
	if err := eng.Shutdown(context.Background()); err != nil {
		fmt.Println(err)
	}
	list(dir)
	// Output:
	// app.log: "WARNING app: disk almost full\n"
}

// Validate reports every problem of the options at once.
func ExampleRotatingOptions_Validate() {
	err := file.RotatingOptions{
		Options:     file.Options{Filename: "app.log", Mode: "r"},
		MaxBytes:    -1,
		BackupCount: 1e12,
	}.Validate()
	fmt.Println(errors.Is(err, file.ErrInvalidOptions))
	fmt.Println(err)
	// Output:
	// true
	// file: invalid options: Mode: want "a" or "w", got "r"
	// file: invalid options: MaxBytes: must not be negative (got -1)
	// file: invalid options: BackupCount: must be at most 10000 (got 1000000000000)
}

// CheckPath warns, before anything is opened, about a destination that will
// not work as a log file.
func ExampleCheckPath() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)

	for _, name := range []string{"app.log", "logs/app.log", "."} {
		err := file.CheckPath(filepath.Join(dir, name))
		fmt.Println(name, errors.Is(err, fs.ErrNotExist), errors.Is(err, file.ErrNotRegular))
	}
	// Output:
	// app.log false false
	// logs/app.log true false
	// . false true
}
