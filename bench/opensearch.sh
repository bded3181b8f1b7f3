#!/bin/bash
# Real-engine benchmark: documents/s from "audisp-ecs replay" into a real
# OpenSearch 2.19 node (the test node of tests/opensearch/, one JVM with a
# 1 GB heap, on loopback), with gzip off and at level 1, next to the file
# output, in one run.
#
# Replays the first BENCH_BYTES (default 20 MB) of the audit corpus RUNS
# times per configuration, round-robin; before each run into the engine
# the data stream is deleted and made again, empty, so that every run
# indexes every document (checked by _count after the run).  Prints wall and CPU seconds of
# audisp-ecs, documents/s, its CPU against the file output's, and the CPU
# seconds the node spent in the run.  The engine, not audisp-ecs, is
# expected to be the limit here: compare with bench/elasticsearch.sh,
# which measures the output against a test server that costs little.
#
# Environment:
#   BENCH_CORPUS  corpus, .zst or plain text
#                 (default: <repo>/../shared/corpus/bench.log.zst)
#   BENCH_BYTES   bytes of corpus to replay, cut at a line boundary (20000000)
#   RUNS          runs per configuration; the median is reported (3)
#   AUDISP_ECS    audisp-ecs binary (default: <repo>/audisp-ecs)
#   AUDISP_ECS_TEST_CACHE  where the node is fetched and built
#                 (default: <repo>/tests/.cache, shared with the tests)
#   KEEP=1        keep the temp dir
#
# Needs: bash >= 5, GNU time (/usr/bin/time), python3, curl, zstd (for
# .zst), Java 17+ and Maven (the first run downloads OpenSearch).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
CORPUS=${BENCH_CORPUS:-$here/../../shared/corpus/bench.log.zst}
BYTES=${BENCH_BYTES:-20000000}
RUNS=${RUNS:-3}
AUDISP_ECS=${AUDISP_ECS:-$repo/audisp-ecs}
CACHE=${AUDISP_ECS_TEST_CACHE:-$repo/tests/.cache}/opensearch
INDEX=logs-audisp_ecs-default

die() { echo "opensearch.sh: $*" >&2; exit 1; }
. "$here/lib.sh"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[ -r "$CORPUS" ] || die "corpus not found: $CORPUS (set BENCH_CORPUS)"
[ -x "$AUDISP_ECS" ] || die "audisp-ecs not built: $AUDISP_ECS"
[ -x /usr/bin/time ] || die "missing /usr/bin/time (apt-get install time)"
command -v curl >/dev/null || die "missing curl"
command -v java >/dev/null && command -v mvn >/dev/null || die "missing java or mvn"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-osbench.XXXXXX")
node_pid=
cleanup() {
	exec 4>&- 2>/dev/null || true
	[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

input=$tmp/input.log
bench_input "$CORPUS" "$BYTES" "$input"

sh "$repo/tests/opensearch/build-node.sh" "$CACHE" >"$tmp/build.log" 2>&1 ||
	die "the node could not be built: $(tail -n 5 "$tmp/build.log")"
mkfifo "$tmp/node.fifo"
java -Xms1g -Xmx1g -Djava.awt.headless=true \
	-cp "$CACHE/classes:$(cat "$CACHE/classpath")" audispecs.engine.SingleNode \
	"$tmp/node" "$tmp/node.port" <"$tmp/node.fifo" >"$tmp/node.stdout" 2>"$tmp/node.log" &
node_pid=$!
exec 4>"$tmp/node.fifo"
for ((i = 0; i < 900; i++)); do
	[ -s "$tmp/node.port" ] && break
	kill -0 "$node_pid" 2>/dev/null || break
	sleep 0.1
done
[ -s "$tmp/node.port" ] || die "the node did not start: $(tail -n 5 "$tmp/node.log")"
port=$(cat "$tmp/node.port")
url=http://127.0.0.1:$port

for level in 0 1; do
	cat >"$tmp/os$level.conf" <<EOF
output: { elasticsearch: { hosts = ["127.0.0.1:$port"]; compression_level = $level; }; };
path: { data = "$tmp/data"; };
logging: { metrics: { period = "0"; }; };
EOF
done
cat >"$tmp/file.conf" <<EOF
output: { file: { path = "$tmp/fileout/events.json"; rotate_every_kb = 1048576; }; };
path: { data = "$tmp/data"; };
logging: { metrics: { period = "0"; }; };
EOF
"$AUDISP_ECS" setup -c "$tmp/os1.conf" >"$tmp/setup.log" 2>&1 ||
	die "setup failed: $(tail -n 3 "$tmp/setup.log")"

# node_cpu: the node's CPU seconds so far (user + system).
node_cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' \
		"/proc/$node_pid/stat"
}

# node_count: the documents in the data stream, after a refresh.
node_count() {
	curl -sS -X POST "$url/$INDEX/_refresh" >/dev/null
	curl -sS "$url/$INDEX/_count" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("count", 0))'
}

# measure NAME CONF: one replay from an empty spool and, into the node,
# an empty data stream; appends "wall user sys rss" to NAME.times and
# "docs cpu" to NAME.server.
measure() {
	local name=$1 conf=$2 t0 t1 c0 c1 docs=0
	rm -rf "$tmp/data" "$tmp/fileout"
	if [ "$name" != file-output ]; then
		# Made again before the clock starts: making an index takes the
		# node seconds, which would swamp the indexing of a small input.
		curl -sS -o /dev/null -X DELETE "$url/_data_stream/$INDEX"
		curl -sS -o /dev/null -X PUT "$url/_data_stream/$INDEX"
		curl -sS -o /dev/null "$url/_cluster/health/$INDEX?wait_for_status=yellow&timeout=60s"
	fi
	c0=$(node_cpu)
	t0=$EPOCHREALTIME
	/usr/bin/time -o "$tmp/rusage" -f '%U %S %M' "$AUDISP_ECS" replay -c "$conf" "$input" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" || die "$name failed: $(tail -n 3 "$tmp/$name.err")"
	t1=$EPOCHREALTIME
	c1=$(node_cpu)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$tmp/rusage")" \
		>>"$tmp/$name.times"
	if [ "$name" = file-output ]; then
		cat "$tmp"/fileout/events.json* | wc -l >"$tmp/docs"
	else
		docs=$(node_count)
	fi
	echo "$docs $c0 $c1" | awk '{ printf "%d %.3f\n", $1, $3 - $2 }' >>"$tmp/$name.server"
}

for ((r = 1; r <= RUNS; r++)); do
	measure file-output "$tmp/file.conf"
	measure os-gzip0 "$tmp/os0.conf"
	measure os-gzip1 "$tmp/os1.conf"
done
docs=$(cat "$tmp/docs")

echo "audisp-ecs into a real OpenSearch node"
echo
echo "machine:  $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "input:    first $(wc -c <"$input") bytes of $(basename "$CORPUS"), $docs documents"
echo "engine:   $(curl -sS "$url/" | python3 -c 'import json, sys; v = json.load(sys.stdin)["version"]; print("OpenSearch", v["number"])'), one node, 1 GB heap, loopback"
echo "runs:     $RUNS per configuration, median; output.elasticsearch defaults"
echo
PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1 python3 - "$tmp" "$docs" <<'EOF' || exit 2
import sys
from report import outputs_table
tmp, docs = sys.argv[1], int(sys.argv[2])
outputs_table(tmp, docs, (("file-output", "file"), ("os-gzip0", "opensearch, no gzip"),
                          ("os-gzip1", "opensearch, gzip 1")),
              "docs", "indexed %s documents", 22, 12)
EOF
