#!/bin/bash
# Against a real OpenSearch 2.19 node: the plugin is killed (SIGKILL)
# while it ships, in small bulk requests, events it reads on stdin; a new
# one started on the same data directory (a replay of the whole log, as
# an administrator would after a crash) sends what the spool held and
# every event again.
# Every event is then in the data stream exactly once: deterministic _ids
# make the engine answer 409 to what it had, and nothing is lost.
set -u
. "${srcdir:-.}/tests/opensearch/lib.sh"

# Eight copies of the corpus, each with its own events (5,352 of them).
repeat_log "$CORPUS" 8 "$T/input.log"
expected "$T/input.log" "$T/expected.json"
ndocs=$(count_lines "$T/expected.json")
opensearch_start
timeout 60 "$bin" setup -c "$OS_CONF" >"$T/setup.log" 2>&1 ||
	{ show_log "$T/setup.log"; fail "setup failed"; }
write_es_conf "$T/small.conf" "hosts = [\"${OS_URL#http://}\"]; bulk_max_size = 20;"

: >"$T/plugin.log"
plugin_start "$T/small.conf"
plugin_feed_bg "$T/input.log"
# Mid-stream: a fifth of the events indexed.
some_indexed() { [ "$(os_count "$OS_INDEX")" -ge $((ndocs / 5)) ]; }
wait_until 60 some_indexed || { show_log "$T/plugin.log"; fail "not a fifth indexed within 60 s"; }
kill -KILL "$plugin_pid"
plugin_wait 10 || fail "the plugin did not die of SIGKILL"
before=$(os_count "$OS_INDEX")
[ "$before" -lt "$ndocs" ] || fail "all $ndocs documents were indexed before the kill: nothing was in flight"
note "killed with $before of $ndocs documents indexed, $(du -sb "$T/data/spool" 2>/dev/null | cut -f1) bytes in the spool"

: >"$T/replay.log"
REPLAY_TIMEOUT=300 replay "$OS_CONF" "$T/input.log" ||
	{ show_log "$T/replay.log"; fail "the replay after the kill failed"; }
count=$(os_count "$OS_INDEX")
os_ids "$OS_INDEX" "$T/got.json" || fail "reading the documents back failed"
compare_ids "$T/expected.json" "$T/got.json" --label "after the restart" ||
	fail "not every event exactly once"
[ "$count" = "$ndocs" ] || fail "_count $count, $ndocs events"
[ "$(os_count "$OS_DEAD_LETTER")" = 0 ] || fail "dead letters in $OS_DEAD_LETTER"

echo "PASS: $TEST_NAME"
