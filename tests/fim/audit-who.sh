#!/bin/bash
# Who made a change, from the audit stream: with a real auditd and a watch
# rule (-w TREE -p wa) on the tree, the PATH records of the change reach
# the plugin, and the FIM document of the file (watched with inotify,
# which knows no pid) carries the writer's process.* and user.* from them,
# including the login uid (user.audit.id), with who_source "audit".  An
# unlink is matched by the deleted file's inode.  FIM and audit documents
# of the run share agent.id and agent.ephemeral_id.
ITEST_NAME=fim-audit-who
. "$(dirname "$0")/../integration/lib.sh" || exit 99
itest_init fim-audit-who
command -v setpriv >/dev/null 2>&1 || itest_skip "setpriv not found (Debian package util-linux)"
TREE=$ITEST_TMP/tree
mkdir -m 0777 "$TREE"
itest_write_configs
cat >>"$ITEST_PLUGIN_CONF" <<EOF
fim: {
  paths = ["$TREE"];
  backend = "inotify";
  quiet_period = "100ms";
  scan_rate_per_sec = "unlimited";
};
EOF
itest_start_auditd
itest_add_rule -w "$TREE" -p wa -k fim_who
# The FIM watches are set at the plugin's start; the rule is in now.
sleep 1

# A writer as uid 65534 with login uid 1000 (root may set an unset one):
# it keeps the file open a moment after writing, as an editor would.
PY=$(readlink -f "$ITEST_PYTHON")
pid=$(sh -c 'echo 1000 > /proc/self/loginuid && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$0" -c "
import os, sys, time
f = open(sys.argv[1], \"w\")
f.write(\"by nobody\\n\")
f.flush()
print(os.getpid(), flush=True)
time.sleep(0.5)
f.close()" "$1"' "$ITEST_PYTHON" "$TREE/by-nobody") ||
    itest_error "the writer failed (login uid not settable?)"

fim=$(itest_wait_doc 10 "get(d, 'event.module') == 'file_integrity' and get(d, 'file.path') == '$TREE/by-nobody' and get(d, 'process.pid') == $pid") ||
    itest_fail "no FIM document naming the writer (pid $pid) within 10 s"
audit=$(itest_wait_doc 10 "'fim_who' in tags(d) and get(d, 'process.pid') == $pid") ||
    itest_fail "no audit document of the writer (pid $pid)"
AUDIT_DOC=$audit itest_check_doc "$fim" "FIM document" "$PY" <<'PY' || itest_fail "wrong fields in the FIM document of the write"
a = json.loads(os.environ["AUDIT_DOC"])
c.eq("event.action", ["created"])
c.eq("file_integrity.who_source", "audit")
c.eq("process.executable", args[0])
c.eq("user.id", "65534")
c.eq("user.audit.id", "1000")
c.eq("file.uid", "65534")
c.eq("agent.id", ecsq.get(a, "agent.id"))
c.eq("agent.ephemeral_id", ecsq.get(a, "agent.ephemeral_id"))
c.present("agent.ephemeral_id")
PY

# An unlink, by rm: the DELETE item carries the inode the baseline knew.
rm "$TREE/by-nobody" &
rpid=$!
wait $rpid
fim=$(itest_wait_doc 10 "get(d, 'event.module') == 'file_integrity' and get(d, 'file.path') == '$TREE/by-nobody' and get(d, 'event.action') == ['deleted']") ||
    itest_fail "no FIM document of the deletion within 10 s"
itest_check_doc "$fim" "FIM deletion" "$rpid" <<'PY' || itest_fail "wrong author of the deletion"
c.eq("process.pid", int(args[0]))
c.eq("process.name", "rm")
c.eq("file_integrity.who_source", "audit")
c.eq("user.id", "0")
PY
itest_pass
