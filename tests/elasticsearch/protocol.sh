#!/bin/bash
# The Elasticsearch output speaks the _bulk API as Elasticsearch documents
# it: NDJSON bodies ending in a newline, gzip when compression_level > 0,
# the action "create" with _id = event.id into a data stream, the filter
# that keeps responses small; every document of a replay arrives exactly
# once (checked by event.id against a plain replay).  A second replay of
# the same events answers 409 for every one: counted as delivered, not
# stored twice.  pipeline, parameters and headers reach the server.
# "setup" installs a template that maps every field the plugin writes,
# idempotently; "test output" indexes a test document and deletes it, and
# refuses what is not Elasticsearch 7 to 9.
set -u
. "${srcdir:-.}/tests/elasticsearch/lib.sh"

expected "$CORPUS" "$T/expected.json"
ndocs=$(count_lines "$T/expected.json")
version=$("$bin" -V </dev/null | awk '{print $2; exit}')
INDEX=logs-audisp_ecs-default

# run_case NAME ES-SETTINGS SERVER-OPTIONS...: a fresh server and data dir,
# one replay of the corpus, then the ids compared.
run_case() {
	local name=$1 settings=$2
	shift 2
	rm -rf "$T/data"
	start_server "$name" --data-stream-prefix logs- "$@"
	write_es_conf "$T/$name.conf" "hosts = [\"127.0.0.1:$(port_of "$name")\"]; $settings"
	: >"$T/replay.log"
	if ! replay "$T/$name.conf" "$CORPUS"; then
		show_log "$T/replay.log"
		show_log "$T/$name.log"
		fail "$name: replay failed"
	fi
	server_stats "$name"
	es_docs "$name" "$T/$name.docs" "$INDEX" || fail "$name: wrong _id"
	compare_ids "$T/expected.json" "$T/$name.docs" --label "$name" || {
		show_log "$T/$name.log"; fail "$name: wrong documents"; }
}

# 1. Defaults: gzip level 1, create with _id, the response filter.
run_case plain ""
[ "$(stat_of plain items_by_action.create)" = "$ndocs" ] ||
	fail "plain: $(stat_of plain items_by_action.create) create actions for $ndocs documents"
[ "$(stat_of plain gzip_requests)" = "$(stat_of plain bulk_requests)" ] ||
	fail "plain: $(stat_of plain gzip_requests) of $(stat_of plain bulk_requests) bulk requests gzipped"
[ "$(stat_of plain content_types.application/x-ndjson)" -ge 1 ] ||
	fail "plain: bulk bodies not sent as application/x-ndjson"
es_control plain stats | grep -q '"errors,items.\*.error,items.\*.status"' ||
	fail "plain: the bulk requests did not ask for filter_path=errors,items.*.error,items.*.status"
grep -q "\"audisp-ecs/$version\"" "$T/plain.stats" ||
	fail "plain: no User-Agent audisp-ecs/$version"
[ "$(stat_of plain conflicts_409)" = 0 ] || fail "plain: conflicts on a first delivery"
note "plain: $ndocs documents in $(stat_of plain bulk_requests) gzipped bulk requests"

# 2. The same events again, from a fresh spool: every create answers 409,
# which is success; nothing is stored twice and the replay succeeds.
rm -rf "$T/data"
: >"$T/replay.log"
replay "$T/plain.conf" "$CORPUS" || { show_log "$T/replay.log"; fail "again: replay failed"; }
server_stats plain
[ "$(stat_of plain conflicts_409)" = "$ndocs" ] ||
	fail "again: $(stat_of plain conflicts_409) conflicts, expected $ndocs"
es_docs plain "$T/again.docs" "$INDEX"
compare_ids "$T/expected.json" "$T/again.docs" --label again || fail "again: stored twice"
grep -qi "error\|fail" "$T/replay.log" && { show_log "$T/replay.log"; fail "again: 409 reported as an error"; }
stop_server plain

# 3. No compression, small batches, pipeline, parameters, headers.
run_case options 'compression_level = 0; bulk_max_size = 50; pipeline = "audit-enrich";
    parameters: { refresh = "false"; }; headers: { X-Audit-Team = "secops"; };'
[ "$(stat_of options gzip_requests)" = 0 ] || fail "options: gzip with compression_level 0"
[ "$(stat_of options max_items_per_request)" -le 50 ] ||
	fail "options: $(stat_of options max_items_per_request) items in one request (bulk_max_size 50)"
[ "$(stat_of options bulk_requests)" -ge $((ndocs / 50)) ] ||
	fail "options: only $(stat_of options bulk_requests) requests"
[ "$(stat_of options pipelines.audit-enrich)" -ge 1 ] || fail "options: pipeline not sent"
es_control options requests >"$T/requests.json"
grep -q 'refresh=false' "$T/requests.json" || fail "options: parameters not in the bulk URL"
python3 - "$T/options.out" <<'PY' || fail "options: stored documents lack their pipeline"
import json, sys
bad = [l for l in open(sys.argv[1]) if json.loads(l).get("pipeline") != "audit-enrich"]
sys.exit(1 if bad else 0)
PY
stop_server options

# 4. setup: the template maps every field the documents have (auditd.data.*
# has a dynamic template), a second run changes nothing, --ilm adds the
# policy and refers to it.
start_server setup
write_es_conf "$T/setup.conf" "hosts = [\"127.0.0.1:$(port_of setup)\"];"
"$bin" setup -c "$T/setup.conf" >"$T/setup1.log" 2>&1 || { cat "$T/setup1.log"; fail "setup failed"; }
grep -q "index template: installed" "$T/setup1.log" || { cat "$T/setup1.log"; fail "setup: no template installed"; }
"$bin" setup -c "$T/setup.conf" >"$T/setup2.log" 2>&1 || fail "setup (again) failed"
grep -q "index template: unchanged" "$T/setup2.log" || { cat "$T/setup2.log"; fail "setup: not idempotent"; }
"$bin" setup -c "$T/setup.conf" --ilm >"$T/setup3.log" 2>&1 || fail "setup --ilm failed"
grep -q "lifecycle policy: installed" "$T/setup3.log" || { cat "$T/setup3.log"; fail "setup --ilm: no policy"; }
port=$(port_of setup)
curl -sS "http://127.0.0.1:$port/_index_template/$INDEX" >"$T/template.json"
curl -sS "http://127.0.0.1:$port/_ilm/policy/audisp-ecs" >"$T/policy.json"
python3 - "$T/template.json" "$T/expected.json" "$T/policy.json" <<'PY' || fail "setup: the template does not map every field"
import json, sys
t = json.load(open(sys.argv[1]))["index_templates"][0]["index_template"]
assert t["data_stream"] == {}, "not a data stream template"
assert t["priority"] > 200, "priority not above the built-in templates"
assert t["index_patterns"] == ["logs-audisp_ecs-default*"], t["index_patterns"]
assert t["template"]["settings"]["index"]["lifecycle"]["name"] == "audisp-ecs"
assert "rollover" in json.dumps(json.load(open(sys.argv[3])))
props = t["template"]["mappings"]["properties"]
def mapped(path):
    node = {"properties": props}
    for part in path.split("."):
        node = node.get("properties", {}).get(part)
        if node is None:
            return False
    return "type" in node
missing = set()
def walk(o, path):
    if isinstance(o, dict):
        for k, v in o.items():
            walk(v, path + [k])
    elif isinstance(o, list):
        for v in o:
            walk(v, path)
    elif path[:2] != ["auditd", "data"] and not mapped(".".join(path)):
        missing.add(".".join(path))
for line in open(sys.argv[2]):
    walk(json.loads(line), [])
if missing:
    print("not mapped:", sorted(missing))
    sys.exit(1)
m = props["process"]["properties"]
assert m["title"]["fields"]["text"]["type"] == "match_only_text"
assert m["args"]["type"] == "keyword" and m["pid"]["type"] == "long"
assert props["source"]["properties"]["ip"]["type"] == "ip"
assert props["@timestamp"]["type"] == "date"
PY
note "setup: template and policy installed, every field mapped, idempotent"

# 5. test output: the test document is indexed and deleted again.
"$bin" test output -c "$T/setup.conf" >"$T/test-output.log" 2>&1 ||
	{ cat "$T/test-output.log"; fail "test output failed"; }
grep -q "indexed" "$T/test-output.log" && grep -q "deleted" "$T/test-output.log" ||
	{ cat "$T/test-output.log"; fail "test output: no index/delete steps"; }
[ -z "$(es_control setup store)" ] || fail "test output: the test document was left behind"
stop_server setup

# 6. What is not Elasticsearch, or too old, is refused by name.
start_server other --not-elastic
write_es_conf "$T/other.conf" "hosts = [\"127.0.0.1:$(port_of other)\"];"
"$bin" test output -c "$T/other.conf" >"$T/other.log" 2>&1 && fail "test output accepted a server that is not Elasticsearch"
grep -q "not Elasticsearch" "$T/other.log" || { cat "$T/other.log"; fail "no 'not Elasticsearch' message"; }
start_server old --es-version 6.8.23
write_es_conf "$T/old.conf" "hosts = [\"127.0.0.1:$(port_of old)\"];"
"$bin" test output -c "$T/old.conf" >"$T/old.log" 2>&1 && fail "test output accepted Elasticsearch 6"
grep -q "6.8.23 is not supported" "$T/old.log" || { cat "$T/old.log"; fail "no version message"; }
note "refused: $(grep -o 'not Elasticsearch[^:]*' "$T/other.log" | head -1); $(grep -o 'Elasticsearch 6[^)]*)' "$T/old.log" | head -1)"
exit 0
