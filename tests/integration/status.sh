#!/bin/bash
# The kernel's audit status, live and on demand:
#  (a) "audisp-ecs status --json" agrees with "auditctl -s", shows auditd's
#      plugin queue (q_depth of the private auditd.conf) and the running
#      plugin's counters, and exits 0 while nothing is lost;
#  (b) with input.status_documents, status documents (event.kind metric)
#      arrive every input.status_period;
#  (c) the kernel made to lose events (a rate limit of 5 records a second
#      and a burst) gives an audit-events-lost document with the kernel as
#      the cause, counting what the kernel's counter counted, and "status"
#      exits 1.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init status
itest_write_auditd_conf
itest_write_plugin_dropin
itest_write_plugin_conf
cat >>"$ITEST_PLUGIN_CONF" <<'CONF'
input: { status_period = "1s"; status_documents = true; };
CONF
"$AUDISP_ECS_BIN" test config -c "$ITEST_PLUGIN_CONF" >/dev/null || itest_fail "config rejected"
itest_start_auditd
status=0

# ---- (a) (the plugin writes its counters once it runs)
for _ in $(seq 50); do [ -s "$ITEST_TMP/data/stats.json" ] && break; sleep 0.1; done
out=$("$AUDISP_ECS_BIN" status --json -c "$ITEST_PLUGIN_CONF")
rc=$?
[ "$rc" = 0 ] || { echo "FAIL: (a) status exited $rc with nothing lost: $out"; status=1; }
"$ITEST_PYTHON" - "$out" "$(auditctl -s)" "$PLUGIN_PID" "$AUDITD_PID" <<'PY' || status=1
import json, sys
view = json.loads(sys.argv[1])
want = dict(l.split(None, 1) for l in sys.argv[2].splitlines() if len(l.split(None, 1)) == 2)
rc = 0
for key in ("enabled", "failure", "pid", "rate_limit", "backlog_limit", "backlog_wait_time"):
    if str(view["kernel"][key]) != want.get(key, "").strip():
        print("FAIL: (a) kernel %s is %r, auditctl -s says %r" % (key, view["kernel"][key], want.get(key)))
        rc = 1
if view["kernel"]["pid"] != int(sys.argv[4]):
    print("FAIL: (a) the audit daemon pid is not our auditd's"); rc = 1
auditd = view.get("auditd") or {}
if auditd.get("plugin_queue_size") != 65536:
    print("FAIL: (a) auditd's plugin queue size: %r" % auditd.get("plugin_queue_size")); rc = 1
plugin = view.get("plugin") or {}
if plugin.get("pid") != int(sys.argv[3]) or plugin.get("running") is not True:
    print("FAIL: (a) the running plugin's counters: %r" % plugin); rc = 1
print("(a) status: kernel %s; auditd queue %s/%s; plugin pid %s, %s records"
      % (view["kernel"], auditd.get("current_plugin_queue_depth"), auditd.get("plugin_queue_size"),
         plugin.get("pid"), plugin.get("records")))
sys.exit(rc)
PY
"$AUDISP_ECS_BIN" status -c "$ITEST_PLUGIN_CONF" | grep -q "^kernel:" ||
    { echo "FAIL: (a) the text form has no kernel section"; status=1; }

# ---- (b)
itest_wait_doc 10 "get(d, 'event.action') == 'audit-status' and get(d, 'event.kind') == 'metric' and get(d, 'auditd.status.pid') == $AUDITD_PID" >/dev/null ||
    { echo "FAIL: (b) no status document"; status=1; }

# ---- (c)
itest_add_rule -a always,exit -F arch=b64 -S execve -F key=itest_status
auditctl -r 5 >/dev/null || itest_error "cannot set a rate limit"
before=$(itest_status_field lost)
for i in $(seq 300); do /bin/true; done
after=$(itest_status_field lost)
auditctl -r "${ITEST_ORIG_RATE:-0}" >/dev/null
itest_delete_rules
[ "$after" -gt "$before" ] || itest_error "(c) the kernel lost nothing ($before -> $after)"
sleep 2.5
"$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_EVENTS" "$before" "$after" <<'PY' || status=1
import sys, time
sys.path.insert(0, sys.argv[1])
import ecsq
before, after = int(sys.argv[3]), int(sys.argv[4])
deadline = time.time() + 10
while True:
    docs = [d for _, _, d in ecsq.read_all([sys.argv[2]]).docs
            if ecsq.get(d, "auditd.lost.cause") == "kernel backlog"]
    counted = sum(ecsq.get(d, "auditd.lost.count") or 0 for d in docs)
    if counted >= after - before or time.time() > deadline:
        break
    time.sleep(0.5)
print("(c) kernel lost counter %d -> %d; %d document(s) with the kernel as cause, counting %d"
      % (before, after, len(docs), counted))
rc = 0
if counted < after - before:
    print("FAIL: (c) the kernel lost %d events, the documents count %d" % (after - before, counted)); rc = 1
if docs and ecsq.get(docs[-1], "event.action") != "audit-events-lost":
    print("FAIL: (c) event.action %r" % ecsq.get(docs[-1], "event.action")); rc = 1
sys.exit(rc)
PY
"$AUDISP_ECS_BIN" status -c "$ITEST_PLUGIN_CONF" >"$ITEST_TMP/status.txt"
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: (c) status exited $rc after the kernel lost events"; cat "$ITEST_TMP/status.txt"; status=1; }
grep -q "^PROBLEM: " "$ITEST_TMP/status.txt" || { echo "FAIL: (c) status names no problem"; status=1; }

[ "$status" = 0 ] || itest_fail "kernel status"
itest_pass
