#!/bin/bash
# Gaps healed from auditd's log (input.backfill): auditd with a small
# plugin queue (q_depth 200) drops events for a plugin that does not
# read; every one of them is in auditd's log, so every keyed event must
# reach the output exactly once, those read from the log marked
# auditd.backfilled, and none reported lost:
#  (a) the plugin SIGSTOPped under load, then SIGCONT;
#  (b) the plugin SIGKILLed under load (auditd starts it again).
. "$(dirname "$0")/lib.sh" || exit 99
itest_init backfill
itest_write_configs
sed -i 's/^q_depth = .*/q_depth = 200/' "$ITEST_AUDITD_CONF_DIR/auditd.conf"
cat >>"$ITEST_PLUGIN_CONF" <<CONF
input: { backfill: { log_file = "$ITEST_AUDIT_LOG"; }; };
CONF
"$AUDISP_ECS_BIN" test config -c "$ITEST_PLUGIN_CONF" >/dev/null || itest_fail "config rejected"
itest_start_auditd
# Only our loop's executions: with every execve on the machine audited,
# auditd (which sleeps 8 ms for each record its full queue refuses) would
# fall far behind.
itest_add_rule -a always,exit -F arch=b64 -S execve -F exe=/usr/bin/true -F key=itest_bf
marker="itest-bf-$$"
status=0

# check WHAT: exactly once, some backfilled, no lost document for a
# serial auditd logged
check() {
    itest_noloss itest_bf 30 || { echo "FAIL: ($1) not every keyed event exactly once"; status=1; }
    "$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_EVENTS" "$ITEST_AUDIT_LOG" "$1" <<'PY' || status=1
import sys
sys.path.insert(0, sys.argv[1])
import ecsq
docs = [d for _, _, d in ecsq.read_all([sys.argv[2]]).docs]
logged = {ev["seq"] for ev in ecsq.log_events([sys.argv[3]]).values()}
back = [d for d in docs if ecsq.get(d, "auditd.backfilled") is True]
lost = [(ecsq.get(d, "auditd.lost.first_sequence"), ecsq.get(d, "auditd.lost.last_sequence"))
        for d in docs if ecsq.get(d, "event.action") == "audit-events-lost"]
wrong = [r for r in lost if r[0] is not None and any(r[0] <= s <= r[1] for s in logged)]
print("(%s) %d document(s), %d backfilled, %d lost-event document(s)" % (sys.argv[4], len(docs), len(back), len(lost)))
rc = 0
if not back:
    print("FAIL: (%s) nothing was backfilled: auditd dropped nothing?" % sys.argv[4]); rc = 1
if wrong:
    print("FAIL: (%s) reported lost although auditd logged them: %s" % (sys.argv[4], wrong[:5])); rc = 1
sys.exit(rc)
PY
}

# ---- (a)
kill -STOP "$PLUGIN_PID"
for i in $(seq 500); do /bin/true "$marker-a-$i"; done
kill -CONT "$PLUGIN_PID"
for i in $(seq 20); do /bin/true "$marker-a-after-$i"; done
itest_wait_doc 30 "'$marker-a-after-20' in (get(d, 'process.args') or [])" >/dev/null ||
    itest_fail "(a) the events after SIGCONT did not arrive"
sleep 7          # a gap is declared after 5 s
check a

# ---- (b) SIGKILL under load: what the killed plugin had read but not
# stored, and what auditd wrote to it meanwhile, comes from the log; what
# it had stored is not written again (last-serial keeps the holes).
( for i in $(seq 400); do /bin/true "$marker-b-$i"; done ) &
load=$!
ITEST_BG_PIDS+=("$load")
sleep 0.5
kill -KILL "$PLUGIN_PID"
wait "$load"
itest_forget_bg "$load"
PLUGIN_PID=$(itest_find_plugin_pid 15 "$PLUGIN_PID") ||
    itest_fail "(b) auditd did not start the plugin again"
for i in $(seq 20); do /bin/true "$marker-b-after-$i"; done
itest_wait_doc 30 "'$marker-b-after-20' in (get(d, 'process.args') or [])" >/dev/null ||
    itest_fail "(b) the events after the restart did not arrive"
sleep 7
check b

[ "$status" = 0 ] || { [ -n "$ITEST_SYSLOG" ] && grep -a "audisp-ecs" "$ITEST_SYSLOG" | tail -20; itest_fail "backfill"; }
itest_pass
