#!/bin/bash
# SIGHUP makes the plugin re-read its config: after the output path is changed
# and the plugin gets SIGHUP, new documents go to the new file, the plugin
# keeps running (same pid), and no event is lost or duplicated across the
# switch (audit sequence numbers for the rule key in auditd's own log vs. the
# union of both output files), even with events arriving during the reload.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init sighup-reload
A="$ITEST_TMP/out/events-a.json"
B="$ITEST_TMP/out/events-b.json"
ITEST_EVENTS=$A
itest_write_configs
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -k itest_hup
marker="itest-hup-$$"
status=0

# batch 1, before the reload
for i in $(seq 100); do /bin/true "$marker-1-$i"; done
itest_wait_doc 10 "'$marker-1-100' in (get(d, 'process.args') or [])" "$A" >/dev/null ||
    itest_fail "the plugin did not write batch 1 to $A"

# events keep coming while the config changes and SIGHUP arrives
( end=$(( $(date +%s) + 3 )); i=0
  while [ "$(date +%s)" -lt "$end" ]; do i=$((i + 1)); /bin/true "$marker-bg-$i"; done ) &
gen=$!
ITEST_BG_PIDS+=("$gen")
sleep 1
itest_write_plugin_conf "$B"
kill -HUP "$PLUGIN_PID"
hup_at=$(itest_now)
wait "$gen"

if ! itest_is_plugin "$PLUGIN_PID"; then
    echo "FAIL: the plugin (pid $PLUGIN_PID) is gone after SIGHUP (no SIGHUP handler?)"
    now=$(itest_find_plugin_pid 1) && echo "      auditd restarted it as pid $now"
    status=1
fi

# batch 2, well after the reload: must all be in B
sleep 1
for i in $(seq 100); do /bin/true "$marker-2-$i"; done
itest_wait_doc 15 "'$marker-2-100' in (get(d, 'process.args') or [])" "$B" >/dev/null ||
    { echo "FAIL: the last event of batch 2 did not appear in the new file $B"; status=1; }

itest_noloss itest_hup 20 "$A" "$B" || status=1

"$ITEST_PYTHON" - "$ITEST_DIR" "$A" "$B" "$marker" "$hup_at" <<'PY' || status=1
import sys
sys.path.insert(0, sys.argv[1])
import ecsq
a, b, marker, hup_at = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
def count(path, prefix):
    n = 0
    for _, _, d in ecsq.read_all([path]).docs:
        args = ecsq.get(d, "process.args") or []
        if len(args) > 1 and isinstance(args[1], str) and args[1].startswith(prefix):
            n += 1
    return n
rc = 0
for batch in ("1", "bg", "2"):
    na, nb = count(a, "%s-%s-" % (marker, batch)), count(b, "%s-%s-" % (marker, batch))
    print("batch %-2s: %4d document(s) in the old file, %4d in the new file" % (batch, na, nb))
    if batch == "2" and (na != 0 or nb != 100):
        print("FAIL: batch 2 (after the reload) must be entirely in the new file (100 documents)")
        rc = 1
# nothing written to the old file after the reload had time to take effect
late = [d for _, _, d in ecsq.read_all([a]).docs
        if (ecsq.parse_ts(ecsq.get(d, "@timestamp")) or 0) > hup_at + 1.0]
if late:
    print("FAIL: %d document(s) for events more than 1 s after SIGHUP went to the old file, e.g. %s"
          % (len(late), ecsq.short(late[0])))
    rc = 1
sys.exit(rc)
PY

[ "$status" = 0 ] || itest_fail "reload on SIGHUP"
itest_pass
