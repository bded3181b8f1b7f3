#!/bin/sh
# The plugin watching two trees (with inotify, or FIM_BACKEND): each
# change made while it runs becomes its document, within a second of the
# close() for content.
# Create, write, truncate, chmod, chown, setfattr, setfacl, rename within
# and across the trees, hard link, symlink, unlink, a directory made after
# start (and a file in it), an editor's save (write a temporary, rename it
# over), a FIFO (must not hang), a file deleted while being hashed.
. "$(dirname "$0")/lib.sh"
fim_init
: "${FIM_BACKEND:=inotify}"
for t in setfattr setfacl; do
	command -v $t >/dev/null || fim_skip "$t not found (apt-get install attr acl)"
done
mkdir "$T/other"
fim_config "paths = [\"$T/tree\", \"$T/other\"]; recursive = true; exclude_files = [\"\\\\.swp\$\"];"
A=$T/tree
echo old > $A/edited
echo cross > $A/crossing
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan'] and path(d).endswith('/crossing')" >/dev/null ||
	fim_fail "no initial scan"
expect() {
	fim_wait "${3:-5}" "$1" >/dev/null || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$2"; }
}

# Latency: close() of a modified file to its document.
t0=$(date +%s%N)
printf 'new content\n' >> $A/edited
expect "path(d).endswith('/edited') and 'updated' in act(d)" "append not seen" 1
t1=$(date +%s%N)
latency_ms=$(( (t1 - t0) / 1000000 ))
[ $latency_ms -lt 1000 ] || fim_fail "latency ${latency_ms} ms"

echo hi > $A/new
expect "path(d).endswith('/new') and act(d) == ['created'] and h(d, 'sha256') == '$(sha256sum < $A/new | cut -d' ' -f1)'" "create"
truncate -s 0 $A/new
expect "path(d).endswith('/new') and change(d, 'size') == {'attribute': 'size', 'old': '3', 'new': '0'}" "truncate"
chmod 600 $A/new
expect "path(d).endswith('/new') and change(d, 'mode') == {'attribute': 'mode', 'old': '0644', 'new': '0600'}" "chmod"
chown 65534 $A/new
expect "path(d).endswith('/new') and change(d, 'uid') and d['file']['uid'] == '65534'" "chown"
setfattr -n user.k -v v $A/new
expect "path(d).endswith('/new') and change(d, 'xattrs')" "setfattr"
setfacl -m u:nobody:rw $A/new
expect "path(d).endswith('/new') and change(d, 'acl')" "setfacl"
mv $A/new $A/renamed
expect "path(d).endswith('/renamed') and 'moved' in act(d) and change(d, 'path')['old'].endswith('/tree/new')" "rename within"
mv $A/crossing $T/other/crossed
expect "path(d).endswith('/other/crossed') and 'moved' in act(d)" "rename across trees"
ln $A/renamed $A/hard
expect "path(d).endswith('/hard') and act(d) == ['created']" "hard link"
ln -s renamed $A/soft
expect "path(d).endswith('/soft') and d['file']['type'] == 'symlink' and d['file']['target_path'] == 'renamed'" "symlink"
mkdir -p $A/late/deeper
echo deep > $A/late/deeper/file
expect "path(d).endswith('/late/deeper/file') and act(d) == ['created']" "directory made after start"
echo later > $A/late/deeper/second
expect "path(d).endswith('/late/deeper/second') and act(d) == ['created']" "new directory is watched"
# An editor's save: the swap file is excluded, the temporary replaces.
echo swap > $A/.edited.swp
printf 'saved\n' > $A/edited.tmp && mv $A/edited.tmp $A/edited
expect "path(d).endswith('/edited') and change(d, 'inode') and change(d, 'hash.sha256')['new'] == '$(sha256sum < $A/edited | cut -d' ' -f1)'" "rename-over"
mkfifo $A/fifo
expect "path(d).endswith('/fifo') and d['file']['type'] == 'fifo'" "fifo"
head -c 50000000 /dev/zero > $A/vanishing && rm $A/vanishing
rm $A/renamed
expect "path(d).endswith('/renamed') and act(d) == ['deleted']" "unlink"
echo after > $A/after-vanish
expect "path(d).endswith('/after-vanish')" "still working after a vanished file"
[ "$(fim_count "path(d).endswith('.swp') or path(d).endswith('edited.tmp') and 'deleted' not in act(d)")" = 0 ] ||
	fim_fail "excluded or temporary file reported"
kill -0 "$PLUGIN_PID" || fim_fail "plugin died"
fim_stop_plugin
grep -q "exiting:" "$T/plugin.log" || fim_fail "no clean exit"

# Changes while stopped are found by the next start.
echo offline > $A/offline
rm $A/hard
: > $T/out.json
fim_start_plugin
expect "path(d).endswith('/offline') and act(d) == ['created']" "offline create"
expect "path(d).endswith('/hard') and act(d) == ['deleted']" "offline delete"
fim_pass "latency ${latency_ms} ms"
