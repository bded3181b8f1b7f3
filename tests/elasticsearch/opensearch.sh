#!/bin/bash
# OpenSearch as the target, against the test server's OpenSearch
# personality (tests/peers/es_server.py --opensearch; the real engine is
# in tests/opensearch/): it is taken without X-Elastic-Product from GET /
# (1.x to 3.x, and one answering as 7.10.2 for compatibility; 4.x is
# refused by name); setup writes the template without ILM's setting and,
# with --ilm, an Index State Management policy that claims the data
# stream's backing indices, idempotently (unchanged on the second run,
# updated with if_seq_no/if_primary_term when it differs); before 2.12
# match_only_text becomes text and the rollover is on min_size; a replay
# delivers every document.
set -u
. "${srcdir:-.}/tests/elasticsearch/lib.sh"

expected "$CORPUS" "$T/expected.json"
INDEX=logs-audisp_ecs-default
ISM=/_plugins/_ism/policies/audisp-ecs

# os_peer NAME VERSION: the test server as OpenSearch VERSION, and its conf.
os_peer() {
	rm -rf "$T/data"
	start_server "$1" --data-stream-prefix logs- --opensearch "$2"
	write_es_conf "$T/$1.conf" "hosts = [\"127.0.0.1:$(port_of "$1")\"];"
	URL=http://127.0.0.1:$(port_of "$1")
}

# setup_ok NAME [ARGS]: setup must succeed; its output in $T/NAME.setup.
setup_ok() {
	local name=$1
	shift
	timeout 60 "$bin" setup "$@" -c "$T/$name.conf" >"$T/$name.setup" 2>&1 ||
		{ show_log "$T/$name.setup"; show_log "$T/$name.log"; fail "$name: setup $* failed"; }
}

# 1. OpenSearch 2.19: ISM instead of ILM; twice; then a changed policy.
os_peer os2 2.19.1
setup_ok os2 --ilm
grep -q "OpenSearch 2.19.1 (cluster audisp-ecs-test)" "$T/os2.setup" ||
	{ show_log "$T/os2.setup"; fail "os2: not told as OpenSearch 2.19.1"; }
grep -q "^lifecycle policy: installed ($ISM, Index State Management)" "$T/os2.setup" ||
	{ show_log "$T/os2.setup"; fail "os2: no ISM policy installed"; }
grep -q "_ilm" "$T/os2.setup" "$T/os2.log" && fail "os2: ILM asked of OpenSearch"
curl -sS "$URL$ISM" >"$T/ism.json"
python3 - "$T/ism.json" "$INDEX" <<'PY' || fail "os2: the ISM policy is wrong"
import json, sys
d = json.load(open(sys.argv[1]))["policy"]
want = [".ds-" + sys.argv[2] + "*"]
assert d["ism_template"][0]["index_patterns"] == want, d["ism_template"]
rollover = d["states"][0]["actions"][0]["rollover"]
assert rollover == {"min_primary_shard_size": "50gb", "min_index_age": "30d"}, rollover
assert " (digest " in d["description"], d["description"]
assert not any(s.get("actions") and "delete" in s["actions"][0] for s in d["states"])
PY
curl -sS "$URL/_index_template/$INDEX" >"$T/template.json"
grep -q lifecycle "$T/template.json" && fail "os2: the template names an ILM policy"
grep -q '"match_only_text"' "$T/template.json" || fail "os2: 2.19 has match_only_text, the template does not use it"
setup_ok os2 --ilm
[ "$(grep -c ': unchanged (' "$T/os2.setup")" = 3 ] ||
	{ show_log "$T/os2.setup"; fail "os2: the second setup did not find all three unchanged"; }
# Someone changes the policy by hand: setup replaces it, naming the
# sequence number it read (the server refuses a replacement without).
python3 - "$T/ism.json" >"$T/changed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = {k: v for k, v in d["policy"].items() if k not in ("policy_id", "last_updated_time", "schema_version")}
p["description"] = "changed by hand"
print(json.dumps({"policy": p}))
PY
curl -sS -o /dev/null -X PUT -H 'Content-Type: application/json' --data-binary @"$T/changed.json" \
	"$URL$ISM?if_seq_no=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["_seq_no"])' "$T/ism.json")&if_primary_term=1"
grep -q "changed by hand" <(curl -sS "$URL$ISM") || fail "os2: the policy could not be changed by hand"
setup_ok os2 --ilm
grep -q "^lifecycle policy: updated ($ISM" "$T/os2.setup" ||
	{ show_log "$T/os2.setup"; fail "os2: a changed policy was not updated"; }
grep -q "changed by hand" <(curl -sS "$URL$ISM") && fail "os2: the policy is still the one changed by hand"
# Documents: the output takes it too.
: >"$T/replay.log"
replay "$T/os2.conf" "$CORPUS" || { show_log "$T/replay.log"; fail "os2: replay failed"; }
grep -q "is OpenSearch 2.19.1" "$T/replay.log" || { show_log "$T/replay.log"; fail "os2: the output did not say OpenSearch"; }
server_stats os2
es_docs os2 "$T/os2.docs" "$INDEX" || fail "os2: wrong _id"
compare_ids "$T/expected.json" "$T/os2.docs" --label os2 || fail "os2: wrong documents"
timeout 30 "$bin" test output -c "$T/os2.conf" >"$T/os2.test" 2>&1 ||
	{ show_log "$T/os2.test"; fail "os2: test output failed"; }
stop_server os2
note "os2: ISM policy installed, unchanged, updated; $(count_lines "$T/os2.docs") documents"

# 2. OpenSearch 1.3: no match_only_text (the server refuses it), rollover
# on min_size.
os_peer os1 1.3.20
setup_ok os1 --ilm
grep -q "^index template: installed" "$T/os1.setup" || { show_log "$T/os1.setup"; fail "os1: no template"; }
grep -q '"min_size":"50gb"' <(curl -sS "$URL$ISM") || fail "os1: the rollover is not on min_size"
grep -q '"match_only_text"' <(curl -sS "$URL/_index_template/$INDEX") && fail "os1: match_only_text for 1.3"
setup_ok os1 --ilm
[ "$(grep -c ': unchanged (' "$T/os1.setup")" = 3 ] || { show_log "$T/os1.setup"; fail "os1: not unchanged"; }
stop_server os1

# 3. One that hides its version behind 7.10.2: the forms every version takes.
os_peer compat 7.10.2
setup_ok compat --ilm
grep -q "OpenSearch answering as 7.10.2 for compatibility" "$T/compat.setup" ||
	{ show_log "$T/compat.setup"; fail "compat: not told as OpenSearch in compatibility mode"; }
grep -q '"min_size":"50gb"' <(curl -sS "$URL$ISM") || fail "compat: not the oldest rollover form"
stop_server compat

# 4. A major version not known to work: refused by name.
os_peer os4 4.0.0
rc=0
timeout 30 "$bin" setup -c "$T/os4.conf" >"$T/os4.setup" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "OpenSearch 4.0.0 is not supported (1.x, 2.x or 3.x)" "$T/os4.setup" ||
	{ show_log "$T/os4.setup"; fail "os4: exit $rc, or not refused by name"; }
stop_server os4

echo "PASS: $TEST_NAME"
