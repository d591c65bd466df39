"""Sends each case of cases through Python's logging.handlers.SysLogHandler
over UDP, TCP and a Unix datagram socket, and prints what each listener
received as JSON (bytes in hex). golden_test.go compares it with the sink.

Run: /usr/bin/python3 testdata/gen_golden.py > testdata/golden.json
"""
import json
import logging
import logging.handlers
import os
import socket
import sys
import tempfile

# name, facility, ident, append_nul, [(level, message), ...]
CASES = [
    ("spam", "user", "", True, [(logging.ERROR, "späm")]),
    ("no_nul", "user", "", False, [(logging.ERROR, "späm")]),
    ("ident", "user", "häm-", False, [(logging.ERROR, "späm")]),
    ("ident_nul", "user", "app[1]: ", True, [(logging.ERROR, "x: boom")]),
    ("levels", "user", "", True, [(logging.DEBUG, "d"), (logging.INFO, "i"), (logging.WARNING, "w"),
                                  (logging.ERROR, "e"), (logging.CRITICAL, "c"), (5, "five"), (25, "twenty-five")]),
    ("local7", "local7", "", True, [(logging.WARNING, "w")]),
    ("daemon", logging.handlers.SysLogHandler.LOG_DAEMON, "", True, [(logging.INFO, "i")]),
    ("authpriv", "authpriv", "", True, [(logging.INFO, "i")]),
    ("solaris_cron", "solaris-cron", "", True, [(logging.CRITICAL, "c")]),
    ("local0_num", 16, "", True, [(logging.DEBUG, "d")]),
    ("newline_nul", "user", "", True, [(logging.ERROR, "a\nb\x00c")]),
    ("two", "user", "", True, [(logging.ERROR, "a"), (logging.ERROR, "b")]),
]


def facility_arg(f):
    return f if isinstance(f, int) else logging.handlers.SysLogHandler.facility_names[f]


def emit(h, records):
    log = logging.getLogger("golden")
    log.propagate = False
    log.setLevel(1)
    log.handlers = [h]
    for level, msg in records:
        log.log(level, msg)
    h.close()


def run_udp(case):
    name, fac, ident, nul, records = case
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    h = logging.handlers.SysLogHandler(("127.0.0.1", srv.getsockname()[1]), facility_arg(fac))
    h.ident, h.append_nul = ident, nul
    emit(h, records)
    out = [srv.recv(65536) for _ in records]
    srv.close()
    return out


def run_unix(case, d):
    name, fac, ident, nul, records = case
    path = os.path.join(d, name + ".sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    srv.bind(path)
    h = logging.handlers.SysLogHandler(path, facility_arg(fac))
    h.ident, h.append_nul = ident, nul
    emit(h, records)
    out = [srv.recv(65536) for _ in records]
    srv.close()
    return out


def run_tcp(case):
    name, fac, ident, nul, records = case
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    h = logging.handlers.SysLogHandler(("127.0.0.1", srv.getsockname()[1]), facility_arg(fac),
                                       socktype=socket.SOCK_STREAM)
    c, _ = srv.accept()
    h.ident, h.append_nul = ident, nul
    emit(h, records)
    data = b""
    while True:
        b = c.recv(65536)
        if not b:
            break
        data += b
    c.close()
    srv.close()
    return [data]


def main():
    out = []
    with tempfile.TemporaryDirectory() as d:
        for case in CASES:
            name, fac, ident, nul, records = case
            out.append({
                "name": name,
                "facility": str(fac),
                "ident": ident,
                "append_nul": nul,
                "records": [{"level": l, "msg": m} for l, m in records],
                "udp": [b.hex() for b in run_udp(case)],
                "unix": [b.hex() for b in run_unix(case, d)],
                "tcp": [b.hex() for b in run_tcp(case)],
            })
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
