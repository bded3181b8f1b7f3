#!/bin/bash
# The af_unix input (input.source = "unix") against auditd's own af_unix
# plugin (builtin_af_unix, string format), the plugin run on its own:
#  (a) started before auditd: it retries, connects once the socket is
#      there, and every keyed event arrives;
#  (b) another client holds the socket (auditd serves one at a time): the
#      plugin says the socket is busy, and takes over once that client is
#      gone;
#  (c) auditd restarts: the plugin connects again and events after the
#      restart arrive.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init unix-input
itest_write_auditd_conf
SOCK="$ITEST_TMP/audispd_events"
cat >"$ITEST_AUDITD_CONF_DIR/plugins.d/af_unix.conf" <<CONF
active = yes
direction = out
path = builtin_af_unix
type = builtin
args = 0640 $SOCK
format = string
CONF
chmod 0640 "$ITEST_AUDITD_CONF_DIR/plugins.d/af_unix.conf"
UX_EVENTS="$ITEST_TMP/out/unix.json"
UX_LOG="$ITEST_TMP/unix.log"
cat >"$ITEST_TMP/ux.conf" <<CONF
input: { source = "unix"; unix: { path = "$SOCK"; }; };
output: { file: { path = "$UX_EVENTS"; }; };
path: { data = "$ITEST_TMP/ux-data"; };
logging: { to_stderr = true; };
CONF
chmod 0600 "$ITEST_TMP/ux.conf"
status=0
marker="itest-ux-$$"

start_plugin() {
    "$AUDISP_ECS_BIN" -f -c "$ITEST_TMP/ux.conf" >>"$UX_LOG" 2>&1 </dev/null {ITEST_LOCK_FD}<&- &
    UX_PID=$!
    ITEST_BG_PIDS+=("$UX_PID")
}
stop_plugin() {
    kill -TERM "$UX_PID"; wait "$UX_PID"; local rc=$?
    itest_forget_bg "$UX_PID"
    return $rc
}
# wait_log N TEXT: the plugin's log has TEXT at least N times (10 s)
wait_log() {
    for _ in $(seq 100); do
        [ "$(grep -c -- "$2" "$UX_LOG")" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
execs() { for i in $(seq "$2"); do /bin/true "$marker-$1-$i"; done; }
wait_last() {
    itest_wait_doc 15 "'$marker-$1-$2' in (get(d, 'process.args') or [])" "$UX_EVENTS" >/dev/null
}

# ---- (a)
start_plugin
wait_log 1 "cannot connect to $SOCK" || { echo "FAIL: (a) no word that the socket is missing"; status=1; }
ITEST_NO_PLUGIN=1 itest_start_auditd
wait_log 1 "connected to $SOCK" || itest_fail "(a) the plugin did not connect after auditd started"
itest_add_rule -a always,exit -F arch=b64 -S execve -F key=itest_ux
execs a 100
wait_last a 100 || { echo "FAIL: (a) the events did not arrive"; status=1; }
itest_noloss itest_ux 20 "$UX_EVENTS" || { echo "FAIL: (a) events lost"; status=1; }

# ---- (b) another client first
stop_plugin
"$ITEST_PYTHON" - "$SOCK" "$ITEST_TMP/other.ready" <<'PY' {ITEST_LOCK_FD}<&- &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(20)
open(sys.argv[2], "w").close()
try:
    while s.recv(65536):
        pass
except Exception:
    pass
PY
other=$!
ITEST_BG_PIDS+=("$other")
execs b0 5              # auditd accepts the other client on its next write
for _ in $(seq 50); do [ -e "$ITEST_TMP/other.ready" ] && break; sleep 0.1; done
sleep 0.5
start_plugin
wait_log 1 "$SOCK is busy" || { echo "FAIL: (b) the plugin did not say the socket is busy"; status=1; }
itest_stop_bg "$other"
execs b 50              # auditd's write to the gone client fails: it accepts ours
wait_log 1 "records arrive" || { echo "FAIL: (b) the plugin did not take over the socket"; status=1; }
execs b2 20
wait_last b2 20 || { echo "FAIL: (b) the events after the takeover did not arrive"; status=1; }

# ---- (c) auditd restarts
itest_delete_rules
itest_stop_auditd 15 || itest_fail "auditd did not stop"
AUDITD_PID=
wait_log 1 "$SOCK closed" || { echo "FAIL: (c) the plugin did not notice auditd stopping"; status=1; }
ITEST_NO_PLUGIN=1 itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -F key=itest_ux
wait_log 2 "connected to $SOCK" || { echo "FAIL: (c) the plugin did not connect again"; status=1; }
execs c 50
wait_last c 50 || { echo "FAIL: (c) the events after the restart did not arrive"; status=1; }
stop_plugin || { echo "FAIL: the plugin did not exit cleanly"; status=1; }
if [ "$status" != 0 ]; then sed 's/^/  plugin| /' "$UX_LOG"; fi

[ "$status" = 0 ] || itest_fail "af_unix input"
itest_pass
