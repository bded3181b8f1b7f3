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
#   - answers that are not what Elasticsearch sends (a broken proxy or
#     another product): bulk items that are not objects or have members
#     of the wrong type, bodies cut short or of the wrong shape, GET /
#     without X-Elastic-Product and with "tagline": null, bodies past the
#     client's bounds, and template and policy answers such as [1] to
#     `setup`: no crash, nothing taken as indexed that was not.
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
WANT_RC=4 run_case toolarge "compression_level = 0;" --max-content-length 6000
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
# Dead letters are kept, not indexed: replay exits 4 to say so.
WANT_RC=4 run_case deadfile "" --reject-field process.title
dead_file_check "$T/deadfile.docs" "$T/data/dead-letter.ndjson" file || fail "dead_letter_file"
[ "$(stat -c %a "$T/data/dead-letter.ndjson")" = 600 ] || fail "the dead-letter file is not 0600"

WANT_RC=4 run_case deadindex 'non_indexable_policy = "dead_letter_index";' --reject-field process.title
es_docs deadindex "$T/deadindex.dead" "$DEAD_INDEX" || fail "deadindex: dead letters without the original _id"
dead_file_check "$T/deadindex.docs" "$T/deadindex.dead" index || fail "dead_letter_index"
[ ! -e "$T/data/dead-letter.ndjson" ] || fail "deadindex: wrote the dead-letter file too"

# Documents dropped: replay says so with its exit status (3: lost).
WANT_RC=3 run_case drop 'non_indexable_policy = "drop";' --reject-field process.title
dead_file_check "$T/drop.docs" - drop || fail "drop"
grep -q "dropped as non_indexable_policy says" "$T/replay.log" || fail "drop: not logged"
note "mapping errors: $titled documents dead-lettered to a file, to an index, or dropped and logged"

# 5. Bulk items that are not what Elasticsearch sends (null, 1, "x", [],
# an action of the wrong type, a status or error of the wrong type...),
# for every 3rd new item, which the server did not apply: only those
# documents are sent again, and each ends up indexed.
run_case malformed "" --malformed-item-every 3
exact malformed
[ "$(fired malformed malformed_item)" -gt 0 ] || fail "malformed: the fault did not fire"
[ "$(stat_of malformed retried_items)" = "$(fired malformed malformed_item)" ] ||
	fail "malformed: $(stat_of malformed retried_items) items sent again for $(fired malformed malformed_item) malformed"
[ "$(stat_of malformed conflicts_409)" = 0 ] || fail "malformed: documents sent again that were indexed"
grep -q "bulk response item [0-9]*: it is null, not an object; sending that document again" "$T/replay.log" || {
	show_log "$T/replay.log"; fail "malformed: the malformed item is not named in the log"; }
note "malformed: $(fired malformed malformed_item) malformed items, each document sent again and indexed"

# 6. Whole bodies cut short ({"took":1,"errors":false) or of the wrong
# shape (an item short or too many, no items, errors a string, an array,
# trailing bytes, a NUL, not UTF-8, HTML, empty), none applied: the
# request fails and its documents are sent again.
run_case badbody "bulk_max_size = 100;" --truncated-response 2 --bad-response 11
exact badbody
[ "$(fired badbody truncated_response)" = 2 ] && [ "$(fired badbody bad_response)" = 11 ] ||
	fail "badbody: the faults did not all fire"
[ "$(stat_of badbody conflicts_409)" = 0 ] || fail "badbody: 409 after bodies of requests not applied"
grep -q "the bulk response is not what Elasticsearch sends: the body is cut short" "$T/replay.log" &&
	grep -q "the bulk response does not have one item per document (100 sent, 99 items)" "$T/replay.log" || {
	show_log "$T/replay.log"; fail "badbody: the bad bodies are not named in the log"; }
note "badbody: 2 truncated and 11 malformed bulk bodies, each batch sent again"

# 7. GET / without X-Elastic-Product and with "tagline": null (a 7.x
# behind a proxy that drops the header): refused, not a crash; once the
# server answers as Elasticsearch again, every document is indexed.
start_server noproduct --data-stream-prefix logs- --no-product-header \
	--cluster-info '{"version": {"number": "7.10.2"}, "tagline": null}'
rm -rf "$T/data"
write_es_conf "$T/noproduct.conf" "hosts = [\"127.0.0.1:$(port_of noproduct)\"];"
rc=0
timeout 30 "$bin" test output -c "$T/noproduct.conf" >"$T/noproduct.test" 2>&1 || rc=$?
[ "$rc" = 1 ] || { show_log "$T/noproduct.test"; fail "noproduct: test output exited $rc, expected 1"; }
grep -q "not Elasticsearch: GET / answered HTTP 200 without the X-Elastic-Product: Elasticsearch header (its tagline is null, not a string)" \
	"$T/noproduct.test" || { show_log "$T/noproduct.test"; fail "noproduct: test output does not say why"; }
: >"$T/replay.log"
replay_bg "$T/noproduct.conf" "$CORPUS"
refused() { grep -q "its tagline is null, not a string" "$T/replay.log"; }
wait_until 20 refused || { show_log "$T/replay.log"; fail "noproduct: no refusal logged"; }
kill -0 "$replay_pid" 2>/dev/null || { show_log "$T/replay.log"; fail "noproduct: replay did not keep trying"; }
server_stats noproduct
[ "$(stat_of noproduct bulk_requests)" = 0 ] || fail "noproduct: documents sent to what is not Elasticsearch"
es_control noproduct faults '{}' >/dev/null || fail "noproduct: cannot clear the faults"
rc=0
wait "$replay_pid" || rc=$?
[ "$rc" = 0 ] || { show_log "$T/replay.log"; fail "noproduct: replay exited $rc"; }
stop_server noproduct
es_docs noproduct "$T/noproduct.docs" "$INDEX" || fail "noproduct: wrong _id"
exact noproduct
note "noproduct: refused while it answered without the header and with tagline null, then all indexed"

# 8. Answers past the client's bound for anything but _bulk (1 MiB): GET
# / answered with more is an error naming the bound; the worker tries
# again and delivers everything.
run_case hugeinfo "" --huge-other 2
exact hugeinfo
[ "$(fired hugeinfo huge_other)" = 2 ] || fail "hugeinfo: the fault did not fire"
grep -q "127.0.0.1:[0-9]*.*larger than 1 MiB: not read" "$T/replay.log" || {
	show_log "$T/replay.log"; fail "hugeinfo: no error naming the bound"; }
note "hugeinfo: GET / answers over 1 MiB refused, then all indexed"

# 9. setup when GET _index_template/... and GET _ilm/policy/... answer [1]
# and other shapes: no crash; what the cluster has is written again, and
# once the answers are right again a second run changes nothing.
start_server setup
write_es_conf "$T/setup.conf" "hosts = [\"127.0.0.1:$(port_of setup)\"];"
setup_run() {
	rc=0
	timeout 30 "$bin" setup -c "$T/setup.conf" --ilm >"$T/setup.log" 2>&1 || rc=$?
}
es_control setup faults '{"resource_answer": "[1]"}' >/dev/null || fail "setup: cannot set the faults"
setup_run
[ "$rc" = 0 ] || { show_log "$T/setup.log"; fail "setup with [1] answers exited $rc"; }
grep -q "index template: the answer to GET /_index_template/$INDEX is not what Elasticsearch sends (it is an array, not an object); writing it again" "$T/setup.log" &&
	grep -q "lifecycle policy: the answer to GET /_ilm/policy/audisp-ecs is not what Elasticsearch sends" "$T/setup.log" &&
	[ "$(grep -c ': updated (' "$T/setup.log")" = 3 ] || { show_log "$T/setup.log"; fail "setup with [1] answers: wrong report"; }
for answer in 'null' '{}' '{"index_templates": [1], "audisp-ecs": []}' \
	'{"index_templates": {}, "audisp-ecs": {"policy": 1}}' \
	'{"index_templates": [{"name": "'"$INDEX"'", "index_template": {"_meta": {"digest": 5}}}]}' \
	'{"index_templates": [{"name": "'"$INDEX"'", "index_template": {"_meta": "x"}}]' \
	'<html>proxy error</html>'; do
	es_control setup faults "$(python3 -c 'import json, sys; print(json.dumps({"resource_answer": sys.argv[1]}))' "$answer")" >/dev/null ||
		fail "setup: cannot set the faults"
	setup_run
	[ "$rc" = 0 ] && [ "$(grep -c ': updated (' "$T/setup.log")" = 3 ] ||
		{ show_log "$T/setup.log"; fail "setup with the answer $answer: exited $rc"; }
done
es_control setup faults '{}' >/dev/null
setup_run
[ "$rc" = 0 ] && [ "$(grep -c ': unchanged (' "$T/setup.log")" = 3 ] ||
	{ show_log "$T/setup.log"; fail "setup: not unchanged once the answers are right"; }
# A body past the bound: an error naming it, exit status 1, no crash.
es_control setup faults '{"huge_other": 1}' >/dev/null
setup_run
[ "$rc" = 1 ] && grep -q "larger than 1 MiB: not read" "$T/setup.log" ||
	{ show_log "$T/setup.log"; fail "setup with an oversized answer exited $rc"; }
stop_server setup
note "setup: answers [1], null, HTML and of the wrong shapes rewritten, then unchanged; an oversized answer refused"
exit 0
