#!/bin/sh
# Two file roots in one directory (fim.paths = [dir/passwd, dir/shadow]),
# watched with inotify (or FIM_BACKEND): both share the directory's
# watch, and a change to either is reported live, while a neighbour that
# is not configured is not.
. "$(dirname "$0")/lib.sh"
fim_init
: "${FIM_BACKEND:=inotify}"
D=$T/tree
echo root:x:0:0 > $D/passwd
echo 'root:*:1' > $D/shadow
echo neighbour > $D/group
fim_config "paths = [\"$D/passwd\", \"$D/shadow\"]; scan_at_start = true;"
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan'] and path(d).endswith('/shadow')" >/dev/null ||
	fim_fail "no initial scan"
grep -q "watching with $FIM_BACKEND" "$T/plugin.log" || fim_fail "not watching with $FIM_BACKEND"
expect() {
	fim_wait 5 "$1" >/dev/null || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$2"; }
}
echo user:x:1000:1000 >> $D/passwd
expect "path(d) == '$D/passwd' and 'updated' in act(d)" "the first file root's change not seen live"
echo 'user:*:2' >> $D/shadow
expect "path(d) == '$D/shadow' and 'updated' in act(d)" "the second file root's change not seen live"
# An editor's save of the second: a temporary renamed over it.
printf 'root:!:1\n' > $D/shadow.new && mv $D/shadow.new $D/shadow
expect "path(d) == '$D/shadow' and change(d, 'inode')" "rename over the second file root"
echo changed >> $D/group
sleep 1
[ "$(fim_count "path(d).endswith('/group') or path(d).endswith('.new')")" = 0 ] ||
	fim_fail "a path that is not configured was reported"
fim_pass
