#!/usr/bin/python3
"""Generates memory.json: where Python's own MemoryHandler and
BufferingHandler flush, for actors' golden test (memory_golden_test.go).

Each case is a sequence of steps run against logging.handlers.MemoryHandler
with a recording target handler; after each step the golden holds the
messages the target received during that step (in order) and the length of
the buffer. Run with: /usr/bin/python3 gen_memory_golden.py > memory.json
The MemoryHandler code these cases touch is the same from 3.6 to 3.14.
"""
import json
import logging
import logging.handlers
import sys


class Recorder(logging.Handler):
    def __init__(self, level=logging.NOTSET):
        super().__init__(level)
        self.got = []

    def emit(self, record):
        self.got.append(record.getMessage())


class DropB(logging.Filter):
    def filter(self, record):
        return not record.getMessage().startswith("b")


def run(case):
    target = Recorder(case.get("targetLevel", 0))
    if case.get("targetFilter"):
        target.addFilter(DropB())
    kw = {"capacity": case["capacity"]}
    if "flushLevel" in case:
        kw["flushLevel"] = case["flushLevel"]
    if "flushOnClose" in case:
        kw["flushOnClose"] = case["flushOnClose"]
    h = logging.handlers.MemoryHandler(target=None if case.get("noTarget") else target, **kw)
    out = []
    for step in case["steps"]:
        before = len(target.got)
        op = step["op"]
        if op == "emit":
            r = logging.makeLogRecord({"msg": step["msg"], "levelno": step["level"],
                                       "levelname": logging.getLevelName(step["level"])})
            h.handle(r)
        elif op == "setTarget":
            h.setTarget(target)
        elif op == "clearTarget":
            h.setTarget(None)
        elif op == "close":
            h.close()
        out.append({"delivered": target.got[before:], "held": len(h.buffer)})
    case["want"] = out
    return case


def emits(prefix, level, n):
    return [{"op": "emit", "level": level, "msg": "%s%d" % (prefix, i)} for i in range(1, n + 1)]


D, I, W, E, C = 10, 20, 30, 40, 50
cases = [
    # CPython's MemoryHandlerTest.test_flush, then close.
    {"name": "cpython_test_flush", "capacity": 10, "flushLevel": W,
     "steps": [{"op": "emit", "level": D, "msg": "DEBUG 1"}, {"op": "emit", "level": I, "msg": "INFO 2"},
               {"op": "emit", "level": W, "msg": "WARNING 3"}]
     + emits("d", D, 9) + emits("e", D, 1) + emits("f", D, 9) + emits("g", D, 1) + emits("h", D, 1)
     + [{"op": "close"}]},
    {"name": "default_flush_level_is_error", "capacity": 100,
     "steps": emits("a", D, 2) + emits("w", W, 1) + emits("c", C, 1) + emits("x", 39, 1) + emits("y", 41, 1)
     + [{"op": "close"}]},
    {"name": "capacity_zero_flushes_every_record", "capacity": 0,
     "steps": emits("a", D, 3) + [{"op": "close"}]},
    {"name": "capacity_one", "capacity": 1, "flushLevel": C,
     "steps": emits("a", D, 3) + [{"op": "close"}]},
    {"name": "custom_levels", "capacity": 4, "flushLevel": 35,
     "steps": emits("a", 5, 1) + emits("b", 34, 1) + emits("c", 35, 1) + emits("d", 15, 3) + emits("e", 15, 1)
     + [{"op": "close"}]},
    {"name": "flush_on_close_false", "capacity": 10, "flushOnClose": False,
     "steps": emits("a", D, 2) + [{"op": "close"}]},
    {"name": "no_target_keeps_buffer", "capacity": 3, "noTarget": True,
     "steps": emits("a", D, 2) + emits("e", E, 1) + [{"op": "close"}]},
    {"name": "set_target_later", "capacity": 5, "noTarget": True,
     "steps": emits("a", D, 3) + [{"op": "setTarget"}] + emits("b", D, 1) + emits("e", E, 1)
     + emits("c", D, 1) + [{"op": "clearTarget"}] + emits("d", E, 1) + [{"op": "setTarget"}, {"op": "close"}]},
    {"name": "target_level_ignored_filters_apply", "capacity": 10, "targetLevel": E, "targetFilter": True,
     "steps": emits("a", D, 1) + emits("b", D, 1) + emits("c", E, 1) + [{"op": "close"}]},
]

buffering = []
for cap in (0, 1, 2):
    b = logging.handlers.BufferingHandler(cap)
    r = logging.makeLogRecord({"msg": "x"})
    entry = {"capacity": cap, "shouldFlushEmpty": b.shouldFlush(r)}
    held = []
    for i in range(3):
        b.handle(logging.makeLogRecord({"msg": "r%d" % i}))
        held.append(len(b.buffer))
    entry["heldAfterEach"] = held
    buffering.append(entry)

json.dump({"python": sys.version.split()[0], "memory": [run(c) for c in cases], "buffering": buffering},
          sys.stdout, indent=1)
sys.stdout.write("\n")
