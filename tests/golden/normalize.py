#!/usr/bin/env python3
"""Read NDJSON documents on stdin and write them in a form fit for a golden
comparison: each line must be valid JSON; fields that depend on the machine,
the build or the run (host.*, agent.version, agent.id, agent.ephemeral_id,
and event.id, which is derived from the machine id) are removed; keys are
sorted so the diff shows values, not ordering."""
import json
import sys

for number, line in enumerate(sys.stdin, 1):
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as err:
        sys.exit(f"document {number} is not valid JSON: {err}")
    doc.pop("host", None)
    for key in ("version", "id", "ephemeral_id"):
        doc.get("agent", {}).pop(key, None)
    doc.get("event", {}).pop("id", None)
    print(json.dumps(doc, sort_keys=True, ensure_ascii=False))
