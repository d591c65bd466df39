#!/usr/bin/python3
"""Describe what Python's logging.config.dictConfig makes of a config file.

Usage: /usr/bin/python3 describe.py CONFIG > CONFIG.want.json

The config is applied with the working directory set to a temporary
directory (every file handler here has delay: true or is closed at once), then
the handlers, loggers and root are written as JSON; config's tests build the
same description from Parse and compare. Generated with Debian's Python 3.11;
nothing described here changed up to 3.14.
"""
import json
import logging
import logging.config
import logging.handlers
import os
import sys
import tempfile

import yaml

STYLE = {"PercentStyle": "%", "StrFormatStyle": "{", "StringTemplateStyle": "$"}


def describe_handler(h):
    d = {"class": type(h).__name__, "level": h.level}
    if h.formatter is not None:
        d["format"] = h.formatter._fmt
        d["style"] = STYLE[type(h.formatter._style).__name__]
        d["datefmt"] = h.formatter.datefmt
    d["filters"] = [f.name for f in h.filters]
    p = {}
    if isinstance(h, logging.FileHandler):
        p["filename"] = os.path.basename(h.baseFilename)
        p["delay"] = h.stream is None
        if not isinstance(h, logging.handlers.TimedRotatingFileHandler):
            p["mode"] = h.mode
    elif isinstance(h, logging.StreamHandler):
        p["stream"] = {sys.stdout: "stdout", sys.stderr: "stderr"}[h.stream]
    if isinstance(h, logging.handlers.RotatingFileHandler):
        p["maxBytes"], p["backupCount"] = h.maxBytes, h.backupCount
    if isinstance(h, logging.handlers.TimedRotatingFileHandler):
        p["when"], p["backupCount"], p["utc"] = h.when, h.backupCount, h.utc
    if isinstance(h, logging.handlers.SMTPHandler):
        p["mailhost"], p["mailport"] = h.mailhost, h.mailport
        p["fromaddr"], p["toaddrs"], p["subject"] = h.fromaddr, list(h.toaddrs), h.subject
        p["username"] = h.username
        p["secure"] = None if h.secure is None else list(h.secure)
        p["timeout"] = h.timeout
    if isinstance(h, logging.handlers.MemoryHandler):
        # 3.11's dictConfig leaves a flushLevel name as a string (the first
        # record would then fail to compare); the 3.14 baseline converts it
        # to its number (CPython's test_config18_ok), as actorlog does.
        p["capacity"], p["flushLevel"], p["flushOnClose"] = h.capacity, logging._checkLevel(h.flushLevel), h.flushOnClose
        p["target"] = h.target.name if h.target is not None else None
    if getattr(h, "terminator", "\n") != "\n":
        p["terminator"] = h.terminator
    d["params"] = p
    return d


def describe_logger(lg):
    return {
        "level": lg.level,
        "propagate": lg.propagate,
        "handlers": [h.name for h in lg.handlers],
        "filters": [f.name for f in lg.filters],
    }


def main(path):
    with open(path) as f:
        cfg = yaml.safe_load(f)
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            logging.config.dictConfig(cfg)
            handlers = {}
            loggers = {}
            for name in sorted(cfg.get("loggers", {})):
                lg = logging.getLogger(name)
                loggers[name] = describe_logger(lg)
                for h in lg.handlers:
                    handlers[h.name] = describe_handler(h)
            root = logging.getLogger()
            for h in root.handlers:
                handlers[h.name] = describe_handler(h)
            for h in list(handlers.values()):
                if h["params"].get("target"):  # a MemoryHandler's target
                    th = logging.getHandlerByName(h["params"]["target"]) if hasattr(logging, "getHandlerByName") else None
                    th = th or next(x for x in logging._handlerList if x() is not None and x().name == h["params"]["target"])()
                    handlers[th.name] = describe_handler(th)
            out = {"handlers": handlers, "loggers": loggers, "root": describe_logger(root)}
            del out["root"]["propagate"]
            logging.shutdown()
        finally:
            os.chdir(cwd)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
