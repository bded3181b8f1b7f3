#!/usr/bin/env python3
"""Helpers for the audisp-ecs integration tests (Python 3 standard library only).

Used two ways:
  * as a command by lib.sh:
      ecsq.py wait --timeout S --expr EXPR [--since EPOCH] FILE...
      ecsq.py logseqs --key KEY LOG...
      ecsq.py noloss --key KEY --log LOG [--timeout S] FILE...
      ecsq.py summary FILE...
  * as a module by the test scripts (sys.path.insert(0, ITEST_DIR); import ecsq)

FILE arguments are output files of the plugin; rotated siblings (FILE.1, FILE.2 ...)
are read as well.  Only complete lines (ending in a newline) are parsed, so a
document that is being written is never half-read.
"""

import argparse
import datetime
import glob
import json
import os
import re
import sys
import time

MISSING = object()


# --------------------------------------------------------------------------
# reading the plugin's output


def expand(files):
    """FILE plus its rotated siblings FILE.N, oldest first, existing only."""
    out = []
    for f in files:
        rotated = []
        for g in glob.glob(glob.escape(f) + ".*"):
            suffix = g[len(f) + 1:]
            if suffix.isdigit():
                rotated.append((int(suffix), g))
        for _, g in sorted(rotated, reverse=True):
            out.append(g)
        if os.path.exists(f):
            out.append(f)
    return out


class Reader:
    """Incrementally reads NDJSON documents from one or more growing files."""

    def __init__(self, files):
        self.files = list(files)
        self.pos = {}       # path -> (inode, offset)
        self.docs = []      # (path, lineno, doc)
        self.bad = []       # (path, lineno, error, line)
        self.lineno = {}

    def poll(self):
        new = []
        for path in expand(self.files):
            try:
                st = os.stat(path)
            except OSError:
                continue
            ino, off = self.pos.get(path, (st.st_ino, 0))
            if ino != st.st_ino or st.st_size < off:   # replaced / truncated
                off = 0
                self.lineno[path] = 0
            if st.st_size == off:
                self.pos[path] = (st.st_ino, off)
                continue
            with open(path, "rb") as fh:
                fh.seek(off)
                data = fh.read()
            end = data.rfind(b"\n")
            if end < 0:
                self.pos[path] = (st.st_ino, off)
                continue
            chunk = data[: end + 1]
            self.pos[path] = (st.st_ino, off + len(chunk))
            for raw in chunk.split(b"\n")[:-1]:
                n = self.lineno.get(path, 0) + 1
                self.lineno[path] = n
                if not raw.strip():
                    self.bad.append((path, n, "empty line", ""))
                    continue
                try:
                    doc = json.loads(raw.decode("utf-8"))
                    if not isinstance(doc, dict):
                        raise ValueError("not a JSON object")
                except (ValueError, UnicodeDecodeError) as e:
                    self.bad.append((path, n, str(e), raw[:300].decode("utf-8", "replace")))
                    continue
                self.docs.append((path, n, doc))
                new.append((path, n, doc))
        return new

    def partial_tails(self):
        """Files whose last line is not newline-terminated (in-flight or torn writes)."""
        out = []
        for path in expand(self.files):
            try:
                with open(path, "rb") as fh:
                    fh.seek(0, os.SEEK_END)
                    size = fh.tell()
                    if size == 0:
                        continue
                    fh.seek(size - 1)
                    if fh.read(1) != b"\n":
                        out.append(path)
            except OSError:
                pass
        return out


def read_all(files):
    r = Reader(files)
    r.poll()
    return r


# --------------------------------------------------------------------------
# looking at documents


def get(doc, dotted, default=None):
    """get(doc, "process.parent.pid"); also accepts flattened "a.b" keys."""
    cur = doc
    parts = dotted.split(".")
    i = 0
    while i < len(parts):
        if not isinstance(cur, dict):
            return default
        # allow keys that themselves contain dots (flattened ECS)
        for j in range(len(parts), i, -1):
            k = ".".join(parts[i:j])
            if k in cur:
                cur = cur[k]
                i = j
                break
        else:
            return default
    return cur


def has(doc, dotted):
    return get(doc, dotted, MISSING) is not MISSING


def tags(doc):
    t = get(doc, "tags", [])
    return t if isinstance(t, list) else [t]


def short(doc):
    """One-line description of a document, for diagnostics."""
    return json.dumps({
        "@timestamp": get(doc, "@timestamp"),
        "seq": get(doc, "auditd.sequence"),
        "type": get(doc, "auditd.message_type"),
        "action": get(doc, "event.action"),
        "outcome": get(doc, "event.outcome"),
        "tags": get(doc, "tags"),
        "pid": get(doc, "process.pid"),
        "exe": get(doc, "process.executable"),
        "args": get(doc, "process.args"),
        "file": get(doc, "file.path"),
    }, ensure_ascii=False)


def parse_ts(value):
    """ECS @timestamp -> epoch seconds (float), or None."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    if v.endswith("Z"):
        v = v[:-1] + "+00:00"
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", v)
    if m and m.group(2):   # fromisoformat wants at most 6 fractional digits
        v = m.group(1) + m.group(2)[:7].ljust(7, "0") + m.group(3)
    try:
        dt = datetime.datetime.fromisoformat(v)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


class Checker:
    """Collects field mismatches so that one run reports all of them."""

    def __init__(self, doc, what="document"):
        self.doc = doc
        self.what = what
        self.errors = []

    def eq(self, dotted, expected):
        got = get(self.doc, dotted, MISSING)
        if got is MISSING:
            self.errors.append("%s: missing (expected %s)" % (dotted, json.dumps(expected, ensure_ascii=False)))
        elif got != expected or type(got) is not type(expected):
            self.errors.append("%s: got %s, expected %s" % (
                dotted, json.dumps(got, ensure_ascii=False), json.dumps(expected, ensure_ascii=False)))

    def contains(self, dotted, item):
        got = get(self.doc, dotted, MISSING)
        if got is MISSING:
            self.errors.append("%s: missing (expected a list containing %s)" % (dotted, json.dumps(item)))
        elif not isinstance(got, list) or item not in got:
            self.errors.append("%s: got %s, expected a list containing %s" % (
                dotted, json.dumps(got, ensure_ascii=False), json.dumps(item, ensure_ascii=False)))

    def present(self, dotted):
        if not has(self.doc, dotted):
            self.errors.append("%s: missing" % dotted)

    def report(self):
        """Print the result; return the exit status (0 pass, 1 fail)."""
        if not self.errors:
            print("ok: %s has all expected fields" % self.what)
            return 0
        print("FAIL: %s has %d wrong field(s):" % (self.what, len(self.errors)))
        for e in self.errors:
            print("  - " + e)
        print("the document was:")
        print(json.dumps(self.doc, indent=2, ensure_ascii=False, sort_keys=True))
        return 1


# --------------------------------------------------------------------------
# auditd's own log (ENRICHED or RAW format)

REC_RE = re.compile(r"type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\):")
KEY_RE = re.compile(r"\bkey=(\"([^\"]*)\"|\(null\)|([0-9A-Fa-f]+))")


def decode_keys(m):
    if m.group(2) is not None:
        return m.group(2).split("\x01")
    if m.group(3) is not None:
        try:
            return bytes.fromhex(m.group(3)).decode("utf-8", "replace").split("\x01")
        except ValueError:
            return [m.group(3)]
    return []


def log_events(logs, key=None):
    """{(sec, msec, seq): {"ts", "seq", "types", "keys", "lines", "first", "last"}}.

    first/last are the line numbers of the event's first and last record in
    the log, i.e. its position in the stream auditd dispatched to plugins.
    """
    events = {}
    pos = 0
    for log in logs:
        for path in expand([log]):
            with open(path, "rb") as fh:
                for raw in fh:
                    pos += 1
                    line = raw.decode("utf-8", "replace")
                    # the ENRICHED part starts after 0x1d; keys are in the raw part
                    rawpart = line.split("\x1d", 1)[0]
                    m = REC_RE.search(rawpart)
                    if not m:
                        continue
                    rtype = m.group(1)
                    if rtype.startswith("DAEMON_"):
                        continue   # auditd's own events use their own sequence numbers
                    ident = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
                    ev = events.setdefault(ident, {
                        "ts": int(m.group(2)) + int(m.group(3)) / 1000.0,
                        "seq": int(m.group(4)), "types": [], "keys": set(), "lines": [],
                        "first": pos, "last": pos})
                    ev["last"] = pos
                    ev["types"].append(rtype)
                    if len(ev["lines"]) < 3:
                        ev["lines"].append(rawpart.strip()[:400])
                    for km in KEY_RE.finditer(rawpart):
                        ev["keys"].update(decode_keys(km))
    if key is not None:
        events = {k: v for k, v in events.items() if key in v["keys"]}
    return events


LOG_REC_RE = re.compile(rb"type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\):")


def log_load_seqs(log, key, marker):
    """(keyed, logged, ours) from auditd's log LOG, read as bytes.

    keyed: sequence numbers of the events with a record carrying key KEY;
    logged: sequence numbers of all events (auditd's own DAEMON_* records
    left out: they have their own sequence numbers); ours: the number of
    EXECVE records of the exec load's /bin/true MARKER N.
    """
    keytag = b' key="' + key.encode() + b'"'
    ourarg = b' a1="' + marker.encode() + b'" '      # /bin/true MARKER N
    keyed, logged, ours = set(), set(), 0
    with open(log, "rb") as fh:
        for raw in fh:
            rawpart = raw.split(b"\x1d", 1)[0]
            m = LOG_REC_RE.search(rawpart)
            if not m or m.group(1).startswith(b"DAEMON_"):
                continue
            seq = int(m.group(4))
            logged.add(seq)
            if keytag in rawpart:
                keyed.add(seq)
            if m.group(1) == b"EXECVE" and ourarg in rawpart:
                ours += 1
    return keyed, logged, ours


class Delivery:
    """What the documents that reached a peer say about the audit events.

    count: documents per auditd.sequence (the plugin's notes and auditd's
    own DAEMON_* events left out); lost: (first, last, count) of each
    audit-events-lost note; dropped: the number of events-dropped notes.
    """

    def __init__(self):
        self.count = {}
        self.lost = []
        self.dropped = 0

    def add(self, doc):
        ev, ad = doc.get("event") or {}, doc.get("auditd") or {}
        if ev.get("action") == "audit-events-lost":
            lo = ad.get("lost") or {}
            self.lost.append((lo.get("first_sequence"), lo.get("last_sequence"), lo.get("count")))
            return
        if ev.get("action") == "events-dropped":
            self.dropped += 1
            return
        mt = str(ad.get("message_type", ""))
        if mt.lower().startswith("daemon_") or ad.get("sequence") is None:
            return
        s = int(ad["sequence"])
        self.count[s] = self.count.get(s, 0) + 1

    def check_notes(self, logged):
        """Prints a FAIL for events-dropped notes (the spool dropped
        documents) and for audit-events-lost notes naming events that are in
        auditd's log (logged: their sequences); the lost notes are listed.
        Returns 1 after a FAIL, else 0."""
        rc = 0
        if self.dropped:
            print("FAIL: %d events-dropped document(s): the spool dropped documents" % self.dropped)
            rc = 1
        if self.lost:
            print("note: %d audit-events-lost document(s): %s" % (len(self.lost), self.lost[:10]))
            bogus = [r for r in self.lost if isinstance(r[0], int) and isinstance(r[1], int)
                     and any(r[0] <= s <= r[1] for s in logged)]
            if bogus:
                print("FAIL: audit-events-lost document(s) name events that are in auditd's log: %s"
                      % bogus[:10])
                rc = 1
        return rc


# --------------------------------------------------------------------------
# no-loss comparison


def compare(events, docs, tolerance=0.0015):
    """Match each auditd log event to output documents by sequence and timestamp.

    auditd's own DAEMON_* events have their own sequence numbers, so documents
    of message_type daemon_* are never candidates.  A document with the right
    sequence but an @timestamp differing from the record's by more than
    `tolerance` counts as matched-with-wrong-time (reported separately).

    Returns (missing, duplicated, matched, badtime): lists of events,
    (event, [docs]) pairs, a count, and (event, doc) pairs.
    """
    by_seq = {}
    for d in docs:
        mt = get(d, "auditd.message_type")
        if isinstance(mt, str) and mt.lower().startswith("daemon_"):
            continue
        s = get(d, "auditd.sequence")
        if isinstance(s, str) and s.isdigit():
            s = int(s)
        by_seq.setdefault(s, []).append(d)
    missing, dup, matched, badtime = [], [], 0, []
    for ident in sorted(events):
        ev = events[ident]
        same_seq = by_seq.get(ev["seq"], [])
        cands = []
        for d in same_seq:
            t = parse_ts(get(d, "@timestamp"))
            if t is not None and abs(t - ev["ts"]) <= tolerance:
                cands.append(d)
        if not cands and len(same_seq) == 1:
            # right sequence, wrong or unparsable time: not lost, but wrong
            badtime.append((ev, same_seq[0]))
            cands = same_seq
        if not cands:
            missing.append(ev)
        elif len(cands) > 1:
            dup.append((ev, cands))
        else:
            matched += 1
    return missing, dup, matched, badtime


# --------------------------------------------------------------------------
# commands


def cmd_wait(a):
    code = compile(a.expr, "<expr>", "eval")
    env = {"get": get, "has": has, "tags": tags, "re": re}
    r = Reader(a.files)
    deadline = time.time() + a.timeout
    while True:
        for path, n, d in r.poll():
            try:
                ok = eval(code, dict(env), {"d": d})
            except Exception:   # noqa: BLE001 - a predicate on a malformed doc is just false
                ok = False
            if ok:
                if a.since is not None:
                    sys.stderr.write("elapsed %.3f s\n" % (time.time() - a.since))
                    if a.elapsed_file:
                        with open(a.elapsed_file, "w") as fh:
                            fh.write("%.3f\n" % (time.time() - a.since))
                print(json.dumps(d, ensure_ascii=False))
                return 0
        if time.time() >= deadline:
            break
        time.sleep(a.interval)
    sys.stderr.write("timeout after %.1f s: no document matches: %s\n" % (a.timeout, a.expr))
    sys.stderr.write("files: %s\n" % (", ".join(expand(a.files)) or "(none exist)"))
    sys.stderr.write("%d document(s) read, %d unparsable line(s)\n" % (len(r.docs), len(r.bad)))
    for path, n, err, line in r.bad[:5]:
        sys.stderr.write("  unparsable %s:%d: %s: %s\n" % (path, n, err, line))
    if r.docs:
        sys.stderr.write("last documents:\n")
        for _, _, d in r.docs[-a.show:]:
            sys.stderr.write("  " + short(d) + "\n")
    return 1


def cmd_logseqs(a):
    for ident, ev in sorted(log_events(a.logs, a.key).items()):
        print(ev["seq"])
    return 0


def cmd_noloss(a):
    """Poll until complete, the deadline, or the output stalls for --stall s."""
    deadline = time.time() + a.timeout
    r = Reader(a.files)
    last_growth, last_count = time.time(), -1
    while True:
        # The log first: an event logged while the documents are read
        # must not count as missing (a busy host logs all the time).
        events = log_events([a.log], a.key)
        r.poll()
        if len(r.docs) != last_count:
            last_count, last_growth = len(r.docs), time.time()
        if a.min_seq is not None:
            events = {k: v for k, v in events.items() if v["seq"] >= a.min_seq}
        missing, dup, matched, badtime = compare(events, [d for _, _, d in r.docs])
        now = time.time()
        if (not missing and not dup) or now >= deadline:
            break
        if now - last_growth >= a.stall:
            print("(the output has not grown for %.0f s; giving up waiting)" % a.stall)
            break
        time.sleep(0.5)
    if a.min_seq is not None:
        print("(only events with sequence >= %d)" % a.min_seq)
    print("auditd log: %d event(s) with key %s; matched exactly once: %d; missing: %d; duplicated: %d"
          % (len(events), a.key, matched, len(missing), len(dup)))
    print("output: %d document(s) in %s" % (len(r.docs), ", ".join(expand(a.files)) or "(no files)"))
    status = 0
    if not events:
        print("FAIL: auditd logged no event with key %s (rule not loaded?)" % a.key)
        status = 1
    if missing:
        status = 1
        print("FAIL: %d event(s) in auditd's log have no document, e.g.:" % len(missing))
        for ev in missing[: a.show]:
            print("  seq %d at %.3f types %s" % (ev["seq"], ev["ts"], ",".join(ev["types"])))
            for ln in ev["lines"][:1]:
                print("    " + ln)
        seqs = sorted(ev["seq"] for ev in missing)
        print("  missing sequences (first 50): %s" % " ".join(str(s) for s in seqs[:50]))
    if dup:
        status = 1
        print("FAIL: %d event(s) have more than one document, e.g.:" % len(dup))
        for ev, ds in dup[: a.show]:
            print("  seq %d: %d documents" % (ev["seq"], len(ds)))
            for d in ds[:3]:
                print("    " + short(d))
    if badtime:
        status = 1
        print("FAIL: %d document(s) have an @timestamp that is not the audit record's time, e.g.:" % len(badtime))
        for ev, d in badtime[: a.show]:
            print("  seq %d: record time %.3f (%s), document @timestamp %r" % (
                ev["seq"], ev["ts"],
                datetime.datetime.fromtimestamp(ev["ts"], datetime.timezone.utc).isoformat(timespec="milliseconds"),
                get(d, "@timestamp")))
    if r.bad:
        status = 1
        print("FAIL: %d unparsable line(s) in the output, e.g.:" % len(r.bad))
        for path, n, err, line in r.bad[: a.show]:
            print("  %s:%d: %s: %s" % (path, n, err, line))
    tails = r.partial_tails()
    if tails:
        status = 1
        print("FAIL: output file(s) end with an unterminated line: %s" % ", ".join(tails))
    if status == 0:
        print("ok: every logged event with key %s is in the output exactly once" % a.key)
    return status


def cmd_summary(a):
    r = read_all(a.files)
    for _, _, d in r.docs[-a.show:]:
        print(short(d))
    print("%d document(s), %d unparsable line(s)" % (len(r.docs), len(r.bad)))
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="ecsq.py")
    sub = p.add_subparsers(dest="cmd", required=True)

    w = sub.add_parser("wait", help="wait for a document matching a Python expression over d")
    w.add_argument("--timeout", type=float, default=10.0)
    w.add_argument("--interval", type=float, default=0.05)
    w.add_argument("--expr", required=True)
    w.add_argument("--since", type=float, help="epoch; print elapsed time since then on stderr")
    w.add_argument("--elapsed-file")
    w.add_argument("--show", type=int, default=10)
    w.add_argument("files", nargs="+")
    w.set_defaults(func=cmd_wait)

    ls = sub.add_parser("logseqs", help="sequence numbers of events with KEY in auditd logs")
    ls.add_argument("--key", required=True)
    ls.add_argument("logs", nargs="+")
    ls.set_defaults(func=cmd_logseqs)

    nl = sub.add_parser("noloss", help="every event with KEY in auditd's log is in the output once")
    nl.add_argument("--key", required=True)
    nl.add_argument("--log", required=True)
    nl.add_argument("--timeout", type=float, default=30.0)
    nl.add_argument("--show", type=int, default=5)
    nl.add_argument("--stall", type=float, default=15.0,
                    help="stop waiting when the output has not grown for this long")
    nl.add_argument("--min-seq", type=int, help="ignore logged events with a lower sequence number")
    nl.add_argument("files", nargs="+")
    nl.set_defaults(func=cmd_noloss)

    s = sub.add_parser("summary", help="one line per document (the last --show)")
    s.add_argument("--show", type=int, default=20)
    s.add_argument("files", nargs="+")
    s.set_defaults(func=cmd_summary)

    a = p.parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
