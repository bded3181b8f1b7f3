#!/bin/sh
# Live input (plugin mode): an audit serial that never arrives is reported
# as an audit-events-lost document while the plugin runs, once the gap has
# been open for a few seconds, without waiting for the end of input.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
printf 'output: { file: { path = "%s/events.json"; }; };\npath: { data = "%s"; };\n' \
	"$dir" "$dir" > "$dir/conf"
now=$(date +%s)
record() {	# serial: one single-record event stamped now
	printf 'type=USER_CMD msg=audit(%s.000:%s): pid=1 uid=0 auid=0 ses=1 msg='"'"'cwd="/" cmd=6C73 terminal=pts/0 res=success'"'"'\n' \
	    "$now" "$1"
}
# Serials 100, 101, then 104: 102 and 103 never come.  The input stays
# open for 9 s: the report must come from the clock, not from the end.
( record 100; record 101; record 104; sleep 9 ) | "$bin" -c "$dir/conf" &
pid=$!
i=0
while [ $i -lt 16 ] && ! grep -q audit-events-lost "$dir/events.json" 2>/dev/null; do
	sleep 0.5
	i=$((i + 1))
done
if ! kill -0 "$pid" 2>/dev/null; then
	echo "FAIL: the plugin exited before the input ended"
	exit 1
fi
wait "$pid"
python3 - "$dir/events.json" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
lost = [d for d in docs if d["event"]["action"] == "audit-events-lost"]
seqs = sorted(d["auditd"]["sequence"] for d in docs if "sequence" in d["auditd"])
if seqs != [100, 101, 104]:
    sys.exit(f"FAIL: events {seqs}")
if len(lost) != 1 or lost[0]["auditd"]["lost"] != {"count": 2, "first_sequence": 102, "last_sequence": 103}:
    sys.exit(f"FAIL: lost documents {[d['auditd'] for d in lost]}")
print("PASS: serials 102-103 reported lost while the input was still open")
PY
[ $? -eq 0 ] && [ $i -lt 16 ] || { echo "FAIL: no report within 8 s"; exit 1; }
