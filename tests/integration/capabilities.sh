#!/bin/bash
# Hardening: the plugin auditd starts keeps only the capabilities it needs
# (plugin mode: CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE, CAP_AUDIT_CONTROL
# for the kernel status poll; with FIM on fanotify also CAP_SYS_ADMIN) in every thread's effective, permitted and
# bounding sets, none inheritable or ambient, with no_new_privs; and the
# enrichment that reads /proc of another user's process (the parent's
# executable, from /proc/PID/exe) still works.  A SIGHUP reload that would
# need a dropped capability keeps the plugin running and says a restart
# is needed.  With run_as the plugin runs as that user with the same sets.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init capabilities
command -v setpriv >/dev/null 2>&1 || itest_skip "setpriv not found (Debian package util-linux)"

CAP_DAC_READ_SEARCH=2
CAP_SYS_PTRACE=19
CAP_SYS_ADMIN=21
CAP_AUDIT_CONTROL=30	# input.status_period polls the kernel's status
mask() { local m=0 c; for c in "$@"; do m=$((m | (1 << c))); done; printf '%016x' "$m"; }

# check_caps PID WANT_MASK: every thread of PID has exactly WANT_MASK
check_caps() {
    local pid=$1 want=$2 st f v
    for st in /proc/"$pid"/task/*/status; do
        for f in CapEff CapPrm CapBnd; do
            v=$(awk -v k="$f:" '$1 == k { print $2 }' "$st")
            [ "$v" = "$want" ] || itest_fail "$st: $f is $v, want $want"
        done
        for f in CapInh CapAmb; do
            v=$(awk -v k="$f:" '$1 == k { print $2 }' "$st")
            [ "$v" = 0000000000000000 ] || itest_fail "$st: $f is $v, want none"
        done
        v=$(awk '$1 == "NoNewPrivs:" { print $2 }' "$st")
        [ "$v" = 1 ] || itest_fail "$st: NoNewPrivs is $v"
    done
    itest_msg "pid $pid: $(ls /proc/"$pid"/task | wc -l) threads with CapEff/CapPrm/CapBnd $want"
}

itest_capture_syslog || itest_msg "syslog goes to the system's log: the reload message is not checked"
itest_write_configs

# A process of another user (nobody), started before the rule so that the
# plugin never sees it exec: its child's parent comes from /proc.
setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c \
    'sleep 3; /bin/echo itest-caps-marker; sleep 1' >/dev/null &
nobody_sh=$!
ITEST_BG_PIDS+=("$nobody_sh")

itest_start_auditd
check_caps "$PLUGIN_PID" "$(mask $CAP_DAC_READ_SEARCH $CAP_SYS_PTRACE $CAP_AUDIT_CONTROL)"
itest_add_rule -a always,exit -F arch=b64 -S execve -F uid=65534 -k itest_caps

doc=$(itest_wait_doc 15 "get(d, 'process.args') == ['/bin/echo', 'itest-caps-marker']") ||
    itest_fail "no document for the echo run by nobody's shell (pid $nobody_sh)"
itest_check_doc "$doc" "echo run by another user" "$nobody_sh" <<'PY' || itest_fail "enrichment after the capability drop"
c.eq("process.parent.pid", int(args[0]))
c.eq("process.parent.executable", "/usr/bin/dash")
c.eq("process.executable", "/usr/bin/echo")
c.eq("user.id", "65534")
c.eq("user.name", "nobody")
PY
wait "$nobody_sh"

# A reload that turns on FIM with fanotify: that needs CAP_SYS_ADMIN.
mkdir -p "$ITEST_TMP/watched"
cat >>"$ITEST_PLUGIN_CONF" <<CONF
fim: { paths = [ "$ITEST_TMP/watched" ]; backend = "fanotify"; state_path = "$ITEST_TMP/fim"; };
CONF
kill -HUP "$PLUGIN_PID"
sleep 1
itest_is_plugin "$PLUGIN_PID" || itest_fail "the plugin is gone after SIGHUP"
if [ -n "$ITEST_SYSLOG" ]; then
    for _ in $(seq 50); do grep -q 'restart audisp-ecs' "$ITEST_SYSLOG" && break; sleep 0.1; done
    grep -q 'reload: the new settings need cap_sys_admin, dropped at start-up; restart' "$ITEST_SYSLOG" ||
        itest_fail "no restart notice for the reload that needs CAP_SYS_ADMIN: $(grep audisp-ecs "$ITEST_SYSLOG" | tail -5)"
fi
setpriv --reuid=65534 --regid=65534 --clear-groups /bin/true itest-caps-after-hup
itest_wait_doc 10 "get(d, 'process.args') == ['/bin/true', 'itest-caps-after-hup']" >/dev/null ||
    itest_fail "no documents after the reload"

# Started with FIM on fanotify: CAP_SYS_ADMIN is kept too.
pid=$PLUGIN_PID
itest_stop_auditd_and_plugin "$pid" || itest_fail "the plugin did not stop"
itest_start_auditd
check_caps "$PLUGIN_PID" "$(mask $CAP_DAC_READ_SEARCH $CAP_SYS_PTRACE $CAP_SYS_ADMIN $CAP_AUDIT_CONTROL)"
echo changed >"$ITEST_TMP/watched/file"
itest_wait_doc 10 "get(d, 'file.path') == '$ITEST_TMP/watched/file'" >/dev/null ||
    itest_fail "FIM wrote no document for a file created under fanotify"

# run_as: the plugin becomes nobody with the same capabilities, and still
# reads /proc of root's processes (this shell, whose exec it never saw).
pid=$PLUGIN_PID
itest_stop_auditd_and_plugin "$pid" || itest_fail "the plugin did not stop"
mine="$ITEST_TMP/nobody"
mkdir -p "$mine/out" "$mine/data"
chown -R 65534:65534 "$mine"
ITEST_EVENTS="$mine/out/events.json"
cat >"$ITEST_PLUGIN_CONF" <<CONF
output: { file: { path = "$ITEST_EVENTS"; }; };
path: { data = "$mine/data"; };
run_as = "nobody";
CONF
itest_start_auditd
check_caps "$PLUGIN_PID" "$(mask $CAP_DAC_READ_SEARCH $CAP_SYS_PTRACE $CAP_AUDIT_CONTROL)"
uids=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$PLUGIN_PID/status")
[ "$uids" = "65534 65534 65534 65534" ] || itest_fail "run_as nobody: uids are $uids"
[ -z "$(awk '$1 == "Groups:" { print $2 }' "/proc/$PLUGIN_PID/status")" ] ||
    itest_fail "run_as nobody kept supplementary groups"
itest_add_rule -a always,exit -F arch=b64 -S execve -F uid=0 -F exe=/usr/bin/echo -k itest_caps_root
/bin/echo itest-caps-run-as >/dev/null
doc=$(itest_wait_doc 10 "get(d, 'process.args') == ['/bin/echo', 'itest-caps-run-as']") ||
    itest_fail "run_as nobody: no document for root's echo"
itest_check_doc "$doc" "root's echo, seen by nobody" "$$" <<'PY' || itest_fail "run_as nobody: enrichment"
c.eq("process.parent.pid", int(args[0]))
c.eq("process.parent.executable", "/usr/bin/bash")
c.eq("user.name", "root")
PY
itest_pass
