#!/usr/bin/python3
"""Generate python_golden.json: Python's logging.Formatter output for the
golden records, the oracle of the Go Python formatter's tests.

Usage (go generate runs it):

    TZ=Europe/Berlin /usr/bin/python3 gen_python_golden.py golden_records.json python_golden.json

golden_records.json is written by the Go tests from their golden table
(go test -run TestGoldenRecordsFile -update-records). Each record is rebuilt
with logging.makeLogRecord and formatted by real logging.Formatter objects
over the FORMATS below; a format is applied to a record only when every field
it names exists (an extra attribute the record lacks would make Python raise).

Python versions. The reference is CPython 3.14; this script is run by the
interpreter at /usr/bin/python3 and records its version in the output. The
differences from 3.14 that matter here, and how they are corrected:

* created and msecs: since 3.13 LogRecord takes ct = time.time_ns() and sets
  created = ct / 1e9 and msecs = (ct % 10**9) // 10**6, with msecs = 0 when
  the division rounded created up into the next second (older versions
  derived msecs from the float). makeLogRecord overwrites both, so this script
  computes them from the record's nanoseconds with the 3.14 rule whatever the
  interpreter; the dst-spring-last-ns record exercises the rounding case.
* taskName exists since 3.12; it is set explicitly (None unless the record
  came from elsewhere with a task name), so %(taskName)s works on 3.11 too.
* relativeCreated is set explicitly for the same reason as created.
Nothing else in Formatter.format, formatTime, PercentStyle, StrFormatStyle or
StringTemplateStyle differs between 3.11 and 3.14 for these cases.
"""

import json
import logging
import re
import sys
import time

# (format, datefmt, style, defaults)
FORMATS = [
    ("%(message)s", None, "%", None),
    ("%(asctime)s %(levelname)s %(name)s: %(message)s", None, "%", None),
    (logging.BASIC_FORMAT, None, "%", None),
    ("%(asctime)s.%(msecs)03d %(levelname)-8s [%(name)s] %(message)s", "%Y-%m-%dT%H:%M:%S%z", "%", None),
    ("%(levelno)5d|%(levelname)8s|%(levelname)-10.3s|%(name).4s|%(message)r|%(message)a", None, "%", None),
    ("%(created)f %(created)s %(created).3f %(msecs)s %(msecs)d %(msecs)06.1f %(created)e %(created)g %(created)G %(created)r",
     None, "%", None),
    ("%(relativeCreated)d %(relativeCreated)s %(relativeCreated).2f %(process)d %(processName)s "
     "%(thread)d %(threadName)s %(taskName)s", None, "%", None),
    ("%(thread)d %(threadName)s %(processName)s %(taskName)s", None, "%", None),
    ("%(pathname)s:%(lineno)d %(filename)s %(module)s %(funcName)s()", None, "%", None),
    ("[%(exc_text)s] [%(stack_info)s] %(message)s", None, "%", None),
    ("100%% %(message)s %%(name)s", None, "%", None),
    ("%(args)s %(msg)s %(exc_info)s", None, "%", None),
    ("%(name)10s%(message)-10s|%(name)-3s|", None, "%", None),
    ("%(asctime)-30s|%(asctime).10s|%(asctime)r", None, "%", None),
    ("%(asctime)s", "%a %A %b %B %c|%d %e %H %I %j %m %M %p %S|%U %w %W %x %X %y %Y %z %Z %%", "%", None),
    ("%(asctime)s", "%f %q %-d %_m %5Y %^a %C %D %F %G %g %h %k %l %P %r %R %s %T %u %V %Ey %Od %", "%", None),
    ("%(asctime)s %(message)s", "%H:%M:%S", "%", None),
    ("%(user)s %(count)05d %(count)+d %(count)x %(count)#X %(count)#o %(ratio).3f %(ratio)e %(ratio)g "
     "%(ok)s %(ok)d %(neg)d %(neg)5d %(neg)-6d| %(neg)x %(quote)r %(quote)a %(quote)s %(count)c %(ratio)r "
     "%(ok)r %(user)-8s| %(user)8.3s %(count) d %(ratio)+.2E %(ratio)#g %(count).3d %(neg)010.4d %(ratio)010.2f",
     None, "%", None),
    ("%(message)s %(app)s %(count)s", None, "%", {"app": "demo", "count": 99}),
    ("%(message)s [%(app)s]", None, "%", {"app": "demo"}),
    ("{asctime} {levelname:<8} {name}: {message}", None, "{", None),
    ("{levelno:>5} {levelname:^10} {name!r} {message!s:.5} {created:.3f} {msecs:03.0f} {levelno:#x} "
     "{levelno:08b} {levelno:+} {created:,.2f} {msecs:e} {levelname:_>9.2} {message!a}", None, "{", None),
    ("{user:*^12}|{count:,}|{ratio:%}|{ratio:.2}|{ok}|{ok:d}|{neg:=+8}|{count:_b}|{quote!a}|{ratio}|"
     "{neg:,}|{user:10}|{count:<5}|{ratio:10.3e}|{count:05}", None, "{", None),
    ("{{literal}} {message} }}", "%d.%m.%Y", "{", None),
    ("{asctime}", "%Y", "{", None),
    ("$asctime $$ ${levelname} $name: $message", None, "$", None),
    ("${user}x $count $ratio $ok $neg", None, "$", None),
]

RECORD_ATTRS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module",
    "exc_info", "exc_text", "stack_info", "lineno", "funcName", "created", "msecs",
    "relativeCreated", "thread", "threadName", "processName", "process", "taskName",
    "message", "asctime",
}

FIELD_RE = {
    "%": re.compile(r"%\((\w+)\)"),
    "{": re.compile(r"(?<!\{)\{(\w+)"),
    "$": re.compile(r"\$\{?(\w+)"),
}


def make_record(rec):
    ct = rec["created_ns"]
    created = ct / 1e9
    msecs = (ct % 1_000_000_000) // 1_000_000 + 0.0
    if msecs == 999.0 and int(created) != ct // 1_000_000_000:
        msecs = 0.0
    d = {
        "name": rec["name"], "msg": rec["msg"], "args": (),
        "levelname": rec["levelname"], "levelno": rec["levelno"],
        "pathname": rec["pathname"], "filename": rec["filename"], "module": rec["module"],
        "exc_info": None, "exc_text": rec["exc_text"], "stack_info": rec["stack_info"],
        "lineno": rec["lineno"], "funcName": rec["funcName"],
        "created": created, "msecs": msecs,
        "thread": rec["thread"], "threadName": rec["threadName"],
        "processName": rec["processName"], "taskName": rec["taskName"],
    }
    if rec["process"] is not None:
        d["process"] = rec["process"]
        d["relativeCreated"] = rec["relativeCreated"]
    for e in rec["extras"]:
        conv = {"str": str, "int": int, "float": float, "bool": lambda v: v == "true"}[e["t"]]
        d[e["k"]] = conv(e["v"])
    return d


def applicable(rec_dict, fmt, style, defaults):
    for key in FIELD_RE[style].findall(fmt):
        if key in ("message", "asctime"):
            continue
        if key in ("process", "relativeCreated") and key not in rec_dict:
            return False
        if key not in RECORD_ATTRS and key not in rec_dict and key not in (defaults or {}):
            return False
    return True


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        records = json.load(f)
    cases = []
    for fmt, datefmt, style, defaults in FORMATS:
        for rec in records:
            d = make_record(rec)
            if not applicable(d, fmt, style, defaults):
                continue
            r = logging.makeLogRecord(d)
            formatter = logging.Formatter(fmt, datefmt, style, defaults=defaults)
            cases.append({
                "record": rec["case"], "fmt": fmt, "datefmt": datefmt or "",
                "style": style, "defaults": defaults, "out": formatter.format(r),
            })
    out = {
        "python": sys.version.split()[0],
        "tz": time.tzname[0] + "/" + time.tzname[1],
        "cases": cases,
    }
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
