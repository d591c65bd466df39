#!/usr/bin/python3
"""Generate the golden data of package file from Python's logging.handlers.

Run from this directory with Debian's interpreter:

    /usr/bin/python3 gen_golden.py

The data were made by CPython 3.11 (the version is written into each file).
The package follows CPython 3.14, so where 3.13/3.14 changed a behaviour the
3.11 method is replaced below by the 3.14 rule, each replacement marked
"3.14:":

* RotatingFileHandler.shouldRollover: an empty file never rolls over
  (gh-116263); the non-regular-file check sits inside the size branch.
* TimedRotatingFileHandler.computeRollover: `r <= 0`, interval honoured for
  MIDNIGHT and W0-W6, the DST correction for MIDNIGHT too with the
  "result-3600 also not DST" case.
* TimedRotatingFileHandler.doRollover: returns when the target exists (3.11
  deleted it), no `while newRolloverAt <= currentTime` loop.
* TimedRotatingFileHandler.getFilesToDelete and extMatch: look-around
  patterns with fullmatch, namer round trip (gh-93205).

Everything else (S/M/H/D rollover times, the rotated file names, the renaming
order, namer calls, file contents) comes from the 3.11 code unchanged. The
3.14 replacements are checked against the values of CPython 3.14's own tests
(test_compute_rollover_*_local) before anything is written.
"""

import datetime
import json
import logging
import logging.handlers
import os
import re
import sys
import tempfile
import time

MIDNIGHT = 86400
VERSION = sys.version.split()[0]


# 3.14: RotatingFileHandler.shouldRollover
def should_rollover_314(self, record):
    if self.stream is None:
        self.stream = self._open()
    if self.maxBytes > 0:
        try:
            pos = self.stream.tell()
        except OSError:
            return False
        if not pos:
            return False
        msg = "%s\n" % self.format(record)
        if pos + len(msg) >= self.maxBytes:
            if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
                return False
            return True
    return False


# 3.14: TimedRotatingFileHandler.computeRollover
def compute_rollover_314(self, currentTime):
    result = currentTime + self.interval
    if self.when == 'MIDNIGHT' or self.when.startswith('W'):
        t = time.gmtime(currentTime) if self.utc else time.localtime(currentTime)
        currentHour, currentMinute, currentSecond, currentDay = t[3], t[4], t[5], t[6]
        if self.atTime is None:
            rotate_ts = MIDNIGHT
        else:
            rotate_ts = ((self.atTime.hour * 60 + self.atTime.minute) * 60 + self.atTime.second)
        r = rotate_ts - ((currentHour * 60 + currentMinute) * 60 + currentSecond)
        if r <= 0:
            r += MIDNIGHT
            currentDay = (currentDay + 1) % 7
        result = currentTime + r
        if self.when.startswith('W'):
            daysToWait = (self.dayOfWeek - currentDay) % 7
            result += daysToWait * MIDNIGHT
            result += self.interval - MIDNIGHT * 7
        else:
            result += self.interval - MIDNIGHT
        if not self.utc:
            dstNow = t[-1]
            dstAtRollover = time.localtime(result)[-1]
            if dstNow != dstAtRollover:
                if not dstNow:
                    addend = -3600
                    if not time.localtime(result - 3600)[-1]:
                        addend = 0
                else:
                    addend = 3600
                result += addend
    return result


# 3.14: TimedRotatingFileHandler.doRollover
def do_rollover_314(self):
    currentTime = int(time.time())
    t = self.rolloverAt - self.interval
    if self.utc:
        timeTuple = time.gmtime(t)
    else:
        timeTuple = time.localtime(t)
        dstNow = time.localtime(currentTime)[-1]
        dstThen = timeTuple[-1]
        if dstNow != dstThen:
            addend = 3600 if dstNow else -3600
            timeTuple = time.localtime(t + addend)
    dfn = self.rotation_filename(self.baseFilename + "." + time.strftime(self.suffix, timeTuple))
    if os.path.exists(dfn):
        return
    if self.stream:
        self.stream.close()
        self.stream = None
    self.rotate(self.baseFilename, dfn)
    if self.backupCount > 0:
        for s in self.getFilesToDelete():
            os.remove(s)
    if not self.delay:
        self.stream = self._open()
    self.rolloverAt = self.computeRollover(currentTime)


# 3.14: extMatch patterns
EXT_314 = {
    'S': r'(?<!\d)\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(?!\d)',
    'M': r'(?<!\d)\d{4}-\d{2}-\d{2}_\d{2}-\d{2}(?!\d)',
    'H': r'(?<!\d)\d{4}-\d{2}-\d{2}_\d{2}(?!\d)',
    'D': r'(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)',
}


# 3.14: TimedRotatingFileHandler.getFilesToDelete
def get_files_to_delete_314(self):
    dirName, baseName = os.path.split(self.baseFilename)
    fileNames = os.listdir(dirName)
    result = []
    if self.namer is None:
        prefix = baseName + '.'
        plen = len(prefix)
        for fileName in fileNames:
            if fileName[:plen] == prefix:
                suffix = fileName[plen:]
                if self.extMatch.fullmatch(suffix):
                    result.append(os.path.join(dirName, fileName))
    else:
        for fileName in fileNames:
            m = self.extMatch.search(fileName)
            while m:
                dfn = self.namer(self.baseFilename + "." + m[0])
                if os.path.basename(dfn) == fileName:
                    result.append(os.path.join(dirName, fileName))
                    break
                m = self.extMatch.search(fileName, m.start() + 1)
    if len(result) < self.backupCount:
        result = []
    else:
        result.sort()
        result = result[:len(result) - self.backupCount]
    return result


class Timed314(logging.handlers.TimedRotatingFileHandler):
    """The real 3.11 handler with the 3.14 rules above."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        key = self.when if self.when in EXT_314 else 'D'
        self.extMatch = re.compile(EXT_314[key], re.ASCII)
        # 3.11 computed the first rolloverAt with its own rule; redo it.
        if os.path.exists(self.baseFilename):
            t = int(os.stat(self.baseFilename).st_mtime)
        else:
            t = int(time.time())
        self.rolloverAt = self.computeRollover(t)

    def computeRollover(self, currentTime):
        if self.when in ('S', 'M', 'H', 'D'):
            # Unchanged since 3.11: the real method.
            return super().computeRollover(currentTime)
        return compute_rollover_314(self, currentTime)

    doRollover = do_rollover_314
    getFilesToDelete = get_files_to_delete_314


class Rotating314(logging.handlers.RotatingFileHandler):
    shouldRollover = should_rollover_314


# Namers shared with the Go tests (namers in golden_test.go).
NAMERS = {
    'none': None,
    'test': lambda name: name + '.test',
    'gz': lambda name: name + '.gz',
    # d.e.log.TS -> d.e.TS.log
    'ext': lambda name: name[:name.rfind('.log.')] + name[name.rfind('.log.') + 4:] + '.log',
    # g.log.TS -> gTS.oldlog
    'old': lambda name: name.replace('.log.', '') + '.oldlog',
}


def settz(tz):
    os.environ['TZ'] = tz
    time.tzset()


def parse_at(s):
    if s == '-':
        return None
    h, m = s.split(':')
    return datetime.time(int(h), int(m))


def timed_handler(d, when, interval, utc, at, backup=0, namer='none', delay=True):
    h = Timed314(os.path.join(d, 'base.log'), when=when, interval=interval, utc=utc,
                 atTime=parse_at(at), backupCount=backup, delay=delay)
    h.namer = NAMERS[namer]
    return h


def local(tz, y, mo, d, h=0, mi=0, s=0, fold=-1):
    """Epoch seconds of a local wall time in tz (fold -1: mktime's choice)."""
    settz(tz)
    return int(time.mktime((y, mo, d, h, mi, s, 0, 0, fold)))


def check_314(d):
    """The 3.14 transcription against CPython 3.14's test values."""
    tz = 'EST5EDT'

    def cr(when, at, y, mo, dd, h=0, mi=0, s=0, interval=1):
        settz(tz)
        hd = timed_handler(d, when, interval, False, at)
        r = hd.computeRollover(local(tz, y, mo, dd, h, mi, s))
        hd.close()
        settz(tz)
        return time.strftime('%m-%d %H:%M', time.localtime(r))

    checks = [
        (cr('MIDNIGHT', '-', 2012, 3, 10, 23, 59, 59), '03-11 00:00'),
        (cr('MIDNIGHT', '-', 2012, 3, 11, 0), '03-12 00:00'),
        (cr('MIDNIGHT', '-', 2012, 3, 11, 1), '03-12 00:00'),
        (cr('MIDNIGHT', '-', 2012, 11, 3, 23, 59, 59), '11-04 00:00'),
        (cr('MIDNIGHT', '-', 2012, 11, 4, 0), '11-05 00:00'),
        (cr('MIDNIGHT', '02:00', 2012, 3, 10, 1, 59, 59), '03-10 02:00'),
        (cr('MIDNIGHT', '02:00', 2012, 3, 10, 2), '03-11 03:00'),
        (cr('MIDNIGHT', '02:00', 2012, 3, 11, 1, 59, 59), '03-11 03:00'),
        (cr('MIDNIGHT', '02:00', 2012, 3, 11, 3), '03-12 02:00'),
        (cr('MIDNIGHT', '02:30', 2012, 3, 10, 2, 30), '03-11 03:30'),
        (cr('W6', '-', 2012, 3, 4, 23, 59, 59), '03-05 00:00'),
        (cr('W6', '-', 2012, 3, 5, 0), '03-12 00:00'),
        (cr('W6', '00:00', 2012, 3, 10, 23, 59, 59), '03-11 00:00'),
        (cr('W6', '00:00', 2012, 3, 11, 0), '03-18 00:00'),
        (cr('W6', '02:00', 2012, 3, 4, 2), '03-11 03:00'),
        (cr('MIDNIGHT', '-', 2012, 3, 8, 23, 59, 59, interval=3), '03-11 00:00'),
        (cr('MIDNIGHT', '-', 2012, 3, 9, 0, interval=3), '03-12 00:00'),
        (cr('W6', '-', 2012, 2, 19, 23, 59, 59, interval=3), '03-05 00:00'),
        (cr('W6', '-', 2012, 2, 20, 0, interval=3), '03-12 00:00'),
        (cr('W6', '12:00', 2012, 2, 19, 12, interval=3), '03-11 12:00'),
    ]
    for got, want in checks:
        assert got == want, (got, want)


TRANSITIONS = {
    'EST5EDT': [(2012, 3, 11), (2012, 11, 4)],
    'Europe/Berlin': [(2025, 3, 30), (2025, 10, 26)],
    'UTC': [(2025, 3, 30)],
}

WHENS = [('S', 1, ['-']), ('H', 1, ['-']), ('D', 3, ['-'])]
for _iv in (1, 3):
    WHENS.append(('MIDNIGHT', _iv, ['-', '01:30', '02:00', '02:30', '12:00']))
WHENS.append(('W6', 1, ['-', '00:00', '01:30', '02:00', '02:30']))
WHENS.append(('W6', 3, ['-', '12:00']))
WHENS.append(('W0', 1, ['-', '02:00']))
WHENS.append(('W3', 1, ['-', '12:00']))


def times_around(tz, y, mo, d):
    """Every 5 h over three days, every 30 min near 02:00 of the change day,
    and each of those one second before."""
    start = local(tz, y, mo, d - 1)
    ts = set(range(start, start + 3 * MIDNIGHT, 5 * 3600))
    mid = local(tz, y, mo, d, 2, 0, 0)
    ts |= set(range(mid - 3 * 3600, mid + 3 * 3600 + 1, 1800))
    ts |= {t - 1 for t in list(ts)}
    return sorted(ts)


def gen_rollover(d):
    lines = ['# tz when interval utc atTime now rolloverAt nameAtRollover nameThreeHoursLater',
             '# CPython %s with the 3.14 rules of gen_golden.py' % VERSION]
    for tz, days in TRANSITIONS.items():
        utc = tz == 'UTC'
        for day in days:
            for t in times_around(tz, *day):
                for when, interval, ats in WHENS:
                    for at in ats:
                        settz(tz)
                        h = timed_handler(d, when, interval, utc, at)
                        r = h.computeRollover(t)
                        names = []
                        for now in (r, r + 3 * 3600):
                            got = []
                            h.namer = lambda n, got=got: got.append(n) or n
                            h.rolloverAt = r
                            orig = time.time
                            time.time = lambda now=now: float(now)
                            try:
                                h.doRollover()  # the base file does not exist: only names it
                            finally:
                                time.time = orig
                            names.append(os.path.basename(got[0])[len('base.log.'):])
                        h.close()
                        lines.append('%s %s %d %d %s %d %d %s %s' % (
                            tz, when, interval, utc, at, t, r, names[0], names[1]))
    with open('rollover.txt', 'w') as f:
        f.write('\n'.join(lines) + '\n')


def listing():
    """A directory listing with names of every kind near the patterns."""
    stamps = ['2020-01-%02d' % i for i in range(1, 11)]
    names = []
    for s in stamps:
        for tail in ('', '_00', '_00-00', '_00-00-00'):
            ts = s + tail
            names += ['a.log.' + ts, 'a.log.b.' + ts, 'a.log.' + ts + '.c', 'a.log.' + ts + '1',
                      'a.log.1' + ts, 'a.b.log.' + ts, 'd.e.' + ts + '.log', 'g' + ts + '.oldlog',
                      'a.log.' + ts + '.gz', 'a.log.' + ts + '.gz.bak', 'x' + ts + 'a.log.' + ts + '.gz']
    names += ['a.log', 'a.log.b', 'd.e.log', 'g.log', 'a.log.2020-1-01', 'a.log.20200101']
    return sorted(set(names))


def gen_delete(d):
    names = listing()
    for n in names:
        open(os.path.join(d, n), 'w').close()
    cases = []
    for base, namer in (('a.log', 'none'), ('a.log.b', 'none'), ('a.b.log', 'none'),
                        ('a.log', 'gz'), ('d.e.log', 'ext'), ('g.log', 'old'), ('a.log', 'ext')):
        for when in ('S', 'M', 'H', 'D', 'MIDNIGHT', 'W2'):
            for backup in (0, 1, 3, 9, 10, 11, 40):
                h = Timed314(os.path.join(d, base), when=when, backupCount=backup, delay=True)
                h.namer = NAMERS[namer]
                got = [os.path.basename(p) for p in h.getFilesToDelete()] if backup > 0 else []
                h.close()
                cases.append({'base': base, 'namer': namer, 'when': when, 'backupCount': backup,
                              'delete': got})
    with open('delete.json', 'w') as f:
        json.dump({'python': VERSION, 'names': names, 'cases': cases}, f, indent=0)
        f.write('\n')


def lcg(seed):
    while True:
        seed = (seed * 1103515245 + 12345) % 2**31
        yield seed


def files_of(d):
    out = {}
    for n in sorted(os.listdir(d)):
        with open(os.path.join(d, n), 'rb') as f:
            out[n] = f.read().decode('utf-8')
    return out


def gen_rotating(root):
    scenarios = []

    def run(name, max_bytes, backup, msgs, namer='none', delay=False):
        d = tempfile.mkdtemp(dir=root)
        h = Rotating314(os.path.join(d, 'r.log'), maxBytes=max_bytes, backupCount=backup,
                        encoding='utf-8', delay=delay)
        h.namer = NAMERS[namer]
        h.setFormatter(logging.Formatter('%(message)s'))
        for m in msgs:
            h.emit(logging.makeLogRecord({'msg': m}))
        h.close()
        scenarios.append({'name': name, 'maxBytes': max_bytes, 'backupCount': backup,
                          'namer': namer, 'delay': delay, 'records': msgs, 'files': files_of(d)})

    run('checklist43', 10, 3, ['m%d' % i + 'x' * 5 for i in range(6)])
    run('one-byte-limit-namer', 1, 2, ['1', '2', '3', '4'], namer='test')
    run('euro', 20, 2, ['a', '\u20ac' * 9, 'b', '\u20ac' * 9, 'c' * 30])
    run('max-bytes-table', 100, 2, ['a', 'b' * 100, 'a', 'a', 'b' * 100])
    run('backup-zero', 50, 0, ['r%02d' % i + 'y' * 10 for i in range(20)])
    run('huge-first', 10, 2, ['z' * 100, 'z' * 100, 'q'])
    run('delay', 30, 2, ['d%02d' % i + 'w' * 6 for i in range(12)], delay=True)
    g = lcg(7)
    run('random-64-5', 64, 5, ['%03d' % i + 'k' * (next(g) % 40) for i in range(200)])
    g = lcg(11)
    run('random-300-3-gz', 300, 3, ['%03d' % i + 'e\u00e9' * (next(g) % 30) for i in range(150)],
        namer='gz')
    with open('rotating.json', 'w') as f:
        json.dump({'python': VERSION, 'scenarios': scenarios}, f, indent=0, ensure_ascii=False)
        f.write('\n')


def gen_timed(root):
    """Whole runs: records at given clock times, with an old file or none."""
    scenarios = []

    def run(name, tz, when, interval, utc, at, backup, steps, mtime=None, namer='none'):
        # Without an old file, delay so that the first rollover time comes
        # from the (fake) clock, not from the mtime of a file just created.
        delay = mtime is None
        d = tempfile.mkdtemp(dir=root)
        base = os.path.join(d, 't.log')
        settz(tz)
        if mtime is not None:
            with open(base, 'w') as f:
                f.write('old\n')
            os.utime(base, (mtime, mtime))
        orig = time.time
        clock = [steps[0][0]]
        time.time = lambda: float(clock[0])
        try:
            h = Timed314(base, when=when, interval=interval, utc=utc, atTime=parse_at(at),
                         backupCount=backup, encoding='utf-8', delay=delay)
            h.namer = NAMERS[namer]
            h.setFormatter(logging.Formatter('%(message)s'))
            for now, msg in steps:
                clock[0] = now
                h.emit(logging.makeLogRecord({'msg': msg}))
            h.close()
        finally:
            time.time = orig
        scenarios.append({'name': name, 'tz': tz, 'when': when, 'interval': interval, 'utc': utc,
                          'atTime': at, 'backupCount': backup, 'mtime': mtime, 'namer': namer, 'delay': delay,
                          'steps': steps, 'files': files_of(d)})

    t0 = local('Europe/Berlin', 2025, 3, 29, 20)
    run('berlin-midnight-spring', 'Europe/Berlin', 'midnight', 1, False, '-', 2,
        [(t0 + i * 1800, 'b%03d' % i) for i in range(150)])
    t0 = local('Europe/Berlin', 2025, 10, 25, 22)
    run('berlin-hourly-autumn', 'Europe/Berlin', 'h', 1, False, '-', 3,
        [(t0 + i * 1234, 'h%03d' % i) for i in range(40)])
    t0 = local('EST5EDT', 2012, 3, 9, 12)
    run('est-w6-attime', 'EST5EDT', 'W6', 1, False, '02:00', 0,
        [(t0 + i * 5 * 3600, 'w%03d' % i) for i in range(80)])
    t0 = local('EST5EDT', 2012, 11, 3, 12)
    run('est-old-file', 'EST5EDT', 'MIDNIGHT', 1, False, '-', 1,
        [(t0 + i * 3600, 'o%03d' % i) for i in range(30)], mtime=t0 - 3 * MIDNIGHT)
    run('utc-seconds-gz', 'UTC', 's', 2, True, '-', 3,
        [(1700000000 + i, 's%03d' % i) for i in range(20)], namer='gz')
    # The clock goes back one hour and jumps three days ahead.
    t0 = local('Europe/Berlin', 2025, 6, 1, 10)
    steps = [(t0 + i * 600, 'j%03d' % i) for i in range(20)]
    steps += [(t0 + 19 * 600 - 3600 + i * 600, 'k%03d' % i) for i in range(10)]
    steps += [(t0 + 3 * MIDNIGHT + i * 600, 'l%03d' % i) for i in range(10)]
    run('berlin-hourly-jumps', 'Europe/Berlin', 'H', 1, False, '-', 0, steps)
    with open('timed.json', 'w') as f:
        json.dump({'python': VERSION, 'scenarios': scenarios}, f, indent=0)
        f.write('\n')


def main():
    with tempfile.TemporaryDirectory() as d:
        check_314(d)
        gen_rollover(d)
    with tempfile.TemporaryDirectory() as d:
        gen_delete(d)
    with tempfile.TemporaryDirectory() as d:
        gen_rotating(d)
    with tempfile.TemporaryDirectory() as d:
        gen_timed(d)


if __name__ == '__main__':
    main()
