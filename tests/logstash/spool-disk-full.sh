#!/bin/bash
# The disk under the spool fills up (a 2 MiB tmpfs as queue.spool.path,
# max_size far larger) while Logstash is down.  A write the disk refuses
# is a write error (its own counter in stats.json and in the counters' log
# line), never a drop, and the spool policy decides what happens next:
# (a) drop_oldest: the oldest segment is given up for room (those
#     documents, and only those, are dropped); the plugin keeps running;
#     what was stored arrives once the server is back, once each;
# (b) block: nothing is dropped or lost; the input waits while the disk
#     is full, and once the server is up everything arrives, once.
# Needs root and mount(8) (skipped otherwise).
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
conf() {
	write_conf "$1" "hosts = [\"127.0.0.1:$P\"]; backoff: { init = \"100ms\"; max = \"500ms\"; };" \
		"queue: { spool: { path = \"$T/small/spool\"; max_size = \"64MiB\"; policy = \"$2\"; }; $3 };
$4"
}

# ---- (a) drop_oldest
conf "$T/drop.conf" drop_oldest "" ""
: >"$T/plugin.log"
plugin_start "$T/drop.conf"
plugin_feed "$T/big.log"
spool_settled "$total" ||
	{ show_log "$T/plugin.log"; fail "(a): the plugin did not read the input"; }
write_errors=$(pstat write_errors)
unstored=$(pstat unstored)
note "(a): stats.json: $total events, spooled $spooled, dropped $dropped, write_errors $write_errors, unstored $unstored; $(df -k "$T/small" | awk 'NR == 2 { print $3 " KiB of " $2 " used" }')"
kill -0 "$plugin_pid" 2>/dev/null || { show_log "$T/plugin.log"; fail "(a): the plugin died when the disk filled up"; }
grep -q "spool: write: No space left on device" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "(a): the write errors were not logged"; }
[ "$write_errors" -gt 0 ] || fail "(a): the disk filled up and stats.json counts no write error"
grep -q "status: .* [1-9][0-9]* write errors, [0-9]* not stored (write errors)" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "(a): the counters' log line shows no write error"; }
grep -q "spool full: dropped" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "(a): drop_oldest did not give up the oldest segment"; }
[ "$dropped" -gt 0 ] || fail "(a): nothing dropped by drop_oldest"
[ "$dropped" -lt "$total" ] || fail "(a): dropped $dropped of $total: the failed writes were counted as drops"
[ "$spooled" -gt 0 ] || fail "(a): nothing spooled"
# Every document is spooled, dropped by the policy or unstored
# (events-dropped documents, made while the disk is full, are counted too).
[ $((spooled + dropped + unstored)) -ge "$total" ] ||
	fail "(a): spooled $spooled + dropped $dropped + unstored $unstored < $total documents"
plugin_stop_ok "(a): "

drain_spool A "$P" "$T/drop.conf" "(a): "
compare_ids "$T/expected.json" "$T/A.out" --subset --label "(a) disk full: kept" ||
	fail "(a): documents that were never input, or duplicates"
got=$(count_lines "$T/A.out")
[ "$got" = "$spooled" ] || fail "(a): $got documents arrived, $spooled were spooled"

# ---- (b) block; tiny queues so the back-pressure reaches the input
umount "$T/small" && mount -t tmpfs -o size=2m,mode=0700 tmpfs "$T/small" ||
	fail "(b): cannot mount the tmpfs again"
rm -rf "$T/data"
conf "$T/block.conf" block "mem: { events = 64; };" "input: { buffer_size = 65536; };"
: >"$T/plugin.log"
plugin_start "$T/block.conf"
plugin_feed_bg "$T/big.log"
wait_until 20 grep -q "spool: write: No space left on device" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "(b): the disk never filled up"; }
sleep 1
plugin_stats
note "(b): disk full: $(pstat events) of $total events made, spooled $(pstat spooled), dropped $(pstat dropped), write_errors $(pstat write_errors), unstored $(pstat unstored)"
[ "$(pstat dropped)" = 0 ] || fail "(b): policy block dropped $(pstat dropped) documents"
[ "$(pstat unstored)" = 0 ] || fail "(b): policy block lost $(pstat unstored) documents to write errors"
kill -0 "$feed_pid" 2>/dev/null ||
	fail "(b): the whole input was read with the disk full: nothing waits"

start_server B --port "$P"
wait_until 30 sh -c "! kill -0 $feed_pid 2>/dev/null" ||
	{ show_log "$T/plugin.log" 5; fail "(b): the input stays blocked with the server up"; }
plugin_eof
plugin_wait 30 || { show_log "$T/plugin.log"; fail "(b): the plugin did not exit after EOF with the server up"; }
[ "$plugin_rc" = 0 ] || { show_log "$T/plugin.log"; fail "(b): the plugin exited $plugin_rc"; }
stop_server B
# The output thread waits inside the spool while the disk is full, so its
# counters are told in full at the end.
grep -q "exiting: .* 0 dropped, [0-9]* retries, [1-9][0-9]* write errors, 0 not stored" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "(b): the last counters do not show write errors and nothing dropped or unstored"; }
note "(b): $(grep -o "exiting: .*not stored (write errors)" "$T/plugin.log")"
compare_ids "$T/expected.json" "$T/B.out" --label "(b) block, disk full" ||
	fail "(b): not every document arrived exactly once"

echo "PASS: $TEST_NAME"
