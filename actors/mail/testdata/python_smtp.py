"""Send each case of a JSON list through Python's own SMTPHandler.

Usage: python3 python_smtp.py PORT < cases.json

Each case is {"fromaddr", "toaddrs", "subject", "msg"}; the mail goes to
127.0.0.1:PORT, where the Go test's SMTP server records it, so that the
test compares what Python sends with what actors/mail sends for the same
record. A handler error is raised, not printed.
"""
import json
import logging
import logging.handlers
import sys


class Strict(logging.handlers.SMTPHandler):
    def handleError(self, record):
        raise


def main():
    port = int(sys.argv[1])
    for case in json.load(sys.stdin):
        h = Strict(("127.0.0.1", port), case["fromaddr"], case["toaddrs"],
                   case["subject"])
        rec = logging.LogRecord("app", logging.ERROR, __file__, 1,
                                case["msg"], None, None)
        h.handle(rec)
        h.close()


main()
