#!/bin/bash
# An execve with tricky arguments (spaces, a double quote, an empty argument,
# a tab, UTF-8) becomes one "executed" document whose process.args is exactly
# the argv the kernel saw.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init exec-args
itest_write_configs
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -k itest_exec

# `cmd &` forks a child that execs cmd directly: $! is the pid of the echo.
/bin/echo "a b" "" 'q"uote' $'t\tab' héllo >/dev/null &
pid=$!
wait "$pid"

doc=$(itest_wait_doc 10 "get(d, 'process.pid') == $pid and 'itest_exec' in tags(d)") ||
    itest_fail "no document for the execve of /bin/echo (pid $pid) within 10 s"

itest_check_doc "$doc" "execve document" <<'PY' || itest_fail "wrong fields in the execve document"
c.eq("event.action", "executed")
c.eq("event.outcome", "success")
c.eq("event.module", "auditd")
c.eq("auditd.message_type", "syscall")
c.eq("process.args", ["/bin/echo", "a b", "", 'q"uote', "t\tab", "héllo"])
c.eq("process.args_count", 6)
c.eq("process.executable", "/usr/bin/echo")
c.eq("process.name", "echo")
c.contains("tags", "itest_exec")
c.eq("user.id", "0")
seq = ecsq.get(d, "auditd.sequence")
if not isinstance(seq, int):
    c.errors.append("auditd.sequence: got %r, expected a number" % (seq,))
PY
itest_pass
