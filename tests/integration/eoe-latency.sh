#!/bin/bash
# After one event, its document appears within 3 s even when no further audit
# record arrives (the plugin must not hold the last event until the next one).
# Two cases: an execve (multi-record event ended by an EOE record) and a
# userspace message from "auditctl -m" (a single-record event without EOE).
. "$(dirname "$0")/lib.sh" || exit 99
itest_init eoe-latency
command -v setpriv >/dev/null 2>&1 || itest_skip "setpriv not found (Debian package util-linux)"
LIMIT=${ITEST_EOE_LIMIT:-3}
# an otherwise unused uid, so that the rule matches only our command
EUID_TEST=${ITEST_EOE_UID:-61234}
itest_write_configs
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -F uid="$EUID_TEST" -k itest_eoe
sleep 1   # let the start-up records (DAEMON_START, CONFIG_CHANGE) drain first

status=0

# other_records T0 T1 SEQ: how many audit records (not of event SEQ) auditd
# logged between T0 and T1, i.e. whether something else could have pushed
# our event out of the plugin.
other_records() {
    "$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_AUDIT_LOG" "$1" "$2" "$3" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import ecsq
log, t0, t1, seq = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
n = 0
for ev in ecsq.log_events([log]).values():
    if ev["seq"] != seq and t0 - 0.01 <= ev["ts"] <= t1 + 0.01:
        n += len(ev["types"])
print(n)
PY
}

check_latency() {   # NAME ELAPSED SEQ T0
    local name=$1 elapsed=$2 seq=$3 t0=$4 others
    others=$(other_records "$t0" "$(awk -v a="$t0" -v b="$elapsed" 'BEGIN{printf "%.3f", a+b}')" "$seq")
    echo "$name: document appeared after ${elapsed} s (limit ${LIMIT} s); other audit records logged meanwhile: $others"
    if awk -v e="$elapsed" -v l="$LIMIT" 'BEGIN{exit !(e > l)}'; then
        echo "FAIL: $name: the document took ${elapsed} s (> ${LIMIT} s)"
        status=1
    fi
}

# ---- case 1: execve (ends with EOE)
t0=$(itest_now)
setpriv --reuid="$EUID_TEST" --regid="$EUID_TEST" --clear-groups /bin/true itest-eoe &
pid=$!
wait "$pid"
if doc=$("$ITEST_PYTHON" "$ITEST_PY" wait --timeout 15 --since "$t0" --elapsed-file "$ITEST_TMP/elapsed1" \
        --expr "get(d, 'process.pid') == $pid and 'itest_eoe' in tags(d)" "$ITEST_EVENTS"); then
    seq=$("$ITEST_PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["auditd"]["sequence"])' "$doc" 2>/dev/null || echo 0)
    check_latency "execve" "$(cat "$ITEST_TMP/elapsed1")" "$seq" "$t0"
else
    echo "FAIL: execve: no document for pid $pid within 15 s"
    status=1
fi

# ---- case 2: a single-record userspace event (no EOE)
sleep 1
marker="itest-eoe-marker-$$-$RANDOM"
t0=$(itest_now)
auditctl -m "$marker" || itest_error "auditctl -m failed"
seq=""
for _ in $(seq 50); do
    seq=$(grep -a -F "$marker" "$ITEST_AUDIT_LOG" | sed -n 's/.*msg=audit([0-9.]*:\([0-9]*\)).*/\1/p' | head -n 1)
    [ -n "$seq" ] && break
    sleep 0.05
done
if [ -z "$seq" ]; then
    echo "FAIL: auditd did not log the user message '$marker'"
    status=1
elif "$ITEST_PYTHON" "$ITEST_PY" wait --timeout 15 --since "$t0" --elapsed-file "$ITEST_TMP/elapsed2" \
        --expr "get(d, 'auditd.sequence') == $seq and get(d, 'auditd.message_type') != 'daemon_start'" \
        "$ITEST_EVENTS" >/dev/null; then
    check_latency "user message (auditctl -m)" "$(cat "$ITEST_TMP/elapsed2")" "$seq" "$t0"
else
    echo "FAIL: user message: no document with auditd.sequence $seq within 15 s"
    status=1
fi

[ "$status" = 0 ] || itest_fail "an event was held back"
itest_pass
