#!/bin/sh
# Mount boundaries: a file system mounted inside a watched tree is not
# monitored, by the scans nor by the live watch (inotify, or FIM_BACKEND),
# so its files are never reported created by one and deleted by the
# next; a bind mount of the tree inside itself (a loop) neither hangs
# nor crashes the plugin (the tree seen again through it is the scanner's
# to report, as the same file system).
. "$(dirname "$0")/lib.sh"
fim_init
: "${FIM_BACKEND:=inotify}"
command -v mount >/dev/null || fim_skip "mount not found"
mkdir -p "$T/tree/sub" "$T/tree/mnt" "$T/tree/loop"
mount -t tmpfs fim-test "$T/tree/mnt" 2>/dev/null || fim_skip "cannot mount a tmpfs"
MOUNTS="$T/tree/mnt"
unmount() {
	for m in $MOUNTS; do umount -l "$m" 2>/dev/null; done
	fim_cleanup
}
trap unmount EXIT
mount --bind "$T/tree" "$T/tree/loop" || fim_skip "cannot bind mount"
MOUNTS="$T/tree/loop $MOUNTS"
mkdir "$T/tree/mnt/d"
echo before > "$T/tree/mnt/d/old"
echo before > "$T/tree/sub/old"
fim_config "paths = [\"$T/tree\"]; recursive = true;"
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan'] and path(d).endswith('/sub/old')" >/dev/null ||
	fim_fail "no initial scan"
expect() {
	fim_wait 5 "$1" >/dev/null || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$2"; }
}
echo new > "$T/tree/mnt/d/new"
echo new > "$T/tree/mnt/top"
echo changed >> "$T/tree/mnt/d/old"
echo new > "$T/tree/sub/new"
expect "path(d) == '$T/tree/sub/new' and act(d) == ['created']" "a change on the tree's own file system"
sleep 1
kill -0 "$PLUGIN_PID" || fim_fail "plugin died"
fim_stop_plugin
fim_start_plugin
sleep 2
fim_stop_plugin
timeout 20 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "fim-scan exited $?"
n=$(fim_count "'/tree/mnt/' in path(d)")
[ "$n" = 0 ] || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$n documents about files on another mount"; }
fim_pass
