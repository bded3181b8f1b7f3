#!/bin/bash
# The Logstash output survives a server that misbehaves: a connection
# closed in the middle of a window (the window is sent again: duplicates
# are legitimate there and counted), garbage instead of an ack, a server
# closing idle connections (as Logstash does after client_inactivity_timeout),
# refused connections (retried with backoff), and a server flooding ACK 0
# keepalives (dropped as misbehaving, at little CPU).  Every document of the
# input arrives, checked by event.id against a plain replay.
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

expected "$CORPUS" "$T/expected.json"
BACKOFF='backoff: { init = "100ms"; max = "1s"; };'

# run_case NAME LOGSTASH-SETTINGS SERVER-OPTIONS...: replay the corpus
# to a fresh server; sets elapsed (seconds, for the log)
run_case() {
	local name=$1 settings=$2 t0
	shift 2
	rm -rf "$T/data"
	start_server "$name" "$@"
	write_conf "$T/$name.conf" "hosts = [\"127.0.0.1:$(port_of "$name")\"]; $BACKOFF $settings"
	: >"$T/replay.log"
	t0=$(date +%s)
	if ! replay "$T/$name.conf" "$CORPUS"; then
		show_log "$T/replay.log"
		show_log "$T/$name.log"
		fail "$name: replay failed"
	fi
	elapsed=$(($(date +%s) - t0))
	stop_server "$name"
}

# 1. the connection closes after 100 events of a window, without an ack:
# the whole window is sent again on a new connection.
run_case midwindow "bulk_max_size = 300;" --close-mid-window 100
compare_ids "$T/expected.json" "$T/midwindow.out" --dups-ok --label midwindow ||
	fail "midwindow: wrong documents"
[ "$(stat_of midwindow faults_close_mid_window)" = 1 ] ||
	fail "midwindow: the fault did not fire"
[ "$(stat_of midwindow connections)" -ge 2 ] ||
	fail "midwindow: no reconnect after the close"
# The server wrote nothing of the unacked window, so a resend of that
# window alone gives no duplicates; more would mean acked documents were
# sent again.
d=$(stat_of midwindow duplicates)
[ "$d" -le 300 ] || fail "midwindow: $d duplicates, more than one window"
grep -q "sent again\|send again\|retry\|again" "$T/replay.log" ||
	note "midwindow: (no retry message in the replay log)"
note "midwindow: $(stat_of midwindow connections) connections, $d duplicates (legitimate at-least-once resends), ${elapsed}s"

# 2. garbage instead of the ack of the first window: the client must
# notice, drop the connection and send the window again.
run_case garbage "bulk_max_size = 200;" --garbage
compare_ids "$T/expected.json" "$T/garbage.out" --dups-ok --label garbage ||
	fail "garbage: wrong documents"
[ "$(stat_of garbage faults_garbage)" = 1 ] || fail "garbage: the fault did not fire"
[ "$(stat_of garbage connections)" -ge 2 ] || fail "garbage: no reconnect after the garbage"
grep -qi "ack\|garbage\|unexpected\|frame" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "garbage: nothing logged about the bad ack"; }
note "garbage: $(stat_of garbage duplicates) duplicates, logged: $(grep -i -m1 'garbage\|unexpected\|not an ack\|bad' "$T/replay.log")"

# 3. the server closes connections idle for 2 s; the plugin sends half
# the input, is idle for 3 s, then sends the rest: it must reconnect and
# lose nothing.
split_log "$CORPUS" "$T/part1.log" "$T/part2.log" 50
rm -rf "$T/data"
start_server idle --close-idle 2
write_conf "$T/idle.conf" "hosts = [\"127.0.0.1:$(port_of idle)\"]; $BACKOFF"
: >"$T/plugin.log"
feed() { cat "$T/part1.log"; sleep 3.5; cat "$T/part2.log"; }
plugin "$T/idle.conf" feed || { show_log "$T/plugin.log"; fail "idle: plugin exited $?"; }
stop_server idle
compare_ids "$T/expected.json" "$T/idle.out" --dups-ok --label idle || {
	show_log "$T/plugin.log"; show_log "$T/idle.log"; fail "idle: wrong documents"; }
[ "$(stat_of idle idle_closes)" -ge 1 ] || fail "idle: the server never closed an idle connection"
[ "$(stat_of idle connections)" -ge 2 ] || fail "idle: no second connection"
note "idle: $(stat_of idle idle_closes) idle closes, $(stat_of idle connections) connections, $(stat_of idle duplicates) duplicates"

# 4. the first two connections are accepted and closed at once: retried
# with backoff (100 ms to start with), then delivered.
run_case reject "" --reject-first-connections 2
compare_ids "$T/expected.json" "$T/reject.out" --dups-ok --label reject ||
	fail "reject: wrong documents"
[ "$(stat_of reject connections_rejected)" = 2 ] || fail "reject: the fault did not fire"
[ "$(stat_of reject connections)" -ge 3 ] || fail "reject: no third connection"
[ "$elapsed" -le 10 ] || fail "reject: took ${elapsed}s with backoff.init 100ms"
note "reject: $(stat_of reject connections) connections, delivered in ${elapsed}s"

# 5. for FLOOD seconds from the first window, the server answers every
# window with ACK 0 frames as fast as the connection takes them, instead
# of its ack.  Keepalives are legitimate (Logstash sends one every 5 s
# while busy), a flood is not: the plugin must close such a connection,
# count it, log it once, back off, and deliver everything once the flood
# is over; meanwhile its CPU time (utime + stime) must stay under a tenth
# of the time the flood lasts.  Reading acks 256 bytes at a time and
# keeping each connection, it took 8.8 CPU-seconds over a 15 s flood;
# the bound here is 1.5 s per 15 s.
FLOOD=6
cpu_ms() {
	sed 's/.*) //' "/proc/$1/stat" |
		awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($12 + $13) * 1000 / hz }'
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
flood_began() { server_stats flood && [ "$(stat_of flood flood_started)" = 1 ]; }
flood_over() { server_stats flood && [ "$(stat_of flood flood_over)" = 1 ]; }
parsed_all() { plugin_stats && [ "$(pstat events)" = "$total" ]; }
total=$(count_lines "$T/expected.json")
rm -rf "$T/data"
start_server flood --flood-acks "$FLOOD" --flood-batch 1024
write_conf "$T/flood.conf" "hosts = [\"127.0.0.1:$(port_of flood)\"]; $BACKOFF"
: >"$T/plugin.log"
plugin_start "$T/flood.conf"
plugin_feed "$CORPUS"
# From when the flood runs and the input is parsed, so that only the
# flood's cost is measured.
wait_until 20 flood_began || { show_log "$T/plugin.log"; fail "flood: the flood never began"; }
wait_until 20 parsed_all || { show_log "$T/plugin.log"; fail "flood: the input was not parsed"; }
cpu0=$(cpu_ms "$plugin_pid") t0=$(now_ms)
wait_until $((FLOOD + 20)) flood_over || fail "flood: the flood did not end"
cpu1=$(cpu_ms "$plugin_pid") t1=$(now_ms)
plugin_eof
plugin_wait 30 || { show_log "$T/plugin.log"; fail "flood: the plugin did not exit"; }
stop_server flood
[ "$plugin_rc" = 0 ] || { show_log "$T/plugin.log"; fail "flood: plugin exited $plugin_rc"; }
compare_ids "$T/expected.json" "$T/flood.out" --dups-ok --label flood || {
	show_log "$T/plugin.log"; show_log "$T/flood.log"; fail "flood: wrong documents"; }
cpu=$((cpu1 - cpu0)) wall=$((t1 - t0))
[ $((cpu * 10)) -lt "$wall" ] ||
	fail "flood: ${cpu} ms of CPU in ${wall} ms of flood (the bound is a tenth)"
floods=$(stat_of flood faults_ack_flood)
[ "$floods" -ge 2 ] || fail "flood: only $floods flooded windows: the plugin kept the connection"
closed=$(sed -n 's/.*logstash: \([0-9]*\) connections closed for flooding keepalives.*/\1/p' "$T/plugin.log" | tail -n 1)
[ "${closed:-0}" -ge 1 ] || { show_log "$T/plugin.log"; fail "flood: no flood counted"; }
logged=$(grep -c "misbehaving server" "$T/plugin.log")
[ "$logged" = 1 ] || { show_log "$T/plugin.log"; fail "flood: logged $logged times, not once"; }
note "flood: ${cpu} ms of CPU in ${wall} ms of flood, $closed connections closed, $(stat_of flood flood_acks_sent) ACK 0 sent, $(stat_of flood duplicates) duplicates"

echo "PASS: $TEST_NAME"
