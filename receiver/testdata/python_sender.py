# Ships records to an actorlog receiver with CPython's own handlers.
#   python3 python_sender.py KIND ADDRESS COUNT
# KIND: socket (TCP host:port), unix (path), datagram (host:port),
#       http-get or http-post (host:port).
import logging
import logging.handlers
import sys

kind, address, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind == "unix":
    handler = logging.handlers.SocketHandler(address, None)
else:
    host, port = address.rsplit(":", 1)
    port = int(port)
    if kind == "socket":
        handler = logging.handlers.SocketHandler(host, port)
    elif kind == "datagram":
        handler = logging.handlers.DatagramHandler(host, port)
    elif kind == "http-get":
        handler = logging.handlers.HTTPHandler(address, "/log?from=python", method="GET")
    elif kind == "http-post":
        handler = logging.handlers.HTTPHandler(address, "/log", method="POST")
    else:
        sys.exit("unknown kind " + kind)

log = logging.getLogger("py.app")
log.propagate = False
log.setLevel(logging.DEBUG)
log.addHandler(handler)
for i in range(count):
    if i % 3 == 0:
        try:
            raise ValueError("bad value ☃")
        except ValueError:
            log.exception("failed %d: naïve café ☃ 😀", i, extra={"user": "zoë", "i": i, "ratio": 0.5, "tags": ["a", "b"]})
    else:
        log.log(logging.INFO if i % 2 else logging.WARNING, "record %d: naïve café ☃ 😀", i,
                extra={"user": "zoë", "i": i, "ratio": 0.5, "tags": ["a", "b"]})
handler.close()
