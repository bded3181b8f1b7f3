#!/bin/bash
# A full spool (queue.spool.max_size "1MiB", the minimum) while Logstash
# is down:
# (c) policy drop_oldest: the oldest documents are dropped and counted,
#     the spool stays within its size, nothing crashes, and once the server
#     is back an events-dropped document (event.action "events-dropped",
#     auditd.dropped.count) arrives with the documents that were kept;
# (d) policy block: nothing is dropped; the input is held back (the writer
#     feeding the plugin blocks), the spool stays within its size; once
#     the server is up everything arrives, once.
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

free_port P
# 5 copies of the corpus with distinct ids: 3345 documents, about 6 MB
repeat_log "$CORPUS" 5 "$T/big.log"
expected "$T/big.log" "$T/expected.json"
total=$(count_lines "$T/expected.json")
MiB=1048576

spool_bytes() {
	find "$T/data/spool" -name '*.seg' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}

# ---- (c) drop_oldest
rm -rf "$T/data"
write_conf "$T/drop.conf" "hosts = [\"127.0.0.1:$P\"]; backoff: { init = \"100ms\"; max = \"500ms\"; };" \
	'queue: { spool: { max_size = "1MiB"; policy = "drop_oldest"; }; };'
: >"$T/plugin.log"
plugin_start "$T/drop.conf"
plugin_feed "$T/big.log"
# Wait for the parser to have made every document, then for the output
# to have spooled (or dropped) them: spooled + dropped stops moving.
spool_settled "$total" ||
	{ show_log "$T/plugin.log"; fail "(c): the plugin did not read the input"; }
note "(c): stats.json: $total events, spooled $spooled, dropped $dropped; spool $(spool_bytes) bytes"
kill -0 "$plugin_pid" 2>/dev/null || fail "(c): the plugin died"
[ "$dropped" -gt 0 ] || fail "(c): nothing dropped with $total documents in a 1 MiB spool"
[ "$(spool_bytes)" -le "$MiB" ] || fail "(c): the spool holds $(spool_bytes) bytes, over max_size"
grep -q "spool full: dropped" "$T/plugin.log" || fail "(c): the drops were not logged"
plugin_stop_ok "(c): "

drain_spool C "$P" "$T/drop.conf" "(c): "
compare_ids "$T/expected.json" "$T/C.out" --subset --label "(c) kept" ||
	fail "(c): documents that were never input, or duplicates"
python3 - "$T/C.out" "$T/expected.json" "$dropped" <<'PY' || fail "(c): events-dropped"
import json, sys
out, exp, dropped = sys.argv[1], sys.argv[2], int(sys.argv[3])
expected = {json.loads(l)["event"]["id"] for l in open(exp)}
docs = [json.loads(l) for l in open(out)]
notes = [d for d in docs if d["event"].get("action") == "events-dropped"]
kept = sum(1 for d in docs if d["event"]["id"] in expected)
if not notes:
    sys.exit("no events-dropped document arrived")
for d in notes:
    c = d.get("auditd", {}).get("dropped", {}).get("count")
    if not isinstance(c, int) or c <= 0:
        sys.exit(f"events-dropped without a positive auditd.dropped.count: {d}")
    if d["event"].get("kind") != "event" or "dropped" not in d.get("message", ""):
        sys.exit(f"events-dropped document looks wrong: {d}")
reported = sum(d["auditd"]["dropped"]["count"] for d in notes)
missing = len(expected) - kept
# The spool drops documents and (as the same stream) events-dropped
# documents: every missing document is a counted drop.
if missing > dropped:
    sys.exit(f"{missing} documents missing but only {dropped} counted as dropped")
if reported > dropped:
    sys.exit(f"events-dropped documents report {reported}, more than the {dropped} dropped")
print(f"(c): {kept} of {len(expected)} documents kept, {missing} missing, {dropped} counted as dropped; "
      f"{len(notes)} events-dropped documents arrived reporting {reported}; e.g. "
      f"message {notes[-1]['message']!r}")
PY

# ---- (d) block; tiny queues so the back-pressure reaches the input
rm -rf "$T/data"
write_conf "$T/block.conf" "hosts = [\"127.0.0.1:$P\"]; backoff: { init = \"100ms\"; max = \"500ms\"; };" \
	'queue: { spool: { max_size = "1MiB"; policy = "block"; }; mem: { events = 64; }; };
input: { buffer_size = 65536; };'
: >"$T/plugin.log"
plugin_start "$T/block.conf"
plugin_feed_bg "$T/big.log"
prev=
for _ in $(seq 1 30); do
	sleep 0.5
	plugin_stats
	cur="$(pstat spooled) $(pstat events)"
	[ "$cur" = "$prev" ] && break
	prev=$cur
done
spooled=$(pstat spooled)
note "(d): held back: $(pstat events) of $total events made, spooled $spooled, dropped $(pstat dropped); spool $(spool_bytes) bytes"
[ "$(pstat dropped)" = 0 ] || fail "(d): policy block dropped $(pstat dropped) documents"
[ "$spooled" -gt 0 ] && [ "$spooled" -lt "$total" ] || fail "(d): spooled $spooled of $total"
[ "$(spool_bytes)" -le "$MiB" ] || fail "(d): the spool holds $(spool_bytes) bytes, over max_size"
kill -0 "$feed_pid" 2>/dev/null ||
	fail "(d): the whole input was read with the server down: nothing blocks"
note "(d): the writer feeding the plugin is blocked, as it should be"
sleep 1
plugin_stats
[ "$(pstat spooled)" = "$spooled" ] || fail "(d): the spool grew from $spooled to $(pstat spooled) while full"

start_server D --port "$P"
if ! wait_until 20 sh -c "! kill -0 $feed_pid 2>/dev/null"; then
	server_stats D
	echo "BUG: $TEST_NAME: (d) policy block: the server is up and acked $(stat_of D events) documents" \
		"(the spool's ack file says \"$(cat "$T/data/spool/ack" 2>/dev/null)\"; segments:" \
		"$(cd "$T/data/spool" && find . -name '*.seg' -printf '%f=%s ')" \
		"), but the input stays blocked: the only segment, fully acknowledged, is never" \
		"removed, so the spool never gets room again"
	show_log "$T/plugin.log" 5
	fail "(d): the input stays blocked with the server up"
fi
plugin_eof
plugin_wait 20 || { show_log "$T/plugin.log"; fail "(d): the plugin did not exit after EOF with the server up"; }
[ "$plugin_rc" = 0 ] || { show_log "$T/plugin.log"; fail "(d): the plugin exited $plugin_rc"; }
stop_server D
compare_ids "$T/expected.json" "$T/D.out" --label "(d) block" ||
	fail "(d): not every document arrived exactly once"
grep -q '"action":"events-dropped"' "$T/D.out" && fail "(d): an events-dropped document with policy block"

echo "PASS: $TEST_NAME"
