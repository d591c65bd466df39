#!/usr/bin/python3
"""Generates queue.json: what the handlers behind Python's own QueueHandler
and QueueListener write, for actors' golden test (queue_golden_test.go).

A QueueHandler with the formatter "%(name)s -> %(levelname)s: %(message)s"
feeds a QueueListener with two StreamHandlers: "all" (level NOTSET, format
"%(levelname)s|%(message)s") and "crit" (level CRITICAL, default format),
with respect_handler_level false and true. The records carry exception
and stack text, which must appear once in the output. A third handler on
the same logger shows that the QueueHandler's formatting leaves the
original record alone. Run with:
/usr/bin/python3 gen_queue_golden.py > queue.json
"""
import io
import json
import logging
import logging.handlers
import queue
import sys

RECORDS = [
    {"level": logging.DEBUG, "msg": "below the logger"},
    {"level": logging.WARNING, "msg": "warn %s", "args": ["one"]},
    {"level": logging.ERROR, "msg": "failed", "exc_text": "Traceback (most recent call last):\nValueError: boom"},
    {"level": logging.CRITICAL, "msg": "stack", "stack_info": "Stack (most recent call last):\n  File \"x.py\", line 1"},
]


def run(respect):
    q = queue.Queue()
    qh = logging.handlers.QueueHandler(q)
    qh.setFormatter(logging.Formatter("%(name)s -> %(levelname)s: %(message)s"))
    outs = {"all": io.StringIO(), "crit": io.StringIO(), "direct": io.StringIO()}
    h_all = logging.StreamHandler(outs["all"])
    h_all.setFormatter(logging.Formatter("%(levelname)s|%(message)s"))
    h_crit = logging.StreamHandler(outs["crit"])
    h_crit.setLevel(logging.CRITICAL)
    direct = logging.StreamHandler(outs["direct"])
    listener = logging.handlers.QueueListener(q, h_all, h_crit, respect_handler_level=respect)
    logger = logging.getLogger("que.%s" % respect)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    logger.addHandler(qh)
    logger.addHandler(direct)
    listener.start()
    for r in RECORDS:
        rec = logger.makeRecord(logger.name, r["level"], "x.py", 1, r["msg"], tuple(r.get("args", ())), None)
        if "exc_text" in r:
            rec.exc_text = r["exc_text"]
        if "stack_info" in r:
            rec.stack_info = r["stack_info"]
        if logger.isEnabledFor(r["level"]):
            logger.handle(rec)
    listener.stop()
    return {k: v.getvalue() for k, v in outs.items()}


json.dump({"python": sys.version.split()[0], "records": RECORDS,
           "outputs": {"respect_false": run(False), "respect_true": run(True)}}, sys.stdout, indent=1)
sys.stdout.write("\n")
