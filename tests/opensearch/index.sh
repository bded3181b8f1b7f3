#!/bin/bash
# Against a real OpenSearch 2.19 node: "setup" installs the index and
# dead-letter templates (the engine accepts them) and a second run finds
# them unchanged; the data stream does not exist before the first
# document and is made by it; a replay of the diverse corpus indexes
# every document (_count equals the documents of a plain replay, each
# _id its event.id), with no dead letter and no mapping error, and the
# fields mapped stay well under the engine's limit; the same events
# again change nothing: every create answers 409, counted as already
# indexed, not as an error; "test output" indexes its document and
# deletes it.  setup --ilm on a node without the Index
# State Management plugin fails and says so.
set -u
. "${srcdir:-.}/tests/opensearch/lib.sh"

expected "$CORPUS" "$T/expected.json"
ndocs=$(count_lines "$T/expected.json")
opensearch_start

# 1. setup, twice.
timeout 60 "$bin" setup -c "$OS_CONF" >"$T/setup1.log" 2>&1 ||
	{ show_log "$T/setup1.log"; fail "setup: failed"; }
grep -q "OpenSearch 2\.19\.[0-9]* (cluster" "$T/setup1.log" ||
	{ show_log "$T/setup1.log"; fail "setup: the node was not told as OpenSearch 2.19"; }
for what in "index template" "dead-letter template"; do
	grep -q "^$what: installed" "$T/setup1.log" ||
		{ show_log "$T/setup1.log"; fail "setup: $what not installed"; }
done
timeout 60 "$bin" setup -c "$OS_CONF" >"$T/setup2.log" 2>&1 ||
	{ show_log "$T/setup2.log"; fail "setup again: failed"; }
[ "$(grep -c ': unchanged (' "$T/setup2.log")" = 2 ] ||
	{ show_log "$T/setup2.log"; fail "setup again: not both unchanged"; }
os_get "/_index_template/$OS_INDEX" | grep -q '"match_only_text"' ||
	fail "setup: the template on the node has no match_only_text (2.19 has it)"
rc=0
timeout 60 "$bin" setup --ilm -c "$OS_CONF" >"$T/setup-ism.log" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "Index State Management plugin installed" "$T/setup-ism.log" ||
	{ show_log "$T/setup-ism.log"; fail "setup --ilm without ISM: exit $rc, or no word of ISM"; }
grep -q "_ilm" "$T/setup-ism.log" && fail "setup --ilm asked OpenSearch for ILM"
note "setup: $(grep -c installed "$T/setup1.log") resources installed, then unchanged; --ilm refused without ISM"

# 2. No data stream before the first document.
[ "$(os_status GET "/_data_stream/$OS_INDEX")" = 404 ] ||
	fail "data stream: $OS_INDEX exists before any document"

# 3. The corpus replayed (which waits until the node has stored every
# document: the first write makes the data stream, which takes a node
# that has just started a few seconds).
: >"$T/replay.log"
REPLAY_TIMEOUT=120 replay "$OS_CONF" "$CORPUS" ||
	{ show_log "$T/replay.log"; fail "diverse: replay failed"; }
os_get "/_data_stream/$OS_INDEX" >"$T/ds.json"
grep -q "\"name\":\"$OS_INDEX\"" "$T/ds.json" && grep -q '"template":"'"$OS_INDEX"'"' "$T/ds.json" ||
	{ cat "$T/ds.json"; fail "data stream: not made from the template by the first document"; }
count=$(os_count "$OS_INDEX")
[ "$count" = "$ndocs" ] || { show_log "$T/replay.log"; fail "diverse: _count $count, $ndocs documents written"; }
os_ids "$OS_INDEX" "$T/got.json" || fail "diverse: reading the documents back failed"
compare_ids "$T/expected.json" "$T/got.json" --label diverse || fail "diverse: wrong documents"
grep -Eqi "error|fail|dead|retr|409" "$T/replay.log" &&
	{ show_log "$T/replay.log"; fail "diverse: errors, retries, conflicts or dead letters"; }
[ "$(os_count "$OS_DEAD_LETTER")" = 0 ] || fail "diverse: dead letters in $OS_DEAD_LETTER"
grep -Eqi "mapper_parsing|illegal_argument|document_parsing" "$T/replay.log" &&
	{ show_log "$T/replay.log"; fail "diverse: mapping errors"; }

# 4. The mapping: every field the plugin wrote, well under the limit.
fields=$(os_field_count "$OS_INDEX")
limit=$(os_get "/$OS_INDEX/_settings?include_defaults=true&flat_settings=true" |
	python3 -c 'import json,sys; d=json.load(sys.stdin); v=next(iter(d.values())); print((v["settings"].get("index.mapping.total_fields.limit") or v["defaults"]["index.mapping.total_fields.limit"]))')
[ "$fields" -gt 0 ] && [ "$fields" -le $((limit / 2)) ] ||
	fail "mapping: $fields fields mapped, limit $limit (half of it allowed)"
note "diverse: $count documents, $fields fields mapped (limit $limit)"

# 5. The same events again: every create a 409, done, nothing new.
: >"$T/plugin.log"
rm -rf "$T/data"
PLUGIN_TIMEOUT=120 plugin "$OS_CONF" cat "$CORPUS" || { show_log "$T/plugin.log"; fail "again: the plugin failed"; }
grep -q "elasticsearch: $ndocs already indexed (409), 0 documents sent again after 429/5xx, 0 dead-lettered" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "again: not every document answered 409 and counted done"; }
grep -q " 0 write errors" "$T/plugin.log" || { show_log "$T/plugin.log"; fail "again: write errors"; }
[ "$(os_count "$OS_INDEX")" = "$ndocs" ] || fail "again: _count changed to $(os_count "$OS_INDEX")"
note "again: $ndocs creates answered 409, _count still $ndocs"

# 6. test output: a test document indexed into the data stream and
# deleted again.
timeout 60 "$bin" test output -c "$OS_CONF" >"$T/test-output.log" 2>&1 ||
	{ show_log "$T/test-output.log"; fail "test output failed"; }
grep -q "OpenSearch 2\.19" "$T/test-output.log" || { show_log "$T/test-output.log"; fail "test output: not told as OpenSearch"; }
[ "$(os_count "$OS_INDEX")" = "$ndocs" ] || fail "test output: its document stayed ($(os_count "$OS_INDEX") documents)"

echo "PASS: $TEST_NAME"
