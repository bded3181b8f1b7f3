#!/usr/bin/env python3
"""Conformance with Auditbeat and go-libaudit.

auditbeat: every raw log in auditbeat/ is replayed with include_raw_message
on; each expected document (matched by auditd.sequence) is compared field by
field.  Fields holding names resolved from ids are machine-dependent and are
compared as "present" only.  A difference passes when docs/compat.md lists
it (table rows: field, where, reason; "where" is "*" or FILE:SEQ[, ...]).

go-libaudit: every test case of aucoalesce/testdata/*.yaml is replayed; the
action, the ECS category and the ECS type must agree on at least 95% of the
events, and every disagreement must be listed in docs/compat.md too.

Usage: compare.py AUDISP_ECS CONFIG COMPAT_MD [-v]
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NAME_FIELDS = {
    "user.name", "user.effective.name", "user.audit.name", "user.saved.name",
    "user.filesystem.name", "user.target.name", "user.changes.name",
    "user.group.name", "user.effective.group.name", "user.saved.group.name",
    "user.filesystem.group.name", "user.target.group.name", "group.name",
    "file.owner", "file.group", "auditd.summary.actor.primary",
    "auditd.summary.actor.secondary", "related.user",
}


def flatten(value, prefix=""):
    if isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            out.update(flatten(sub, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: value}


def is_name_field(field):
    return field in NAME_FIELDS or re.fullmatch(r"user\.[^.]+\.name", field)


def load_allowed(compat_md):
    """(field, where) pairs from the tables in docs/compat.md."""
    allowed = []
    for line in open(compat_md, encoding="utf-8"):
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*([^|]+)\|", line)
        if not m:
            continue
        wheres = [w.strip() for w in m.group(2).split(",")]
        allowed.append((m.group(1), wheres))
    return allowed


def is_allowed(allowed, field, where):
    for pattern, wheres in allowed:
        if pattern == field or (pattern.endswith(".*") and
                                field.startswith(pattern[:-1])):
            if "*" in wheres or where in wheres or where.split(":")[0] in wheres:
                return True
    return False


def replay(binary, config, path):
    run = subprocess.run([binary, "replay", "-c", config, path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"replay of {path} failed: {run.stderr}")
    return [json.loads(line) for line in run.stdout.splitlines()]


def compare_auditbeat(binary, config, allowed, verbose):
    total = same = explained = 0
    unexplained = []
    for log in sorted(glob.glob(os.path.join(HERE, "auditbeat", "*.log"))):
        name = os.path.basename(log)
        expected = json.load(open(log + "-expected.json"))
        # Gaps between the vectors' serials give audit-events-lost
        # documents, which Auditbeat does not write.
        ours = {d["auditd"]["sequence"]: flatten(d)
                for d in replay(binary, config, log)
                if d["event"]["action"] != "audit-events-lost"}
        for doc in expected:
            seq = doc["auditd"]["sequence"]
            mine = ours.get(seq, {})
            where = f"{name}:{seq}"
            for field, want in flatten(doc).items():
                total += 1
                have = mine.get(field)
                if is_name_field(field):
                    ok = field in mine
                else:
                    ok = field in mine and have == want and \
                        type(have) is type(want)
                if ok:
                    same += 1
                elif is_allowed(allowed, field, where):
                    explained += 1
                    if verbose:
                        print(f"  explained {where} {field}: want {want!r} have {have!r}")
                else:
                    unexplained.append(f"{where} {field}: want {want!r}, have "
                                       f"{have!r}" if field in mine else
                                       f"{where} {field}: missing (want {want!r})")
    print(f"auditbeat: {same}/{total} expected fields equal "
          f"({100.0 * same / total:.1f}%), {explained} differences explained "
          f"in docs/compat.md, {len(unexplained)} unexplained")
    for line in unexplained:
        print("  UNEXPLAINED " + line)
    return not unexplained


def golden_cases():
    import yaml
    for spec in sorted(glob.glob(os.path.join(HERE, "go-libaudit", "aucoalesce",
                                              "testdata", "*.yaml"))):
        tests = yaml.safe_load(open(spec))["tests"]
        golden = json.load(open(spec[:-5] + ".json.golden"))
        for entry in golden:
            yield os.path.basename(spec), entry["test_name"], \
                tests[entry["test_name"]], entry["event"]


def compare_golibaudit(binary, config, allowed, tmpdir, verbose):
    total = agree = 0
    unexplained = []
    for spec, name, records, want in golden_cases():
        path = os.path.join(tmpdir, "case.log")
        with open(path, "w") as f:
            f.write(records if records.endswith("\n") else records + "\n")
        docs = [d for d in replay(binary, config, path)
                if d["event"]["action"] != "audit-events-lost"]
        total += 1
        have = docs[0] if len(docs) == 1 else {}
        # The goldens are the library's output; Auditbeat, which we follow,
        # appends authentication_success/failure to USER_LOGIN's types.
        have_type = [t for t in have.get("event", {}).get("type", []) or []
                     if not t.startswith("authentication_")] or None
        checks = {
            "event.action": (want.get("summary", {}).get("action", ""),
                             have.get("event", {}).get("action")),
            "event.category": (want.get("ecs", {}).get("event", {}).get("category"),
                               have.get("event", {}).get("category")),
            "event.type": (want.get("ecs", {}).get("event", {}).get("type"),
                           have_type),
        }
        bad = [f for f, (w, h) in checks.items() if w != h]
        if len(docs) != 1:
            bad = ["document count"]
        if not bad:
            agree += 1
            continue
        where = f"{spec}:{name}"
        for field in bad:
            if is_allowed(allowed, field, where):
                if verbose:
                    print(f"  explained {where} {field}")
            else:
                w, h = checks.get(field, (1, len(docs)))
                unexplained.append(f"{where} {field}: want {w!r}, have {h!r}")
    share = 100.0 * agree / total
    print(f"go-libaudit: action, category and type agree on {agree}/{total} "
          f"events ({share:.1f}%), {len(unexplained)} unexplained differences")
    for line in unexplained:
        print("  UNEXPLAINED " + line)
    return share >= 95.0 and not unexplained


def main():
    import tempfile
    binary, config, compat_md = sys.argv[1:4]
    verbose = "-v" in sys.argv[4:]
    allowed = load_allowed(compat_md)
    with tempfile.TemporaryDirectory() as tmpdir:
        ok = compare_auditbeat(binary, config, allowed, verbose)
        ok = compare_golibaudit(binary, config, allowed, tmpdir, verbose) and ok
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
