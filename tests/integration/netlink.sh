#!/bin/bash
# The netlink input (input.source = "netlink"), run on its own with -f:
#  (a) beside a running auditd that feeds the plugin on stdin as usual:
#      every keyed event of auditd's log arrives on both paths, and the two
#      documents of each event agree (the netlink records are RAW, so names
#      are ours: they must match auditd's ENRICHED ones);
#  (b) with no audit daemon at all, rules loaded by auditctl;
#  (c) a receive buffer too small for a burst while the plugin is stopped:
#      the overruns are counted, and every keyed event of auditd's log
#      arrives exactly once, what the kernel dropped for us healed from
#      auditd's log (auditd.backfilled).
. "$(dirname "$0")/lib.sh" || exit 99
itest_init netlink
itest_write_configs
NL_EVENTS="$ITEST_TMP/out/netlink.json"
status=0

# itest_netlink_conf FILE OUT [EXTRA]: a standalone netlink config
netlink_conf() {
    cat >"$1" <<CONF
input: { source = "netlink"; ${3:-} };
output: { file: { path = "$2"; }; };
path: { data = "$ITEST_TMP/nl-data"; };
logging: { to_stderr = true; };
CONF
    chmod 0600 "$1"
    "$AUDISP_ECS_BIN" test config -c "$1" >/dev/null ||
        itest_fail "the netlink config was rejected"
}

# start_netlink CONF: the standalone plugin in the background; sets NL_PID
start_netlink() {
    "$AUDISP_ECS_BIN" -f -c "$1" >>"$ITEST_TMP/netlink.log" 2>&1 </dev/null {ITEST_LOCK_FD}<&- &
    NL_PID=$!
    ITEST_BG_PIDS+=("$NL_PID")
    for _ in $(seq 50); do
        grep -q "reading audit records from the kernel" "$ITEST_TMP/netlink.log" && break
        sleep 0.1
    done
    sleep 0.3
    kill -0 "$NL_PID" 2>/dev/null || { cat "$ITEST_TMP/netlink.log"; itest_fail "the netlink plugin did not start"; }
}

stop_netlink() {
    kill -TERM "$NL_PID"
    wait "$NL_PID"
    local rc=$?
    itest_forget_bg "$NL_PID"
    return $rc
}

# ---- (a) beside auditd
netlink_conf "$ITEST_TMP/nl.conf" "$NL_EVENTS" "backfill: { log_file = \"$ITEST_AUDIT_LOG\"; };"
start_netlink "$ITEST_TMP/nl.conf"
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -F key=itest_nl
marker="itest-nl-$$"
for i in $(seq 200); do /bin/true "$marker-$i"; done
itest_wait_doc 15 "'$marker-200' in (get(d, 'process.args') or [])" "$NL_EVENTS" >/dev/null ||
    itest_fail "the netlink plugin did not write the last event"
itest_noloss itest_nl 20 "$NL_EVENTS" || { echo "FAIL: (a) netlink path lost events"; status=1; }
itest_noloss itest_nl 20 "$ITEST_EVENTS" || { echo "FAIL: (a) stdin path lost events"; status=1; }
"$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_EVENTS" "$NL_EVENTS" "$marker-" <<'PY' || status=1
import sys
sys.path.insert(0, sys.argv[1])
import ecsq
marker = sys.argv[4]
def by_seq(path):
    out = {}
    for _, _, d in ecsq.read_all([path]).docs:
        args = ecsq.get(d, "process.args") or []
        if len(args) > 1 and str(args[1]).startswith(marker):
            out[ecsq.get(d, "auditd.sequence")] = d
    return out
a, b = by_seq(sys.argv[2]), by_seq(sys.argv[3])
def flat(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from flat(v, prefix + k + ".")
        else:
            yield prefix + k, v
# agent.*: two processes.  What each one reads from /proc (the parent,
# the container) depends on when it looked, the records do not.
skip = ("agent.", "process.parent.", "container.")
rc, compared = 0, 0
for seq in sorted(set(a) & set(b)):
    fa = {k: v for k, v in flat(a[seq]) if not k.startswith(skip)}
    fb = {k: v for k, v in flat(b[seq]) if not k.startswith(skip)}
    compared += 1
    if fa != fb:
        diff = sorted(k for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))
        print("FAIL: (a) sequence %s differs between stdin and netlink: %s"
              % (seq, ", ".join("%s: %r vs %r" % (k, fa.get(k), fb.get(k)) for k in diff[:6])))
        rc = 1
        break
print("(a) %d event(s) compared between the stdin and the netlink path" % compared)
if compared < 200:
    print("FAIL: (a) only %d events in both outputs" % compared)
    rc = 1
sys.exit(rc)
PY
stop_netlink || { echo "FAIL: (a) the netlink plugin did not exit cleanly"; status=1; }
itest_delete_rules
itest_stop_auditd 15 || itest_fail "auditd did not stop"
AUDITD_PID=

# ---- (b) no audit daemon: rules from auditctl, records to the group only
NL_B="$ITEST_TMP/out/netlink-b.json"
netlink_conf "$ITEST_TMP/nl-b.conf" "$NL_B" "backfill: { enabled = false; };"
start_netlink "$ITEST_TMP/nl-b.conf"
[ "$(itest_status_field pid)" = 0 ] || itest_fail "(b) an audit daemon is registered"
auditctl -e 1 >/dev/null    # auditd may have disabled audit as it stopped
itest_add_rule -a always,exit -F arch=b64 -S execve -F key=itest_nl_b
for i in $(seq 100); do /bin/true "$marker-b-$i"; done
itest_wait_doc 15 "'$marker-b-100' in (get(d, 'process.args') or [])" "$NL_B" >/dev/null ||
    { echo "FAIL: (b) without auditd the last event did not arrive"; status=1; }
itest_delete_rules
stop_netlink || { echo "FAIL: (b) the netlink plugin did not exit cleanly"; status=1; }
"$ITEST_PYTHON" - "$ITEST_DIR" "$NL_B" "$marker-b-" <<'PY' || status=1
import sys
sys.path.insert(0, sys.argv[1])
import ecsq
docs = [d for _, _, d in ecsq.read_all([sys.argv[2]]).docs
        if any(isinstance(a, str) and a.startswith(sys.argv[3]) for a in (ecsq.get(d, "process.args") or []))]
rc = 0
if len(docs) != 100:
    print("FAIL: (b) %d documents for 100 executions" % len(docs)); rc = 1
for d in docs[:1]:
    for field, want in (("user.name", "root"), ("process.executable", "/usr/bin/true"),
                        ("event.action", "executed"), ("tags", ["itest_nl_b"])):
        if ecsq.get(d, field) != want:
            print("FAIL: (b) %s is %r, not %r" % (field, ecsq.get(d, field), want)); rc = 1
print("(b) %d documents without auditd" % len(docs))
sys.exit(rc)
PY

# ---- (c) a receive buffer overrun while the plugin is stopped
itest_start_auditd
NL_C="$ITEST_TMP/out/netlink-c.json"
netlink_conf "$ITEST_TMP/nl-c.conf" "$NL_C" "netlink: { buffer_size = \"64KiB\"; }; backfill: { log_file = \"$ITEST_AUDIT_LOG\"; };"
start_netlink "$ITEST_TMP/nl-c.conf"
# only the loop's executions: the burst is ours, not the machine's
itest_add_rule -a always,exit -F arch=b64 -S execve -F exe=/usr/bin/true -F key=itest_nl_c
kill -STOP "$NL_PID"
for i in $(seq 1500); do /bin/true "$marker-c-$i"; done
kill -CONT "$NL_PID"
for i in $(seq 20); do /bin/true "$marker-c-after-$i"; done
# (the heal of some 1,500 events from the log comes first: slow under ASan)
itest_wait_doc 60 "'$marker-c-after-20' in (get(d, 'process.args') or [])" "$NL_C" >/dev/null ||
    { echo "FAIL: (c) the events after the overrun did not arrive"; status=1; }
sleep 6     # a gap is declared once it has been open 5 s
itest_delete_rules
sleep 2     # the rule's removal (keyed too) reaches the plugin
kill -USR1 "$NL_PID"; sleep 0.5
stop_netlink || { echo "FAIL: (c) the netlink plugin did not exit cleanly"; status=1; }
itest_noloss itest_nl_c 30 "$NL_C" || { echo "FAIL: (c) not every keyed event exactly once"; status=1; }
"$ITEST_PYTHON" - "$ITEST_DIR" "$NL_C" "$ITEST_TMP/nl-data/stats.json" <<'PY' || status=1
import json, sys
sys.path.insert(0, sys.argv[1])
import ecsq
docs = [d for _, _, d in ecsq.read_all([sys.argv[2]]).docs]
back = [d for d in docs if ecsq.get(d, "auditd.backfilled") is True]
stats = json.load(open(sys.argv[3]))
overruns = stats.get("input", {}).get("netlink_overruns", 0)
print("(c) %d documents, %d backfilled, %d overrun(s)" % (len(docs), len(back), overruns))
rc = 0
if overruns < 1:
    print("FAIL: (c) no overrun counted with a 64 KiB buffer"); rc = 1
if not back:
    print("FAIL: (c) nothing was healed from auditd's log"); rc = 1
sys.exit(rc)
PY

[ "$status" = 0 ] || itest_fail "netlink input"
itest_pass
