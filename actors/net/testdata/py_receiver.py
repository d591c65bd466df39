#!/usr/bin/python3
"""A Python receiver for actorlog's Socket handler, as a Python user would
write it: read 4-byte big-endian lengths and msgpack payloads, rebuild each
record with logging.makeLogRecord, and print what a handler would see, one
JSON object per record. It listens on 127.0.0.1, prints its port, takes one
connection and stops at its end.
"""
import json
import logging
import socket
import struct
import sys

import msgpack

RESERVED = set(vars(logging.makeLogRecord({})))


def read_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def main():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    print(srv.getsockname()[1], flush=True)
    conn, _ = srv.accept()
    while True:
        head = read_exact(conn, 4)
        if head is None:
            break
        (n,) = struct.unpack(">L", head)
        payload = read_exact(conn, n)
        d = msgpack.unpackb(payload, raw=False)
        rec = logging.makeLogRecord(d)
        extras = {k: v for k, v in vars(rec).items() if k not in RESERVED}
        out = {
            "name": rec.name, "levelno": rec.levelno, "levelname": rec.levelname,
            "message": rec.getMessage(), "created": rec.created, "exc_text": rec.exc_text,
            "lineno": rec.lineno, "funcName": rec.funcName,
            "formatted": logging.Formatter("%(levelname)s %(name)s: %(message)s").format(rec),
            "extras": extras,
        }
        print(json.dumps(out, ensure_ascii=False, sort_keys=True), flush=True)
    conn.close()
    srv.close()


if __name__ == "__main__":
    main()
