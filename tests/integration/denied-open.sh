#!/bin/bash
# An unprivileged user (nobody, uid 65534) fails to open /etc/shadow: the
# EACCES open/openat becomes an "opened-file" document with outcome "failure".
. "$(dirname "$0")/lib.sh" || exit 99
itest_init denied-open
command -v setpriv >/dev/null 2>&1 || itest_skip "setpriv not found (Debian package util-linux)"
[ -e /etc/shadow ] || itest_skip "/etc/shadow does not exist"
itest_write_configs
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S open,openat -F exit=-EACCES -k itest_access

# setpriv drops to uid/gid 65534 and execs cat in the same process: $! is its pid.
LC_ALL=C setpriv --reuid=65534 --regid=65534 --clear-groups /bin/cat /etc/shadow >/dev/null 2>"$ITEST_TMP/cat.err" &
pid=$!
wait "$pid" && itest_error "uid 65534 could read /etc/shadow?"
grep -q 'Permission denied' "$ITEST_TMP/cat.err" ||
    itest_error "cat /etc/shadow as uid 65534 did not fail with EACCES: $(cat "$ITEST_TMP/cat.err")"

doc=$(itest_wait_doc 10 "get(d, 'process.pid') == $pid and 'itest_access' in tags(d)") ||
    itest_fail "no document for the denied open of /etc/shadow (pid $pid) within 10 s"

itest_check_doc "$doc" "denied open document" <<'PY' || itest_fail "wrong fields in the denied-open document"
c.eq("event.action", "opened-file")
c.eq("event.outcome", "failure")
c.eq("auditd.message_type", "syscall")
c.eq("file.path", "/etc/shadow")
c.eq("user.id", "65534")
c.eq("process.executable", "/usr/bin/cat")
c.contains("tags", "itest_access")
PY
itest_pass
