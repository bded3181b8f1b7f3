#!/usr/bin/env python3
"""Read NDJSON documents on stdin and write them in a form fit for a golden
comparison: each line must be valid JSON; fields that depend on the machine
or the build (host.*, agent.version) are removed; keys are sorted so the
diff shows values, not ordering."""
import json
import sys

for number, line in enumerate(sys.stdin, 1):
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as err:
        sys.exit(f"document {number} is not valid JSON: {err}")
    doc.pop("host", None)
    doc.get("agent", {}).pop("version", None)
    print(json.dumps(doc, sort_keys=True, ensure_ascii=False))
