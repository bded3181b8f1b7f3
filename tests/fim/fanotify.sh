#!/bin/sh
# The fanotify backend: every kind of change in the tree is reported as
# with inotify, nothing outside the configured trees or excluded is, and
# each live change names the process that made it (process.pid,
# .executable, .name, user.id) with file_integrity.who_source "fanotify".
. "$(dirname "$0")/lib.sh"
fim_init
mkdir "$T/outside" "$T/tree/sub"
fim_config "paths = [\"$T/tree\"]; recursive = true; backend = \"fanotify\"; exclude_files = [\"\\\\.swp\$\"];"
A=$T/tree
echo old > $A/edited
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan'] and path(d).endswith('/edited')" >/dev/null ||
	fim_fail "no initial scan"
grep -q "watching with fanotify" "$T/plugin.log" || fim_fail "not watching with fanotify: $(cat "$T/plugin.log")"
expect() {
	fim_wait "${3:-5}" "$1" >/dev/null || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$2"; }
}
PY=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')

# A known process writes a file: its pid and executable are in the
# document.  It lives on a moment, as /proc is read when the event is.
pid=$(python3 -c '
import os, sys, time
with open(sys.argv[1], "w") as f:
    f.write("by python\n")
print(os.getpid(), flush=True)
time.sleep(1)' "$A/by-python")
expect "path(d).endswith('/by-python') and act(d) == ['created'] and d.get('process', {}).get('pid') == $pid and d['process'].get('executable') == '$PY' and d['file_integrity'].get('who_source') == 'fanotify' and d['user']['id'] == '0' and d['user'].get('name') == 'root'" "the writer (pid $pid, $PY) not named"

# A shell's own write (a builtin, no child): its pid.
sh -c 'echo $$ > '"$A/by-shell" &
spid=$!
wait $spid
expect "path(d).endswith('/by-shell') and d.get('process', {}).get('pid') == $spid" "the shell (pid $spid) not named"

# Short-lived commands: by the time /proc is read they may be gone, and
# their pid is all there is to say.
bypid() { "$@" & BYPID=$!; wait $BYPID; }
printf 'more\n' >> $A/edited
expect "path(d).endswith('/edited') and 'updated' in act(d) and d.get('process', {}).get('pid') == $$" "append, by this shell"
bypid chmod 600 $A/edited
expect "path(d).endswith('/edited') and change(d, 'mode') and d['process']['pid'] == $BYPID" "chmod, by chmod"
bypid mv $A/edited $A/sub/moved
expect "path(d).endswith('/sub/moved') and 'moved' in act(d) and d['process']['pid'] == $BYPID" "rename, by mv"
bypid rm $A/sub/moved
expect "path(d).endswith('/sub/moved') and act(d) == ['deleted'] and d['process']['pid'] == $BYPID" "unlink, by rm"
mkdir -p $A/late/deeper
echo deep > $A/late/deeper/file
expect "path(d).endswith('/late/deeper/file') and act(d) == ['created']" "directory made after start"
chmod 700 $A/sub
expect "path(d).endswith('/tree/sub') and change(d, 'mode') and d['file']['type'] == 'dir'" "a directory's own chmod"

# Outside the tree, and excluded: nothing.  A marker written last shows
# the earlier events were read.
echo x > $T/outside/f
echo x > $A/.edited.swp
echo x > $A/marker
expect "path(d).endswith('/marker')" "marker"
n=$(fim_count "'/outside/' in (path(d) or '') or (path(d) or '').endswith('.swp')")
[ "$n" = 0 ] || fim_fail "$n documents about files outside the tree or excluded"
grep -q "fim:.*fanotify.*\(cannot\|falling\)" "$T/plugin.log" && fim_fail "fanotify fell back"
fim_pass "changes and the processes that made them"
