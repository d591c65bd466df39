#!/usr/bin/python3
"""Generate http.json: the requests Python's own logging.handlers.HTTPHandler
sends for a few records, captured by one test server, so that the Go HTTP
sink can be compared with them byte for byte (request target, body,
Content-type, Authorization).

Run from this directory: /usr/bin/python3 gen_http_golden.py > http.json

Python 3.11 made the data. Where 3.14 differs it is corrected, as actorlog
follows 3.14: LogRecord gained taskName (None outside asyncio) after
process in 3.12, and msecs is computed from the nanosecond time since 3.13;
both are set on the record here in 3.14's order.
"""
import http.server
import json
import logging
import logging.handlers
import sys
import threading

captured = []


class Capture(http.server.BaseHTTPRequestHandler):
    def _grab(self):
        n = int(self.headers.get("Content-length") or 0)
        body = self.rfile.read(n).decode("utf-8") if n else ""
        captured.append({
            "method": self.command,
            "target": self.path,
            "contentType": self.headers.get("Content-type"),
            "contentLength": self.headers.get("Content-length"),
            "authorization": self.headers.get("Authorization"),
            "body": body,
        })
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = _grab
    do_POST = _grab

    def log_message(self, *a):
        pass


def make_record(case):
    r = logging.LogRecord(case["name"], case["levelno"], case["pathname"], case["lineno"],
                          case["msg"], (), None, func=case["funcName"])
    ns = case["created_ns"]
    r.created = ns / 1e9
    r.msecs = (ns % 1_000_000_000) // 1_000_000 + 0.0
    if r.msecs == 999.0 and int(r.created) != ns // 1_000_000_000:
        r.msecs = 0.0  # 3.14: the float rounded up to the next second
    r.relativeCreated = case["relativeCreated"]
    r.thread = case["thread"]
    r.threadName = case["threadName"]
    r.processName = case["processName"]
    r.process = case["process"]
    r.exc_text = case.get("exc_text")
    r.stack_info = case.get("stack_info")
    r.taskName = None  # 3.12+: set in __init__ right after process
    for k, v in case.get("extra", []):
        setattr(r, k, v)
    return r


CASES = [
    {"handler": {"url": "/log", "method": "GET"},
     "name": "app.db", "levelno": 40, "pathname": "/src/app/db.py", "lineno": 42, "funcName": "connect",
     "msg": "späm & eggs 100%", "created_ns": 1700000000123456789, "relativeCreated": 1234.5,
     "thread": 140234, "threadName": "MainThread", "processName": "MainProcess", "process": 4321,
     "extra": [["user", "ann b"], ["n", 3], ["ratio", 0.5], ["big", 1e16], ["ok", True], ["none", None]]},
    {"handler": {"url": "/log?x=1", "method": "get"},
     "name": "root", "levelno": 20, "pathname": "(unknown file)", "lineno": 0, "funcName": "(unknown function)",
     "msg": "hello", "created_ns": 1700000001999999999, "relativeCreated": 0.25,
     "thread": 1, "threadName": "worker-1", "processName": "MainProcess", "process": 1},
    {"handler": {"url": "/frob", "method": "POST", "credentials": ["user", "pa:ss"]},
     "name": "http", "levelno": 30, "pathname": "/x/y.py", "lineno": 7, "funcName": "test_output",
     "msg": "a+b=c ~_.-", "created_ns": 1700000002000000000, "relativeCreated": 650.0,
     "thread": 2, "threadName": "T", "processName": "MainProcess", "process": 2,
     "exc_text": "Traceback (most recent call last):\n  boom", "stack_info": "Stack (most recent call last):\n  here",
     "extra": [["tiny", 1.5e-05], ["neg", -7], ["text", "line1\nline2\t€"]]},
]


def main():
    srv = http.server.HTTPServer(("127.0.0.1", 0), Capture)
    t = threading.Thread(target=srv.serve_forever)
    t.start()
    host = "127.0.0.1:%d" % srv.server_port
    out = []
    try:
        for case in CASES:
            hc = case["handler"]
            creds = tuple(hc["credentials"]) if "credentials" in hc else None
            h = logging.handlers.HTTPHandler(host, hc["url"], method=hc["method"], credentials=creds)
            before = len(captured)
            h.handle(make_record(case))
            h.close()
            req = captured[before]
            out.append({"case": case, "request": req})
    finally:
        srv.shutdown()
        srv.server_close()
        t.join()
    json.dump({"python": sys.version.split()[0], "cases": out}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
