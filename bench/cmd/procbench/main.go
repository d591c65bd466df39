// Command procbench times `actorlog send` against a zerolog program
// writing the same records, as processes: the way a user meets them.
//
// It builds the actorlog command (from the module one directory up) and
// zerologsend (this module's cmd/zerologsend), writes a JSON FileHandler
// config, then runs the two alternately -runs times each:
//
//	actorlog send --config CONFIG --count N "hello there"
//	zerologsend -count N -out FILE hello there
//
// Each run writes a fresh file in a temporary directory, checked afterwards
// to hold N lines. From each child's resource usage it takes the wall time,
// the CPU time (user + system) and the peak resident set size, and prints
// their medians, the ratios actorlog / zerolog of the medians, and the
// range of the ratios run by run. With -o FILE it also writes every run in
// Go's benchmark format, for benchstat.
//
//	cd bench && go run ./cmd/procbench -runs 10
//
// -actorlog BIN runs a prebuilt actorlog instead of building one; -base BIN
// adds a second actorlog binary (say, one built from an older commit) to
// the rotation, reported as "base". -dir DIR puts the log files on DIR (a
// tmpfs such as /dev/shm takes the disk out of the figures).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// sample is one child's figures.
type sample struct {
	wall, cpu time.Duration
	rssKiB    int64
}

// contender is one program in the rotation.
type contender struct {
	name    string
	args    func(out string) []string // the command line, writing to out
	samples []sample
}

func main() {
	runs := flag.Int("runs", 10, "runs of each program, alternated")
	count := flag.Int("count", 1_000_000, "records per run")
	root := flag.String("root", "..", "the actorlog module's directory, to build the command from")
	bin := flag.String("actorlog", "", "a prebuilt actorlog binary; default: build one from -root")
	base := flag.String("base", "", "a second actorlog binary, run as \"base\"")
	outFile := flag.String("o", "", "also write every run to this `FILE` in benchmark format")
	tmp := flag.String("dir", "", "the `DIR` for the binaries and the log files; default the system's temporary directory")
	flag.Parse()
	if err := run(*runs, *count, *tmp, *root, *bin, *base, *outFile); err != nil {
		fmt.Fprintln(os.Stderr, "procbench:", err)
		os.Exit(1)
	}
}

func run(runs, count int, tmp, root, bin, base, outFile string) error {
	dir, err := os.MkdirTemp(tmp, "procbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "actorlog")
		if err := build(root, "./cmd/actorlog", bin); err != nil {
			return err
		}
	}
	zl := filepath.Join(dir, "zerologsend")
	if err := build(".", "./cmd/zerologsend", zl); err != nil {
		return err
	}
	out := filepath.Join(dir, "out.log")
	cfg := filepath.Join(dir, "file.json")
	conf := fmt.Sprintf(`{"version": 1, "formatters": {"json": {"class": "json"}},
 "handlers": {"file": {"class": "FileHandler", "filename": %q, "formatter": "json"}},
 "root": {"level": "INFO", "handlers": ["file"]}}`, out)
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		return err
	}
	n := strconv.Itoa(count)
	sendArgs := func(b string) func(string) []string {
		return func(string) []string {
			return []string{b, "send", "--config", cfg, "--count", n, "hello there"}
		}
	}
	cs := []*contender{
		{name: "actorlog", args: sendArgs(bin)},
		{name: "zerolog", args: func(o string) []string { return []string{zl, "-count", n, "-out", o, "hello", "there"} }},
	}
	if base != "" {
		cs = append(cs, &contender{name: "base", args: sendArgs(base)})
	}
	for i := -1; i < runs; i++ { // run -1 warms the page cache and is not kept
		for _, c := range cs {
			s, err := once(c.args(out), out, count)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if i >= 0 {
				c.samples = append(c.samples, s)
			}
		}
	}
	report(os.Stdout, cs, count)
	if outFile != "" {
		return writeBench(outFile, cs, count)
	}
	return nil
}

// build builds pkg in dir into the file bin.
func build(dir, pkg, bin string) error {
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

// once runs argv with out removed first and checks out holds count lines.
func once(argv []string, out string, count int) (sample, error) {
	if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
		return sample{}, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, stderr.Bytes())
	}
	wall := time.Since(start)
	ps := cmd.ProcessState
	s := sample{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), rssKiB: maxRSSKiB(ps)}
	lines, err := countLines(out)
	if err != nil {
		return s, err
	}
	if lines != count {
		return s, fmt.Errorf("%s holds %d lines, want %d", out, lines, count)
	}
	return s, nil
}

func countLines(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, r, buf := 0, bufio.NewReaderSize(f, 1<<20), make([]byte, 1<<20)
	for {
		k, err := r.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// median of the figure f of ss.
func median[T int64 | time.Duration](ss []sample, f func(sample) T) T {
	v := make([]T, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func wallOf(s sample) time.Duration { return s.wall }
func cpuOf(s sample) time.Duration  { return s.cpu }
func rssOf(s sample) int64          { return s.rssKiB }

func report(w io.Writer, cs []*contender, count int) {
	fmt.Fprintf(w, "%d records a run, medians of %d runs each, alternated\n\n", count, len(cs[0].samples))
	fmt.Fprintf(w, "| program | wall | records/s | CPU (user+sys) | CPU ns/record | peak RSS |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, c := range cs {
		wall, cpu := median(c.samples, wallOf), median(c.samples, cpuOf)
		fmt.Fprintf(w, "| %s | %v | %.2fM | %v | %.0f | %.1f MiB |\n", c.name, wall.Round(time.Millisecond),
			float64(count)/wall.Seconds()/1e6, cpu.Round(time.Millisecond), float64(cpu.Nanoseconds())/float64(count),
			float64(median(c.samples, rssOf))/1024)
	}
	z := cs[1]
	fmt.Fprintf(w, "\n| ratio to zerolog | wall | records/s | CPU | peak RSS |\n| --- | --- | --- | --- | --- |\n")
	for _, c := range cs {
		if c == z {
			continue
		}
		rw := ratio(median(c.samples, wallOf), median(z.samples, wallOf))
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %.2f |\n", c.name, rw, 1/rw,
			ratio(median(c.samples, cpuOf), median(z.samples, cpuOf)),
			ratio(median(c.samples, rssOf), median(z.samples, rssOf)))
	}
	// The spread: on a shared machine one alternation's ratio can be far
	// from another's, and the medians alone do not show it.
	fmt.Fprintf(w, "\nratio to zerolog run by run (alternation i against alternation i): min - max\n\n")
	for _, c := range cs {
		if c == z {
			continue
		}
		wmin, wmax := spread(c.samples, z.samples, wallOf)
		cmin, cmax := spread(c.samples, z.samples, cpuOf)
		fmt.Fprintf(w, "%s: wall %.2f - %.2f, CPU %.2f - %.2f\n", c.name, wmin, wmax, cmin, cmax)
	}
}

// spread returns the least and the greatest ratio a[i]/b[i] of the figure f.
func spread(a, b []sample, f func(sample) time.Duration) (lo, hi float64) {
	for i := range min(len(a), len(b)) {
		r := ratio(f(a[i]), f(b[i]))
		if i == 0 || r < lo {
			lo = r
		}
		if i == 0 || r > hi {
			hi = r
		}
	}
	return lo, hi
}

func ratio[T int64 | time.Duration](a, b T) float64 { return float64(a) / float64(b) }

// writeBench writes every sample as a benchmark line: per-record wall and
// CPU nanoseconds and the peak RSS, so benchstat can compare two files.
func writeBench(name string, cs []*contender, count int) error {
	var b bytes.Buffer
	for _, c := range cs {
		for _, s := range c.samples {
			fmt.Fprintf(&b, "BenchmarkProcess/%s 1 %.2f ns/op %.2f cpu-ns/op %d peak-RSS-KiB\n", c.name,
				float64(s.wall.Nanoseconds())/float64(count), float64(s.cpu.Nanoseconds())/float64(count), s.rssKiB)
		}
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}
