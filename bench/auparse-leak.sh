#!/bin/bash
# Memory over a long replay of CWD records with several cwd fields, which
# libauparse 3.0.9 leaks on (parsers/auparse_quirks.h): peak RSS of a
# replay of EVENTS such events, against the same number of events whose
# CWD record has one cwd field, and valgrind's count of lost bytes over
# the first 1,000 of them.  Without the plugin's mitigation the first
# replay grows by the leaked values (malloc's chunk of 32 bytes for each
# value of up to 24 bytes); with it both stay where they are.
#
# Environment:
#   EVENTS      events per replay (default 1000000)
#   AUDISP_ECS  the binary (default: <repo>/audisp-ecs), e.g. a build
#               without the mitigation, to compare
#
# Needs: bash, python3, GNU time (/usr/bin/time); valgrind (optional).
# Prints lines of "what: value"; exits 1 if the two replays differ by
# more than 4 MiB or valgrind finds a leak.
set -euo pipefail
die() { echo "auparse-leak: $*" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${AUDISP_ECS:-$here/audisp-ecs}
events=${EVENTS:-1000000}
[ -x "$bin" ] || die "no binary at $bin (build first, or set AUDISP_ECS)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed"
command -v python3 >/dev/null || die "python3 is needed"

# records EXTRA N: N events of a CWD record and its EOE; with EXTRA=1 the
# CWD record holds a second cwd field (a directory of 11 bytes, as a
# process in "msg=audit(1" leaves it).
records() {
	python3 - "$1" "$2" <<'PY'
import sys
extra, n = sys.argv[1] == "1", int(sys.argv[2])
out = sys.stdout
for i in range(n):
    h = "msg=audit(1700000000.%03d:%d):" % (i % 1000, 1000 + i)
    cwd = 'cwd="/tmp/w%06d"' % (i % 1000000)
    if extra:
        cwd += " cwd=/msg=audit(1"
    out.write("type=CWD %s %s\ntype=EOE %s \n" % (h, cwd, h))
PY
}

# peak_rss EXTRA: peak RSS (KiB) of a replay of the records to /dev/null.
peak_rss() {
	local tmp
	tmp=$(mktemp)
	records "$1" "$events" | /usr/bin/time -f "%M" -o "$tmp" \
		"$bin" replay >/dev/null 2>/dev/null || { rm -f "$tmp"; die "replay failed"; }
	tail -n 1 "$tmp"
	rm -f "$tmp"
}

plain=$(peak_rss 0)
doubled=$(peak_rss 1)
echo "binary: $bin"
echo "events per replay: $events"
echo "peak RSS, one cwd field: $plain KiB"
echo "peak RSS, two cwd fields: $doubled KiB"
growth=$((doubled - plain))
echo "difference: $growth KiB ($(awk -v g="$growth" -v n="$events" 'BEGIN { printf "%.1f", g * 1024 / n }') bytes per record)"
status=0
[ "$growth" -le 4096 ] || status=1
if command -v valgrind >/dev/null; then
	lost=$(records 1 1000 | valgrind --leak-check=full "$bin" replay 2>&1 >/dev/null |
		sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' | tr -d ,)
	echo "valgrind, 1000 events with two cwd fields: ${lost:-0} bytes definitely lost"
	[ "${lost:-0}" = 0 ] || status=1
else
	echo "valgrind: not installed, not run"
fi
exit "$status"
