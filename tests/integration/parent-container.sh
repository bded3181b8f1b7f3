#!/bin/bash
# Enrichment from the live system: process.parent.* names the parent (from
# the parent's own exec, or from /proc when it was not seen), and container.id
# comes from /proc/<pid>/cgroup for a process in a container's cgroup (here a
# cgroup named the way Docker names them, made by the test).
. "$(dirname "$0")/lib.sh" || exit 99
itest_init parent-container
itest_write_configs
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -k itest_parent

# 1. A parent whose exec was seen: bash -c runs echo as a child.
/bin/bash -c '/bin/echo itest-parent-marker >/dev/null; exit 0' &
bash_pid=$!
wait "$bash_pid"
doc=$(itest_wait_doc 10 "get(d, 'process.args') == ['/bin/echo', 'itest-parent-marker']") ||
    itest_fail "no document for the echo run by bash (pid $bash_pid)"
itest_check_doc "$doc" "echo document" "$bash_pid" <<'PY' || itest_fail "wrong process.parent"
c.eq("process.parent.pid", int(args[0]))
c.eq("process.parent.executable", "/usr/bin/bash")
c.eq("process.parent.name", "bash")
c.eq("process.parent.args", ["/bin/bash", "-c", "/bin/echo itest-parent-marker >/dev/null; exit 0"])
PY

# 2. A parent not seen exec'ing (this test script's shell): read from /proc.
/bin/echo itest-proc-parent >/dev/null
doc=$(itest_wait_doc 10 "get(d, 'process.args') == ['/bin/echo', 'itest-proc-parent']") ||
    itest_fail "no document for the echo run by the test shell"
itest_check_doc "$doc" "echo document" "$$" <<'PY' || itest_fail "parent not read from /proc"
c.eq("process.parent.pid", int(args[0]))
c.eq("process.parent.executable", "/usr/bin/bash")
PY

# 3. container.id: a shell in a cgroup named like Docker's runs a command.
cgroot=""
for d in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do
    if [ -w "$d/cgroup.procs" ] 2>/dev/null; then cgroot=$d; break; fi
done
[ -n "$cgroot" ] || itest_skip "no writable cgroup hierarchy for the container.id part"
cid=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
cg="$cgroot/audisp-ecs-itest-docker-$cid.scope"
mkdir -p "$cg" || itest_fail "cannot create $cg"
# The shell moves itself into the cgroup, then runs the marker command and
# stays alive a moment, so /proc still shows it when the event is written.
/bin/sh -c "echo \$\$ > '$cg/cgroup.procs' && /bin/echo itest-container >/dev/null; sleep 3" &
sh_pid=$!
doc=$(itest_wait_doc 10 "get(d, 'process.args') == ['/bin/echo', 'itest-container']")
found=$?
wait "$sh_pid"
rmdir "$cg" 2>/dev/null
[ $found -eq 0 ] || itest_fail "no document for the command in the container cgroup"
itest_check_doc "$doc" "command in a container" "$cid" <<'PY' || itest_fail "wrong container.id"
c.eq("container.id", args[0])
PY
itest_pass
