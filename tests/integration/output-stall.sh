#!/bin/bash
# A file output that cannot write (its file system is full) never stalls
# auditd: the plugin keeps draining auditd's socket, auditd's plugin queue
# never overflows, and what the plugin cannot hold is dropped, counted and
# reported by an events-dropped document once the output writes again.
# Every event is accounted for: each event in auditd's log is written, or
# counted by a report.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init output-stall
command -v mount >/dev/null 2>&1 || itest_skip "mount not found (util-linux)"
KEY=itest_stall
EXECS=${ITEST_STALL_EXECS:-4000}
OUT=$ITEST_TMP/out

# The output directory is a small tmpfs, filled up before the events come.
mount -t tmpfs -o size=2m,mode=0755 itest-stall "$OUT" ||
    itest_skip "cannot mount a tmpfs (not allowed in this container?)"
trap 's=$?; umount -l "$OUT" 2>/dev/null; (exit $s); itest_cleanup' EXIT
itest_write_auditd_conf
sed -i 's/^q_depth = .*/q_depth = 2000/' "$ITEST_AUDITD_CONF_DIR/auditd.conf"
itest_write_plugin_dropin
# The smallest hold and queue, so that the stall shows within seconds.
cat >"$ITEST_PLUGIN_CONF" <<EOF
output: { file: { path = "$OUT/events.json"; }; };
input: { buffer_size = 65536; };
queue: { mem: { events = 64; }; };
path: { data = "$ITEST_TMP/data"; };
EOF
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -F exe=/usr/bin/true -k "$KEY"
sleep 0.5
dd if=/dev/zero of="$OUT/filler" bs=4k 2>/dev/null   # until the disk is full
lost0=$(itest_status_field lost)

itest_msg "$EXECS executions while the output's file system is full"
bash -c "for ((i = 0; i < $EXECS; i++)); do /bin/true stall-\$i; done"
sleep 2
state=$(itest_auditd_state)
status=0
if grep -q '^plugin queue overflow detected = yes' <<<"$state"; then
    echo "FAIL: auditd's queue to the plugin overflowed: the plugin stopped reading"
    status=1
fi
itest_is_plugin "$PLUGIN_PID" || itest_fail "the plugin (pid $PLUGIN_PID) is gone"
lost1=$(itest_status_field lost)
[ "$lost1" = "$lost0" ] || { echo "FAIL: the kernel lost $((lost1 - lost0)) records"; status=1; }

# Room again: the output writes what it holds, then the report of the drops.
rm -f "$OUT/filler"
for i in $(seq 20); do /bin/true after-$i; done
itest_wait_doc 30 "'after-20' in (get(d, 'process.args') or [])" "$OUT/events.json" >/dev/null ||
    itest_fail "no document after the file system had room again"
itest_wait_doc 10 "get(d, 'event.action') == 'events-dropped'" "$OUT/events.json" >/dev/null ||
    itest_fail "no events-dropped document reports the drops"

"$ITEST_PYTHON" - "$ITEST_DIR" "$OUT/events.json" "$ITEST_AUDIT_LOG" <<'PY' || status=1
import sys
sys.path.insert(0, sys.argv[1])
import ecsq
path, log = sys.argv[2], sys.argv[3]
written, dropped = set(), 0
for _, _, d in ecsq.read_all([path]).docs:
    if ecsq.get(d, "event.action") == "events-dropped":
        dropped += ecsq.get(d, "auditd.dropped.count")
        continue
    seq = ecsq.get(d, "auditd.sequence")
    if seq in written:
        sys.exit("FAIL: event %d written twice" % seq)
    written.add(seq)
# Every event auditd handed over is written, or counted in a report.
events = {ev["seq"] for ev in ecsq.log_events([log]).values()}
unwritten = events - written
print("%d events: %d written, %d not; the reports count %d dropped"
      % (len(events), len(events & written), len(unwritten), dropped))
if dropped == 0:
    sys.exit("FAIL: nothing was dropped: the stall did not happen (file system not full?)")
if len(unwritten) != dropped:
    sys.exit("FAIL: %d events have no document but the reports count %d"
             % (len(unwritten), dropped))
PY
[ "$status" = 0 ] && itest_pass
itest_fail "the output's stall reached auditd or lost count"
