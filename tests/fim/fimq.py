#!/usr/bin/env python3
"""Queries over the FIM test's NDJSON output.

fimq.py wait FILE SECONDS EXPR   first document d with EXPR true (exit 1 if none in time)
fimq.py count FILE 0 EXPR        how many documents match

In EXPR: d is the document; act(d) its event.action list, path(d)
file.path, change(d, attr) the file_integrity.changes entry or None,
h(d, algo) file.hash.<algo>.
"""
import json
import sys
import time


def act(d):
    return d.get("event", {}).get("action", [])


def path(d):
    return d.get("file", {}).get("path")


def h(d, algo):
    return d.get("file", {}).get("hash", {}).get(algo)


def change(d, attr):
    for c in d.get("file_integrity", {}).get("changes", []):
        if c["attribute"] == attr:
            return c
    return None


def docs(name):
    try:
        with open(name, encoding="utf-8") as f:
            for line in f:
                if line.endswith("\n"):
                    yield json.loads(line)
    except FileNotFoundError:
        return


def main():
    verb, name, seconds, expr = sys.argv[1:5]
    env = {"act": act, "path": path, "h": h, "change": change}
    if verb == "count":
        print(sum(1 for d in docs(name) if eval(expr, env, {"d": d})))
        return 0
    deadline = time.time() + float(seconds)
    while True:
        for d in docs(name):
            if eval(expr, env, {"d": d}):
                print(json.dumps(d))
                return 0
        if time.time() > deadline:
            return 1
        time.sleep(0.05)


sys.exit(main())
