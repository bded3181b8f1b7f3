#!/bin/bash
# Against a real OpenSearch 2.19 node: the first 20 MB of the benchmark
# corpus (events captured from a real kernel), replayed after setup, are
# all indexed: _count equals the documents of a plain replay, with no
# dead letter and no mapping error; the fields mapped are reported and
# stay well under the engine's limit.  Skipped when the corpus is not
# beside the source tree.
set -u
. "${srcdir:-.}/tests/opensearch/lib.sh"

os_corpus_slice 20 "$T/bench.log"
REPLAY_TIMEOUT=120 expected "$T/bench.log" "$T/expected.json"
ndocs=$(count_lines "$T/expected.json")
opensearch_start
timeout 60 "$bin" setup -c "$OS_CONF" >"$T/setup.log" 2>&1 ||
	{ show_log "$T/setup.log"; fail "setup failed"; }

: >"$T/replay.log"
REPLAY_TIMEOUT=300 replay "$OS_CONF" "$T/bench.log" ||
	{ show_log "$T/replay.log"; fail "replay failed"; }
grep -Eqi "error|fail|dead|retr|\(409\)|mapper_parsing|illegal_argument" "$T/replay.log" &&
	{ show_log "$T/replay.log"; fail "errors, retries, conflicts or dead letters"; }
count=$(os_count "$OS_INDEX")
[ "$count" = "$ndocs" ] || fail "_count $count, $ndocs documents written"
[ "$(os_count "$OS_DEAD_LETTER")" = 0 ] || fail "dead letters in $OS_DEAD_LETTER"
fields=$(os_field_count "$OS_INDEX")
[ "$fields" -gt 0 ] && [ "$fields" -le 1000 ] ||
	fail "$fields fields mapped; the template's limit is 2000, half of it allowed"
note "$(wc -c <"$T/bench.log") bytes of corpus: $count documents indexed, 0 dead letters, $fields fields mapped (limit 2000)"

echo "PASS: $TEST_NAME"
