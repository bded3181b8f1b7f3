#!/bin/bash
# The disk under the spool fills up (a 2 MiB tmpfs as queue.spool.path,
# max_size far larger) while Logstash is down: the write errors are
# logged, the documents that could not be stored are counted as dropped,
# the plugin keeps running; what was stored arrives once the server is
# back, once each.  Needs root and mount(8) (skipped otherwise).
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
command -v mount >/dev/null 2>&1 || skip "mount not found"
mkdir "$T/small"
mount -t tmpfs -o size=2m,mode=0700 tmpfs "$T/small" 2>"$T/mount.err" ||
	skip "cannot mount a tmpfs: $(cat "$T/mount.err")"
unmount_small() {
	kill -0 "${plugin_pid:-0}" 2>/dev/null && plugin_stop
	umount "$T/small" 2>/dev/null || umount -l "$T/small"
}
at_exit unmount_small

free_port P
repeat_log "$CORPUS" 5 "$T/big.log"
expected "$T/big.log" "$T/expected.json"
total=$(count_lines "$T/expected.json")
write_conf "$T/conf" "hosts = [\"127.0.0.1:$P\"]; backoff: { init = \"100ms\"; max = \"500ms\"; };" \
	"queue: { spool: { path = \"$T/small/spool\"; max_size = \"64MiB\"; }; };"

: >"$T/plugin.log"
plugin_start "$T/conf"
plugin_feed "$T/big.log"
spool_settled "$total" ||
	{ show_log "$T/plugin.log"; fail "the plugin did not read the input"; }
note "disk full: stats.json: $total events, spooled $spooled, dropped $dropped, write_errors $(pstat write_errors); $(df -k "$T/small" | awk 'NR == 2 { print $3 " KiB of " $2 " used" }')"
kill -0 "$plugin_pid" 2>/dev/null || { show_log "$T/plugin.log"; fail "the plugin died when the disk filled up"; }
grep -q "spool: write: No space left on device" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "the write errors were not logged"; }
[ "$dropped" -gt 0 ] || fail "nothing counted as dropped with the disk full"
[ "$spooled" -gt 0 ] || fail "nothing spooled"
# Every document is either spooled or dropped (events-dropped documents,
# made while the disk is full, are counted too).
[ $((spooled + dropped)) -ge "$total" ] ||
	fail "spooled $spooled + dropped $dropped < $total documents"
plugin_stop_ok

drain_spool S "$P" "$T/conf"
compare_ids "$T/expected.json" "$T/S.out" --subset --label "disk full: kept" ||
	fail "documents that were never input, or duplicates"
got=$(count_lines "$T/S.out")
[ "$got" = "$spooled" ] || fail "$got documents arrived, $spooled were spooled"

echo "PASS: $TEST_NAME"
