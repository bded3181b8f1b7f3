#!/bin/sh
# 100,000 files: the first scan writes one state document per file and
# directory, the second finds nothing, and a change among them is found.
. "$(dirname "$0")/lib.sh"
fim_init
fim_config "paths = [\"$T/tree\"]; recursive = true;"
python3 - "$T/tree" <<'PY'
import os, sys
top = sys.argv[1]
for d in range(100):
    os.mkdir(f"{top}/d{d}")
    for f in range(1000):
        with open(f"{top}/d{d}/f{f}", "w") as fh:
            fh.write(f"{d}/{f}\n")
PY
timeout 300 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "first scan exited $?"
n=$(fim_count "act(d) == ['initial_scan']")
[ "$n" = 100101 ] || fim_fail "$n initial_scan documents, not 100101"
: > $T/out.json
echo changed > $T/tree/d42/f420
timeout 300 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "second scan exited $?"
[ "$(fim_count True)" = 1 ] || fim_fail "$(fim_count True) documents, not 1"
[ "$(fim_count "path(d).endswith('/d42/f420') and 'updated' in act(d)")" = 1 ] || fim_fail "change missed"
fim_pass "100,000 files"
