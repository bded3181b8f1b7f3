#!/bin/bash
# Several Elasticsearch hosts (tests/peers/es_server.py).
#  (a) without loadbalance, the first host a closed port: every worker that
#      starts there moves on, and everything is stored once on the live host;
#  (b) loadbalance, one worker per host, two live hosts: both get a fair
#      part, and the union is every document exactly once;
#  (c) loadbalance, plugin mode fed a long input: one host dies (SIGKILL)
#      with a bulk request in flight; nothing is missing from the union of
#      the stores, and a document is stored twice only if it was in flight
#      on the dead host (counted and printed); brought back on the same
#      port, the host gets documents again when more input comes.
# Documents are compared by event.id against a plain replay.
set -u
. "${srcdir:-.}/tests/elasticsearch/lib.sh"

COMMON='timeout = "10s";'

# union OUT FILES...: the documents stored by several servers, one file
union() {
	local out=$1
	shift
	cat "$@" 2>/dev/null >"$out"
}

# ---- (a) the first host is a closed port, no loadbalance
expected "$CORPUS" "$T/expected.json"
free_port dead
start_server L
# Each worker starts at a random host: two workers, and a few runs until
# one of them has started at the closed port (each run: 3 in 4).
tried=
for attempt in 1 2 3 4 5 6; do
	rm -rf "$T/data"
	es_control L reset '{}' | grep -q '"acknowledged": *true' || fail "(a): cannot reset server L"
	# shellcheck disable=SC2154  # dead: set by free_port
	write_es_conf "$T/a.conf" "hosts = [\"127.0.0.1:$dead\", \"127.0.0.1:$(port_of L)\"];
		loadbalance = false; worker = 2; $COMMON"
	: >"$T/replay.log"
	replay "$T/a.conf" "$CORPUS" || { show_log "$T/replay.log"; fail "(a): replay failed"; }
	if grep -q "elasticsearch 127.0.0.1:$dead: " "$T/replay.log"; then
		tried=$attempt
		break
	fi
done
[ -n "$tried" ] || { show_log "$T/replay.log"; fail "(a): the closed port was never tried in $attempt runs"; }
note "(a): run $tried: $(grep -m1 "elasticsearch 127.0.0.1:$dead: " "$T/replay.log" | sed 's/^audisp-ecs: //')"
stop_server L
es_docs L "$T/L.json" || fail "(a): wrong _id"
compare_ids "$T/expected.json" "$T/L.json" --label "(a) live host" ||
	fail "(a): wrong documents on the live host"
[ "$(stat_of L conflicts_409)" = 0 ] || fail "(a): documents sent twice (409: $(stat_of L conflicts_409))"

# ---- (b) loadbalance, two live hosts, one worker each
# 10 copies of the corpus with distinct event ids: 6690 documents
repeat_log "$CORPUS" 10 "$T/big.log"
expected "$T/big.log" "$T/big.json"
total=$(count_lines "$T/big.json")
rm -rf "$T/data"
start_server LA --delay-ms 20
start_server LB --delay-ms 20
write_es_conf "$T/b.conf" "hosts = [\"127.0.0.1:$(port_of LA)\", \"127.0.0.1:$(port_of LB)\"];
	loadbalance = true; worker = 1; bulk_max_size = 100; $COMMON"
: >"$T/replay.log"
replay "$T/b.conf" "$T/big.log" || { show_log "$T/replay.log"; fail "(b): replay failed"; }
stop_server LA
stop_server LB
es_docs LA "$T/LA.json" && es_docs LB "$T/LB.json" || fail "(b): wrong _id"
assert_balanced "(b)" "$T/LA.json" "$T/LB.json" "$total"
union "$T/b-union.json" "$T/LA.json" "$T/LB.json"
compare_ids "$T/big.json" "$T/b-union.json" --label "(b) loadbalance" ||
	fail "(b): wrong documents (no failure happened: every document must be stored exactly once)"
for s in LA LB; do
	[ "$(stat_of $s conflicts_409)" = 0 ] || fail "(b): documents sent twice to $s (409)"
done

# ---- (c) a host dies mid-stream, then comes back
# 30 copies: the first 20 fed while host A dies, the last 10 after it is back.
repeat_log "$CORPUS" 30 "$T/long.log"
per_copy=$(count_lines "$CORPUS")
head -n $((20 * per_copy)) "$T/long.log" >"$T/part1.log"
tail -n +$((20 * per_copy + 1)) "$T/long.log" >"$T/part2.log"
split -l $((2 * per_copy)) "$T/part1.log" "$T/chunk."
expected "$T/long.log" "$T/long.json"
expected "$T/part2.log" "$T/part2.json"
total=$(count_lines "$T/long.json")
total1=$((total - $(count_lines "$T/part2.json")))

# stored NAME: documents server NAME holds now
stored() {
	es_control "$1" stats | python3 -c 'import json, sys; print(json.load(sys.stdin)["created"])'
}

# held NAME: true once server NAME has exactly one request in flight and
# nothing changed over two readings half a second apart (a request its
# delay_ms holds; without that delay a request takes milliseconds).
held_prev=
held() {
	local now
	now=$(es_control "$1" stats | python3 -c '
import json, sys
d = json.load(sys.stdin)
done = sum(d["responses_by_status"].values()) + d["resets"]
print(d["requests"] - done, d["requests"], d["created"])')
	if [ "$now" = "$held_prev" ] && [ "${now%% *}" = 1 ]; then
		return 0
	fi
	held_prev=$now
	sleep 0.4
	return 1
}

# delivered1: every document of part 1 stored, on A before it died or on B
delivered1() { [ $(($(count_lines "$T/A1.out") + $(stored B))) -ge "$total1" ]; }
# delivered_all: every document stored somewhere
delivered_all() {
	[ $(($(count_lines "$T/A1.out") + $(stored B) + $(stored A2))) -ge "$total" ]
}

rm -rf "$T/data"
start_server A --delay-ms 30
start_server B --delay-ms 30
a_port=$(port_of A)
write_es_conf "$T/c.conf" "hosts = [\"127.0.0.1:$a_port\", \"127.0.0.1:$(port_of B)\"];
	loadbalance = true; worker = 1; bulk_max_size = 100; $COMMON"
plugin_start "$T/c.conf"
# The input comes in 10 parts, 0.3 s apart.
(
	for f in "$T"/chunk.*; do
		cat "$f" >&3 || exit 1
		sleep 0.3
	done
) &
feed_pid=$!
lib_bg_pids="$lib_bg_pids $feed_pid"

a_busy() { [ "$(stored A)" -ge 1000 ]; }
wait_until 20 a_busy || { show_log "$T/plugin.log"; fail "(c): host A got nothing"; }
# A SIGKILLed server takes its store with it: it is read just before the
# kill.  So that nothing gets indexed between the two, A first holds the
# next bulk request (delay_ms); once it does, the kill cuts that request,
# none of whose documents A indexed.
es_control A faults '{"delay_ms": 60000}' >/dev/null || fail "(c): cannot set the delay on A"
wait_until 15 held A || { show_log "$T/plugin.log"; fail "(c): A never had a request in flight to cut"; }
kill -0 "$feed_pid" 2>/dev/null && feeding="while the input is still coming" || feeding="after the input ended"
es_control A store >"$T/A1.out" || fail "(c): cannot read A's store"
kill_server A
note "(c): A killed $feeding, a bulk request in flight, $(count_lines "$T/A1.out") documents stored on it; B has $(stored B)"

wait "$feed_pid" || fail "(c): feeding the plugin failed"
wait_until 30 delivered1 || {
	show_log "$T/plugin.log"; fail "(c): part 1 not delivered after A died ($(count_lines "$T/A1.out") on A, $(stored B) on B of $total1)"; }
grep -q "elasticsearch 127.0.0.1:$a_port: " "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "(c): the plugin logged nothing about A failing"; }
note "(c): $(grep -m1 "elasticsearch 127.0.0.1:$a_port: " "$T/plugin.log" | sed 's/^audisp-ecs: //')"

# A comes back on the same port; more input must reach it too.
start_server A2 --port "$a_port" --delay-ms 30
plugin_feed "$T/part2.log"
wait_until 30 delivered_all ||
	note "(c): not everything stored yet (A $(count_lines "$T/A1.out") + $(stored A2), B $(stored B) of $total); draining at end of input"
plugin_eof
plugin_wait 20 || { show_log "$T/plugin.log"; fail "(c): the plugin did not exit after the end of its input"; }
[ "$plugin_rc" = 0 ] || { show_log "$T/plugin.log"; fail "(c): the plugin exited $plugin_rc"; }
stop_server B
stop_server A2
es_docs A1 "$T/A1.json" && es_docs B "$T/B.json" && es_docs A2 "$T/A2.json" || fail "(c): wrong _id"
note "(c): A got $(count_lines "$T/A1.json") before it died, B $(count_lines "$T/B.json"), A again $(count_lines "$T/A2.json")"
union "$T/c-union.json" "$T/A1.json" "$T/B.json" "$T/A2.json"
compare_ids "$T/long.json" "$T/c-union.json" --dups-ok --label "(c) A + B + A again" ||
	fail "(c): documents missing or unexpected"
python3 - "$T/A1.json" "$T/B.json" "$T/A2.json" "$T/part2.json" <<'PY' || fail "(c): see above"
import json, sys
a1, b, a2, part2 = sys.argv[1:5]
def ids(path):
    return [json.loads(l)["event"]["id"] for l in open(path) if l.strip()]
A1 = ids(a1)                # in the order A stored them
B, A2, new = set(ids(b)), set(ids(a2)), set(ids(part2))
rc = 0
# What the plugin had in flight on A when it died is sent again in
# whole: a ticket larger than bulk_max_size goes out as several bulk
# requests, and the documents A indexed from the first ones are stored a
# second time elsewhere (nodes of one cluster would answer 409).  Those
# are the last documents A stored: anything else stored twice was sent
# again after the plugin had settled it.
again = [i for i in A1 if i in B or i in A2]
tail = A1[len(A1) - len(again):] if again else []
print(f"(c): duplicates: {len(again)} documents A indexed before it died stored again "
      f"(the part of the ticket in flight it had indexed), {len(B & A2)} on both B and the restarted A")
if again != tail:
    first = next(k for k, i in enumerate(A1) if i in B or i in A2)
    print(f"FAIL: documents A indexed long before it died were sent again (the first is "
          f"number {first + 1} of the {len(A1)} A stored)")
    rc = 1
if B & A2:
    print("FAIL: documents stored both on B and on the restarted A (first 5):", sorted(B & A2)[:5])
    rc = 1
fresh = len(A2 & new)
print(f"(c): the restarted A stored {len(A2)} documents, {fresh} of them from the input that came after it was back")
if fresh == 0:
    print("FAIL: the restarted A got none of the new input")
    rc = 1
sys.exit(rc)
PY
[ "$(grep -c "127.0.0.1:$a_port is Elasticsearch" "$T/plugin.log")" -ge 2 ] ||
	{ show_log "$T/plugin.log"; fail "(c): no reconnection to A logged"; }

echo "PASS: $TEST_NAME"
