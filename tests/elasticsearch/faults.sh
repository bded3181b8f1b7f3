#!/bin/bash
# The Elasticsearch output under the failures Elasticsearch documents:
#   - per-item 429 and 500: only those documents are sent again (no 409
#     for the others, which were indexed the first time);
#   - whole-request 429, 503 and connection resets: the batch is retried;
#   - 413: the batch is split in halves until it fits, and a document that
#     never fits goes to the dead letter;
#   - mapping errors (item 400): non_indexable_policy dead_letter_file,
#     dead_letter_index (original kept as a string, _id kept) and drop
#     (counted and logged).
# In every case each document of the corpus ends up exactly once in the
# index or in the dead letter, never both, never missing.
set -u
. "${srcdir:-.}/tests/elasticsearch/lib.sh"

expected "$CORPUS" "$T/expected.json"
ndocs=$(count_lines "$T/expected.json")
INDEX=logs-audisp_ecs-default
DEAD_INDEX=audisp-ecs-dead-letter

# run_case NAME ES-SETTINGS SERVER-OPTIONS...: a fresh server and data
# dir, one replay of the corpus, which must succeed (exit status
# $WANT_RC, 0 unless set); $T/NAME.docs holds what was indexed.
run_case() {
	local name=$1 settings=$2 rc=0
	shift 2
	rm -rf "$T/data"
	start_server "$name" --data-stream-prefix logs- "$@"
	write_es_conf "$T/$name.conf" "hosts = [\"127.0.0.1:$(port_of "$name")\"]; $settings"
	: >"$T/replay.log"
	replay "$T/$name.conf" "$CORPUS" || rc=$?
	if [ "$rc" != "${WANT_RC:-0}" ]; then
		show_log "$T/replay.log"
		show_log "$T/$name.log"
		fail "$name: replay exited $rc"
	fi
	stop_server "$name"
	es_docs "$name" "$T/$name.docs" "$INDEX" || fail "$name: wrong _id"
}

# exact NAME: every document indexed, exactly once.
exact() {
	compare_ids "$T/expected.json" "$T/$1.docs" --label "$1" || {
		show_log "$T/replay.log"; show_log "$T/$1.log"; fail "$1: wrong documents"; }
}

fired() { stat_of "$1" "faults_fired.$2"; }

# 1. Every 7th new item answers 429 once, every 5th answers 500 once: only
# those are sent again, so no document is sent after it was indexed.
run_case items "" --item-429-every 7 --item-500-every 5
exact items
[ "$(fired items item_429)" -gt 0 ] && [ "$(fired items item_500)" -gt 0 ] ||
	fail "items: the faults did not fire"
[ "$(stat_of items conflicts_409)" = 0 ] ||
	fail "items: $(stat_of items conflicts_409) documents sent again after they were indexed"
[ "$(stat_of items bulk_items)" = $((ndocs + $(stat_of items retried_items))) ] ||
	fail "items: $(stat_of items bulk_items) items sent for $ndocs documents and $(stat_of items retried_items) retries"
grep -q "sending only those again" "$T/replay.log" || fail "items: retries not logged"
note "items: $(fired items item_429) x 429 and $(fired items item_500) x 500, $(stat_of items retried_items) items sent again, no 409"

# The same in plugin mode: the counters say what happened (SIGUSR1 ->
# stats.json, and the status line in the log).
start_server counted --data-stream-prefix logs- --item-429-every 7 --reject-field process.title
rm -rf "$T/data"
write_es_conf "$T/counted.conf" "hosts = [\"127.0.0.1:$(port_of counted)\"];"
: >"$T/plugin.log"
plugin_start "$T/counted.conf"
plugin_feed "$CORPUS"
stored_all() { [ "$(es_control counted stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["created"])')" -ge 29 ]; }
wait_until 20 stored_all || { show_log "$T/plugin.log"; fail "counted: not delivered"; }
# The counters are refreshed about once a second.
counted() {
	plugin_stats
	python3 - "$T/data/stats.json" "$ndocs" <<'PY'
import json, sys
s, n = json.load(open(sys.argv[1])), int(sys.argv[2])
es = s["elasticsearch"]
sys.exit(0 if s["written"] == n and es["item_retries"] > 0 and es["dead_lettered"] == 640 else 1)
PY
}
wait_until 10 counted || { cat "$T/data/stats.json"; fail "counted: wrong counters"; }
grep -q "elasticsearch: 0 already indexed (409), [0-9]* documents sent again after 429/5xx, 640 dead-lettered" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "counted: no elasticsearch status line"; }
plugin_eof
plugin_wait 15 || fail "counted: the plugin did not exit at EOF"
stop_server counted
note "counted: $(grep -o 'elasticsearch: 0 already.*' "$T/plugin.log" | tail -1)"

# 2. Whole requests refused (429, 503) or cut (reset): the batch is sent
# again and nothing was applied, so again no 409.
run_case requests "bulk_max_size = 100;" --request-429 2 --request-503 2 --reset 2
exact requests
[ "$(fired requests request_429)" = 2 ] && [ "$(fired requests request_503)" = 2 ] &&
	[ "$(fired requests reset)" = 2 ] || fail "requests: the faults did not all fire"
[ "$(stat_of requests conflicts_409)" = 0 ] || fail "requests: 409 after refused requests"
note "requests: 2 x 429, 2 x 503, 2 resets retried"

# 2b. A response body past the client's bound (64 MiB for _bulk) is an
# error naming the host and the bound, never a success: the set is sent
# again.
run_case huge "bulk_max_size = 100;" --huge-response 1
exact huge
[ "$(fired huge huge_response)" = 1 ] || fail "huge: the fault did not fire"
grep -q "127.0.0.1:[0-9]*.*larger than 64 MiB" "$T/replay.log" || {
	show_log "$T/replay.log"; fail "huge: no error naming host and bound"; }
note "huge: an oversized response was refused and the set sent again"

# 3. 413: bodies over 6000 bytes are refused; batches are split until
# they fit.  Documents larger than that alone go to the dead-letter file.
run_case toolarge "compression_level = 0;" --max-content-length 6000
python3 - "$T/expected.json" "$T/toolarge.docs" "$T/data/dead-letter.ndjson" <<'PY' || fail "toolarge: documents lost or doubled"
import json, sys
exp = {json.loads(l)["event"]["id"]: len(l.encode()) - 1 for l in open(sys.argv[1])}
got = [json.loads(l)["event"]["id"] for l in open(sys.argv[2])]
try:
    dead = [json.loads(l) for l in open(sys.argv[3])]
except FileNotFoundError:
    dead = []
dead_ids = [json.loads(d["message"])["event"]["id"] for d in dead]
assert len(got) == len(set(got)) and len(dead_ids) == len(set(dead_ids)), "duplicates"
assert set(got) | set(dead_ids) == set(exp), "missing or unexpected"
assert not set(got) & set(dead_ids), "both indexed and dead-lettered"
assert all(d["error"]["code"] == 413 for d in dead)
# what went to the dead letter cannot fit with its action line
assert all(exp[i] > 6000 - 120 for i in dead_ids), "a document that fits was dead-lettered"
print(f"toolarge: {len(got)} indexed, {len(dead_ids)} too large alone, dead-lettered")
PY
[ "$(stat_of toolarge too_large)" -gt 0 ] || fail "toolarge: no 413"

# 4. Mapping errors: every document with process.title is refused (400).
titled=$(grep -c '"title"' "$T/expected.json")
[ "$titled" -gt 0 ] || fail "the corpus has no process.title"
dead_file_check() {
	python3 - "$T/expected.json" "$1" "$2" "$3" <<'PY'
import json, sys
exp, docs, dead_path, kind = sys.argv[1:5]
titled = {json.loads(l)["event"]["id"] for l in open(exp) if "title" in json.loads(l).get("process", {})}
got = [json.loads(l)["event"]["id"] for l in open(docs)]
dead = [json.loads(l) for l in open(dead_path)] if dead_path != "-" else []
if kind == "index":
    dead = [d for d in dead]
dead_ids = [json.loads(d["message"])["event"]["id"] for d in dead]
assert len(dead_ids) == len(set(dead_ids)), "dead letters twice"
assert set(dead_ids) == (titled if kind != "drop" else set()), "wrong dead letters"
assert set(got) == {json.loads(l)["event"]["id"] for l in open(exp)} - titled, "wrong indexed set"
for d in dead:
    assert d["error"]["code"] == 400 and "process.title" in d["error"]["message"], d["error"]
    assert d["event"]["kind"] == "pipeline_error"
    assert d["event"]["id"] == json.loads(d["message"])["event"]["id"]
print(f"{kind}: {len(got)} indexed, {len(dead_ids)} dead letters")
PY
}
run_case deadfile "" --reject-field process.title
dead_file_check "$T/deadfile.docs" "$T/data/dead-letter.ndjson" file || fail "dead_letter_file"
[ "$(stat -c %a "$T/data/dead-letter.ndjson")" = 600 ] || fail "the dead-letter file is not 0600"

run_case deadindex 'non_indexable_policy = "dead_letter_index";' --reject-field process.title
es_docs deadindex "$T/deadindex.dead" "$DEAD_INDEX" || fail "deadindex: dead letters without the original _id"
dead_file_check "$T/deadindex.docs" "$T/deadindex.dead" index || fail "dead_letter_index"
[ ! -e "$T/data/dead-letter.ndjson" ] || fail "deadindex: wrote the dead-letter file too"

# Documents dropped: replay says so with its exit status.
WANT_RC=1 run_case drop 'non_indexable_policy = "drop";' --reject-field process.title
dead_file_check "$T/drop.docs" - drop || fail "drop"
grep -q "dropped as non_indexable_policy says" "$T/replay.log" || fail "drop: not logged"
note "mapping errors: $titled documents dead-lettered to a file, to an index, or dropped and logged"
exit 0
