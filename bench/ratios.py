#!/usr/bin/python3
"""Print the ratios of bench/README.md from a `go test -bench` output file.

Each figure is the median of the runs of one benchmark (as benchstat takes
it), and every ratio compares benchmarks of the same file, so of one run.

    /usr/bin/python3 ratios.py new.txt
"""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$")


def medians(path):
    runs = defaultdict(lambda: defaultdict(list))
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            fields = m.group(2).split()
            for value, unit in zip(fields[0::2], fields[1::2]):
                runs[m.group(1)][unit].append(float(value))
    return {name: {u: statistics.median(v) for u, v in units.items()} for name, units in runs.items()}


def main():
    med = medians(sys.argv[1])

    def get(name, unit):
        return med[name][unit]

    rows = [
        # (what, numerator, denominator, unit, target, higher is better)
        ("producer, Null sink: actorlog ns/op / zerolog", "Producer/actorlog-null", "Producer/zerolog", "ns/op", 0.5, False),
        ("producer, JSON on the actor, sustained", "Producer/actorlog-json", "Producer/zerolog", "ns/op", 0.5, False),
        ("producer, JSON on the actor, bursts of 4096", "ProducerBurst/actorlog-json", "ProducerBurst/zerolog", "ns/op", 0.5, False),
        ("producer, 2 goroutines, Null sink", "ProducerParallel/actorlog-null", "ProducerParallel/zerolog", "ns/op", 0.5, False),
        ("producer, 2 goroutines, JSON on the actor", "ProducerParallel/actorlog-json", "ProducerParallel/zerolog", "ns/op", 0.5, False),
        ("producer via slog, JSON, bursts of 4096", "ProducerBurst/actorlog-slog-json", "ProducerBurst/zerolog", "ns/op", 0.5, False),
        ("end to end to a file: actorlog / zerolog+bufio", "File/actorlog", "File/zerolog-bufio", "records/s", 1.5, True),
        ("end to end via slog / zerolog+bufio", "File/actorlog-slog", "File/zerolog-bufio", "records/s", 1.5, True),
        ("disabled: actorlog / zerolog", "Disabled/actorlog", "Disabled/zerolog", "ns/op", 1.0, False),
        ("disabled via slog / zerolog", "Disabled/actorlog-slog", "Disabled/zerolog", "ns/op", 1.0, False),
        ("Rotating / zap+lumberjack", "Rotate/actorlog-rotating", "Rotate/zap-lumberjack", "records/s", 2.0, True),
        ("Rotating / zap+64 KiB buffer+lumberjack", "Rotate/actorlog-rotating", "Rotate/zap-buffered-lumberjack", "records/s", 2.0, True),
        ("Rotating / bare File", "Rotate/actorlog-rotating", "Rotate/actorlog-file", "records/s", 0.9, True),
    ]
    print("| ratio | medians | value | target | met |")
    print("| --- | --- | --- | --- | --- |")
    for what, num, den, unit, target, higher in rows:
        a, b = get(num, unit), get(den, unit)
        r = a / b
        met = r >= target if higher else r <= target
        allocs = ""
        if unit == "ns/op" and "Disabled" not in num:
            n = get(num, "allocs/op")
            allocs = f", {n:g} allocs"
            met = met and n == 0
        op = ">=" if higher else "<="
        print(f"| {what} | {a:,.4g} / {b:,.4g} {unit}{allocs} | {r:.2f} | {op} {target} | {'yes' if met else 'no'} |")


if __name__ == "__main__":
    main()
