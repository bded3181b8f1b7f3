#!/bin/bash
# Elasticsearch output benchmark: the same replay into the file output and
# into the Elasticsearch output (gzip off and level 1), in one run.
#
# Replays the first BENCH_BYTES (default 100 MB) of the audit corpus with
# "audisp-ecs replay -c CONF" RUNS times per configuration, round-robin,
# into tests/peers/es_server.py on loopback (emptied before each run), and
# prints documents/s, the CPU seconds of audisp-ecs, the ratio to the file
# output's CPU, and the server's own CPU.  Then the server alone is loaded
# by tests/peers/es_load.py, to show what it takes without audisp-ecs (so
# that it is not the bottleneck being measured).
#
# Environment:
#   BENCH_CORPUS  corpus, .zst or plain text
#                 (default: <repo>/../shared/corpus/bench.log.zst)
#   BENCH_BYTES   bytes of corpus to replay, cut at a line boundary (100000000)
#   RUNS          runs per configuration; the median is reported (3)
#   AUDISP_ECS    audisp-ecs binary (default: <repo>/audisp-ecs)
#   KEEP=1        keep the temp dir
#
# Needs: bash >= 5, GNU time (/usr/bin/time), python3, curl, zstd (for .zst).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
CORPUS=${BENCH_CORPUS:-$here/../../shared/corpus/bench.log.zst}
BYTES=${BENCH_BYTES:-100000000}
RUNS=${RUNS:-3}
AUDISP_ECS=${AUDISP_ECS:-$repo/audisp-ecs}
SERVER=$repo/tests/peers/es_server.py
LOAD=$repo/tests/peers/es_load.py

die() { echo "elasticsearch.sh: $*" >&2; exit 1; }
. "$here/lib.sh"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[ -r "$CORPUS" ] || die "corpus not found: $CORPUS (set BENCH_CORPUS)"
[ -x "$AUDISP_ECS" ] || die "audisp-ecs not built: $AUDISP_ECS"
[ -x /usr/bin/time ] || die "missing /usr/bin/time (apt-get install time)"
command -v curl >/dev/null || die "missing curl"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-esbench.XXXXXX")
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# The input: the first BYTES of the corpus, cut after a whole line.
input=$tmp/input.log
bench_input "$CORPUS" "$BYTES" "$input"

python3 "$SERVER" --listen 127.0.0.1:0 --data-stream-prefix logs- -q \
	>"$tmp/server.stdout" 2>"$tmp/server.log" &
server_pid=$!
port=$(bench_listening "$tmp/server.stdout")
[ -n "$port" ] || die "the test server did not start: $(tail -n 3 "$tmp/server.log")"
url=http://127.0.0.1:$port

# server_counters: "DOCUMENTS CPU_SECONDS" of the server so far.
server_counters() {
	curl -sS "$url/_test/stats" | python3 -c 'import json, sys
d = json.load(sys.stdin); print(d["created"], d["cpu_seconds"])'
}

for level in 0 1; do
	cat >"$tmp/es$level.conf" <<EOF
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

# measure NAME CONF: one replay from an empty spool and an empty server;
# appends "wall user sys rss" to NAME.times, "docs cpu" to NAME.server.
measure() {
	local name=$1 conf=$2 t0 t1 before after
	rm -rf "$tmp/data" "$tmp/fileout"
	curl -sS -X POST "$url/_test/reset" >/dev/null
	before=$(server_counters)
	t0=$EPOCHREALTIME
	/usr/bin/time -o "$tmp/rusage" -f '%U %S %M' "$AUDISP_ECS" replay -c "$conf" "$input" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" || die "$name failed: $(tail -n 3 "$tmp/$name.err")"
	t1=$EPOCHREALTIME
	after=$(server_counters)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$tmp/rusage")" \
		>>"$tmp/$name.times"
	echo "$before $after" | awk '{ printf "%d %.3f\n", $3 - $1, $4 - $2 }' >>"$tmp/$name.server"
	if [ "$name" = file-output ]; then
		cat "$tmp"/fileout/events.json* | wc -l >"$tmp/docs"
	fi
}

for ((r = 1; r <= RUNS; r++)); do
	measure file-output "$tmp/file.conf"
	measure es-gzip0 "$tmp/es0.conf"
	measure es-gzip1 "$tmp/es1.conf"
done
docs=$(cat "$tmp/docs")

# The server alone: 1 KB documents, 1000 per request, bodies built once.
for level in 0 1; do
	gz=()
	[ "$level" = 0 ] || gz=(--gzip "$level")
	python3 "$LOAD" --url "$url" --requests 100 --docs 1000 --ids none "${gz[@]}" --json \
		>"$tmp/load$level.json" 2>"$tmp/load$level.err" || die "es_load.py failed: $(tail -n 3 "$tmp/load$level.err")"
done

echo "audisp-ecs Elasticsearch output benchmark"
echo
echo "machine:  $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "input:    first $(wc -c <"$input") bytes of $(basename "$CORPUS"), $docs documents"
echo "runs:     $RUNS per configuration, median; output.elasticsearch defaults"
echo "          (bulk_max_size 1600, worker 1) into tests/peers/es_server.py on loopback"
echo
PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1 python3 - "$tmp" "$docs" <<'EOF' || exit 2
import json, sys
from report import outputs_table
tmp, docs = sys.argv[1], int(sys.argv[2])
rows = outputs_table(tmp, docs, (("file-output", "file"), ("es-gzip0", "elasticsearch, no gzip"),
                                 ("es-gzip1", "elasticsearch, gzip 1")),
                     "docs", "stored %s documents", 22, 12)
fcpu = rows["file-output"][1]
print()
for level in (0, 1):
    d = json.load(open(f"{tmp}/load{level}.json"))
    print("server alone, %s: %.0f docs/s (es_load.py, 1000 x 1 KB per request)"
          % ("gzip 1" if level else "no gzip", d["docs_per_s"]))
eps, ratio = rows["es-gzip1"][3], rows["es-gzip1"][1] / fcpu
print()
print("target: >= 40,000 docs/s (gzip 1):        %s (%.0f docs/s)" % ("met" if eps >= 40000 else "NOT met", eps))
print("target: CPU(es gzip 1) <= 1.5 x CPU(file): %s (%.2f x)" % ("met" if ratio <= 1.5 else "NOT met", ratio))
EOF
