"""Python's side of the actorlog wire-format tests (record).

    python3 python_roundtrip.py decode [--key HEX]
        Reads length-prefixed frames from stdin (each ending in an
        HMAC-SHA256 tag when a key is given, which is verified), unpacks each
        with msgpack, builds a record with logging.makeLogRecord, formats it
        with a plain Formatter, and prints one JSON object a line: the
        record's fields as Python sees them and its extra attributes.

    python3 python_roundtrip.py encode --expect FILE [--key HEX]
        Logs a few records through a real Logger (with extra, a real
        traceback, stack_info, a custom level, the root logger), packs each
        record's __dict__ as logging.handlers.SocketHandler.makePickle
        prepares it (msg merged, args and exc_info None, message dropped), and
        writes the frames to stdout; writes the same JSON view of each record
        to FILE, one a line.

Needs the msgpack module (Debian: python3-msgpack). Any Python 3.8+ works:
makeLogRecord copies the dict as is, so nothing here depends on the version.
"""

import hashlib
import hmac
import json
import logging
import math
import struct
import sys

import msgpack

# Attributes every LogRecord has (3.12+ adds taskName); the rest is extra.
STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "taskName", "message", "asctime", "exc_info", "exc_text", "stack_info"}

FIELDS = ["name", "levelno", "levelname", "pathname", "filename", "module",
          "lineno", "funcName", "created", "msecs", "relativeCreated",
          "thread", "threadName", "process", "processName", "exc_text",
          "stack_info"]


def clean(v):
    """Make v printable as strict JSON."""
    if isinstance(v, bytes):
        return {"$bytes": v.hex()}
    if isinstance(v, float) and not math.isfinite(v):
        return {"$float": repr(v)}
    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    return v


def view(rec):
    out = {f: clean(getattr(rec, f, None)) for f in FIELDS}
    out["taskName"] = getattr(rec, "taskName", None)
    out["message"] = rec.getMessage()
    out["extra"] = {k: clean(v) for k, v in rec.__dict__.items()
                    if k not in STANDARD}
    return out


def read_exact(f, n):
    b = f.read(n)
    if len(b) != n:
        raise EOFError("frame cut short")
    return b


def decode(key):
    fmt = logging.Formatter("%(asctime)s.%(msecs)03d %(levelname)s %(name)s %(message)s")
    inp = sys.stdin.buffer
    while True:
        head = inp.read(4)
        if not head:
            return
        if len(head) != 4:
            raise EOFError("length cut short")
        (n,) = struct.unpack(">L", head)
        data = read_exact(inp, n)
        if key is not None:
            data, tag = data[:-32], data[-32:]
            want = hmac.new(key, data, hashlib.sha256).digest()
            if not hmac.compare_digest(want, tag):
                raise ValueError("bad tag")
        rec = logging.makeLogRecord(msgpack.unpackb(data, raw=False))
        out = view(rec)
        out["formatted"] = fmt.format(rec)
        print(json.dumps(out, sort_keys=True), flush=True)


class Keep(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def encode(key, expect):
    keep = Keep()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    root.addHandler(keep)
    log = logging.getLogger("py.app")
    log.warning("hello %s #%d", "world", 7, extra={
        "user": "bob", "n": 42, "big": 2**63 + 5, "neg": -3, "ratio": 0.5,
        "ok": True, "none": None, "raw": b"\x00\x01", "tags": ["a", 1],
        "nested": {"k": "v", "inner": {"z": 1}}, "name_": "x"})
    try:
        1 / 0
    except ZeroDivisionError:
        log.exception("boom %r", {"a": 1})
    log.info("with stack", stack_info=True)
    log.log(25, "custom level")
    logging.error("from the root logger")
    root.removeHandler(keep)

    fmt = logging.Formatter()
    out = sys.stdout.buffer
    with open(expect, "w") as ex:
        for rec in keep.records:
            if rec.exc_info:
                rec.exc_text = fmt.formatException(rec.exc_info)
            d = dict(rec.__dict__)
            d["msg"] = rec.getMessage()
            d["args"] = None
            d["exc_info"] = None
            d.pop("message", None)
            payload = msgpack.packb(d, use_bin_type=True)
            if key is not None:
                payload += hmac.new(key, payload, hashlib.sha256).digest()
            out.write(struct.pack(">L", len(payload)) + payload)
            ex.write(json.dumps(view(rec), sort_keys=True) + "\n")
    out.flush()


def main(argv):
    mode, key, expect = argv[1], None, None
    args = argv[2:]
    while args:
        if args[0] == "--key":
            key = bytes.fromhex(args[1])
        elif args[0] == "--expect":
            expect = args[1]
        else:
            raise SystemExit("unknown argument " + args[0])
        args = args[2:]
    if mode == "decode":
        decode(key)
    elif mode == "encode":
        encode(key, expect)
    else:
        raise SystemExit("mode is decode or encode")


if __name__ == "__main__":
    main(sys.argv)
