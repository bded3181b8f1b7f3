#!/bin/bash
# Throughput benchmark: audisp-ecs vs Laurel vs a bare libauparse loop.
#
# Replays the first BENCH_BYTES (default 100 MB) of the audit corpus
# through each tool RUNS times and prints a plain-text table (wall time,
# CPU time, peak RSS, events/s) that can be pasted into a README.
#
# Environment:
#   BENCH_CORPUS  corpus, .zst or plain text
#                 (default: <repo>/../shared/corpus/bench.log.zst)
#   BENCH_BYTES   bytes of corpus to replay, cut at a line boundary (100000000)
#   RUNS          measurements per tool; the median is reported (3)
#   AUDISP_ECS    audisp-ecs binary (default: <repo>/audisp-ecs)
#   LAUREL        laurel binary (default: laurel in PATH, else /usr/sbin/laurel)
#   AUPARSE_LOOP  auparse-loop binary (default: <repo>/bench/auparse-loop,
#                 compiled into the temp dir from auparse-loop.c if absent)
#   KEEP=1        keep the temp dir (input, outputs, logs) for inspection
#   LOGSTASH_BENCH=0  skip the Logstash output section (on by default: it
#                 adds about 3 s per run).  That section replays the same
#                 input with the Logstash output (Lumberjack v2 over
#                 loopback, zlib level 0 and 3) into
#                 tests/peers/lumberjack_server.py --count-only, and with
#                 an output.file config, and reports events/s and the CPU
#                 seconds of audisp-ecs for each, the ratio
#                 CPU(logstash)/CPU(file), the server's own CPU, and what
#                 the server takes alone (tests/peers/lumberjack_client.py)
#                 to show it is not the bottleneck.
#
# Needs: bash >= 5, GNU time (/usr/bin/time), python3, zstd (for .zst),
# laurel, and cc + pkg-config + libauparse-dev only if auparse-loop is not
# built. Installs nothing.
set -euo pipefail
export LC_ALL=C # "." as decimal point in EPOCHREALTIME and printf

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

CORPUS=${BENCH_CORPUS:-$here/../../shared/corpus/bench.log.zst}
BYTES=${BENCH_BYTES:-100000000}
RUNS=${RUNS:-3}
AUDISP_ECS=${AUDISP_ECS:-$repo/audisp-ecs}
LAUREL=${LAUREL:-$(command -v laurel || echo /usr/sbin/laurel)}
AUPARSE_LOOP=${AUPARSE_LOOP:-$here/auparse-loop}

die() { echo "replay.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing tool: $1 ($2)"; }
. "$here/lib.sh"

# ---- preflight: fail before doing any work if something is missing ----
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $BYTES =~ ^[1-9][0-9]*$ ]] || die "BENCH_BYTES must be a positive integer"
[ -r "$CORPUS" ] || die "corpus not found: $CORPUS (set BENCH_CORPUS)"
need python3 "apt-get install python3"
[ -x /usr/bin/time ] || die "missing tool: /usr/bin/time (apt-get install time)"
[ -n "${EPOCHREALTIME:-}" ] || die "bash >= 5 needed (EPOCHREALTIME)"
case $CORPUS in *.zst) need zstd "apt-get install zstd" ;; esac
[ -x "$AUDISP_ECS" ] || die "audisp-ecs not found or not executable: $AUDISP_ECS (build it, or set AUDISP_ECS)"
[ -x "$LAUREL" ] || die "laurel not found: $LAUREL (apt-get install laurel, or set LAUREL)"
LOGSTASH_BENCH=${LOGSTASH_BENCH:-1}
LJ_SERVER=$repo/tests/peers/lumberjack_server.py
LJ_CLIENT=$repo/tests/peers/lumberjack_client.py
if [ "$LOGSTASH_BENCH" != 0 ]; then
	[ -r "$LJ_SERVER" ] || die "test server not found: $LJ_SERVER (or set LOGSTASH_BENCH=0)"
	[ -r "$LJ_CLIENT" ] || die "test client not found: $LJ_CLIENT (or set LOGSTASH_BENCH=0)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-bench.XXXXXX")
lj_pid=
cleanup() {
	if [ -n "$lj_pid" ]; then
		kill "$lj_pid" 2>/dev/null || true
		wait "$lj_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "replay.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

# The Makefile builds bench/auparse-loop; fall back to compiling it here
# so the script also works from a tree where only audisp-ecs was built.
if [ ! -x "$AUPARSE_LOOP" ]; then
	need cc "apt-get install gcc"
	need pkg-config "apt-get install pkg-config"
	pkg-config --exists auparse || die "libauparse not found by pkg-config (apt-get install libauparse-dev)"
	AUPARSE_LOOP=$tmp/auparse-loop
	# shellcheck disable=SC2046  # pkg-config output must be word-split
	cc -O2 -std=c11 -Wall -Wextra -o "$AUPARSE_LOOP" "$here/auparse-loop.c" \
		$(pkg-config --cflags --libs auparse) || die "cannot compile auparse-loop.c"
fi

# ---- input: decompress once, to disk, so decompression is not timed ----
input=$tmp/input.log
bench_input "$CORPUS" "$BYTES" "$input"
in_bytes=$(wc -c <"$input")
in_lines=$(wc -l <"$input")

# ---- laurel config (bench/lib.sh) ----
bench_laurel_conf "$tmp/laurel" "$tmp/laurel.toml"
"$LAUREL" --dry-run -c "$tmp/laurel.toml" >/dev/null 2>"$tmp/laurel.dry" ||
	{ cat "$tmp/laurel.dry" >&2; die "laurel rejects its config"; }

# ---- measurement helper ----
# measure NAME STDIN STDOUT CMD...: one run; appends
# "wall user sys maxrss_kb" to $tmp/NAME.times.
# CPU and peak RSS come from GNU time, a small C program: a python
# wrapper would not do, because the kernel folds the RSS of the process
# that forks the child into the child's ru_maxrss (about 13 MB for
# python, about 1 MB for time). GNU time prints wall time in 10 ms steps
# only, so wall time is taken from bash's microsecond clock instead.
measure() {
	local name=$1 in=$2 out=$3 t0 t1 rc=0
	shift 3
	t0=$EPOCHREALTIME
	/usr/bin/time -o "$tmp/rusage" -f '%U %S %M' "$@" <"$in" >"$out" 2>"$tmp/$name.err" || rc=$?
	t1=$EPOCHREALTIME
	if [ "$rc" != 0 ]; then
		echo "--- stderr of $name:" >&2
		tail -n 20 "$tmp/$name.err" >&2
		die "$name run failed with status $rc: $*"
	fi
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$tmp/rusage")" \
		>>"$tmp/$name.times"
}

ecs_out=$tmp/ecs.ndjson
laurel_out=$tmp/laurel/audit.log

# ---- Logstash output: the test server, counting only, and the configs ----
# lj_counters: "EVENTS CPU_SECONDS" of the server so far (SIGUSR1 makes it
# rewrite its stats file).
lj_counters() {
	local i
	rm -f "$tmp/lj.stats"
	kill -USR1 "$lj_pid"
	for ((i = 0; i < 100; i++)); do
		[ -s "$tmp/lj.stats" ] && break
		sleep 0.05
	done
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["events"], d["cpu_seconds"])' \
		"$tmp/lj.stats" || die "no stats from the test server"
}
# measure_ls NAME CONF: one replay to the Logstash output from an empty
# spool; appends "events cpu" of the server during the run to NAME.server.
measure_ls() {
	local name=$1 conf=$2 before after
	rm -rf "$tmp/ls-data"
	before=$(lj_counters)
	measure "$name" /dev/null /dev/null "$AUDISP_ECS" replay -c "$conf" "$input"
	after=$(lj_counters)
	echo "$before $after" | awk '{ printf "%d %.3f\n", $3 - $1, $4 - $2 }' >>"$tmp/$name.server"
}
if [ "$LOGSTASH_BENCH" != 0 ]; then
	python3 "$LJ_SERVER" --listen 127.0.0.1:0 --count-only --stats "$tmp/lj.stats" -q \
		>"$tmp/lj.stdout" 2>"$tmp/lj.log" &
	lj_pid=$!
	lj_port=$(bench_listening "$tmp/lj.stdout")
	[ -n "$lj_port" ] || die "the test server did not start: $(tail -n 3 "$tmp/lj.log")"
	for level in 0 3; do
		cat >"$tmp/ls$level.conf" <<EOF
output: { logstash: { hosts = ["127.0.0.1:$lj_port"]; compression_level = $level; }; };
path: { data = "$tmp/ls-data"; };
logging: { metrics: { period = "0"; }; };
EOF
	done
	# The file output with its defaults (rotation every 10 MiB, 7 files).
	cat >"$tmp/file.conf" <<EOF
output: { file: { path = "$tmp/fileout/events.json"; }; };
path: { data = "$tmp/file-data"; };
logging: { metrics: { period = "0"; }; };
EOF
fi

# Round-robin over the tools so slow drift (thermal, noisy neighbours)
# is spread over all of them instead of hitting one tool's runs.
for ((r = 1; r <= RUNS; r++)); do
	rm -f "$ecs_out"
	measure audisp-ecs /dev/null "$ecs_out" "$AUDISP_ECS" replay "$input"

	# laurel appends to its log: start each run from an empty directory.
	rm -f "$tmp/laurel/"*
	measure laurel "$input" /dev/null "$LAUREL" -c "$tmp/laurel.toml"

	measure auparse-loop /dev/null /dev/null "$AUPARSE_LOOP" "$input"

	if [ "$LOGSTASH_BENCH" != 0 ]; then
		rm -rf "$tmp/fileout" "$tmp/file-data"
		measure file-output /dev/null /dev/null "$AUDISP_ECS" replay -c "$tmp/file.conf" "$input"
		measure_ls logstash-zlib0 "$tmp/ls0.conf"
		measure_ls logstash-zlib3 "$tmp/ls3.conf"
	fi
done

# ---- counts and sanity checks (from the last run of each tool) ----
ecs_docs=$(wc -l <"$ecs_out")
[ -s "$laurel_out" ] || die "laurel wrote nothing to $laurel_out (stderr: $(tail -n 3 "$tmp/laurel.err"))"
laurel_docs=$(wc -l <"$laurel_out")
loop_events=$(sed -n 's/^auparse-loop: \([0-9][0-9]*\) events.*/\1/p' "$tmp/auparse-loop.err" | tail -n 1)
[ -n "$loop_events" ] || die "auparse-loop printed no event count"
[ "$ecs_docs" -gt 0 ] || die "audisp-ecs wrote no documents"

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "audisp-ecs replay benchmark"
echo
echo "machine:  $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, Linux $(uname -r)"
echo "corpus:   $(basename "$CORPUS"), first $in_bytes bytes, $in_lines lines"
echo "events:   $ecs_docs (audisp-ecs output documents; used for all events/s)"
echo "versions: $("$AUDISP_ECS" -V </dev/null 2>/dev/null | head -n 1 || echo 'audisp-ecs ?')" \
	"(git $(git -C "$repo" describe --always --dirty 2>/dev/null || echo 'no commit'))," \
	"laurel $("$LAUREL" --version 2>/dev/null | head -n 1), libauparse $(pkg-config --modversion auparse 2>/dev/null || echo '?')"
echo "runs:     $RUNS per tool, median of each column"
echo

# Median per column; events/s and the ratios use the median wall time.
PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1 python3 - "$tmp" "$ecs_docs" <<'EOF'
import sys
from report import times
tmp, events = sys.argv[1], int(sys.argv[2])
rows = {name: times(tmp, name, events) for name in ("audisp-ecs", "laurel", "auparse-loop")}
print("%-13s %9s %9s %13s %12s" % ("tool", "wall s", "CPU s", "peak RSS MiB", "events/s"))
for name, (wall, cpu, rss, eps) in rows.items():
    print("%-13s %9.3f %9.3f %13.1f %12.0f" % (name, wall, cpu, rss, eps))
print()
print("audisp-ecs events/s / laurel events/s:  %.2f" % (rows["audisp-ecs"][3] / rows["laurel"][3]))
print("audisp-ecs wall / auparse-loop wall:    %.2f" % (rows["audisp-ecs"][0] / rows["auparse-loop"][0]))
EOF

if [ "$LOGSTASH_BENCH" != 0 ]; then
	# The server alone: the same documents, sent by the Python client as
	# libbeat frames them, windows built once and sent again
	# (--precompress), so the client costs next to nothing.
	head -n 20000 "$ecs_out" >"$tmp/docs.ndjson"
	for level in 0 3; do
		before=$(lj_counters)
		python3 "$LJ_CLIENT" send --connect "127.0.0.1:$lj_port" --docs "$tmp/docs.ndjson" \
			--events "$ecs_docs" --window 2048 --compress "$level" --precompress --json \
			>"$tmp/client$level.json" 2>"$tmp/client$level.err" ||
			die "lumberjack_client.py failed: $(tail -n 3 "$tmp/client$level.err")"
		after=$(lj_counters)
		echo "$before $after" | awk '{ printf "%d %.3f\n", $3 - $1, $4 - $2 }' >"$tmp/client$level.server"
	done
	echo
	echo "Logstash output: the same input, audisp-ecs replay -c CONF; Lumberjack v2 over"
	echo "loopback into tests/peers/lumberjack_server.py --count-only (defaults: windows"
	echo "of 2048, pipelining 2, spool in the temp dir); file output with its defaults"
	echo
	PYTHONPATH=$here PYTHONDONTWRITEBYTECODE=1 python3 - "$tmp" "$ecs_docs" <<'EOF' || exit 2
import json, sys
from report import outputs_table
tmp, events = sys.argv[1], int(sys.argv[2])
rows = outputs_table(tmp, events, (("file-output", "file"), ("logstash-zlib0", "logstash, zlib 0"),
                                   ("logstash-zlib3", "logstash, zlib 3")),
                     "events", "acknowledged %s events", 24, 11)
fcpu = rows["file-output"][1]
print()
for level in (0, 3):
    c = json.load(open("%s/client%d.json" % (tmp, level)))
    ev, cpu = open("%s/client%d.server" % (tmp, level)).read().split()
    print("server alone, zlib %d: %.0f events/s (%s events from lumberjack_client.py "
          "--precompress, server CPU %s s)" % (level, c["events_per_second"], ev, cpu))
eps3, ratio3 = rows["logstash-zlib3"][3], rows["logstash-zlib3"][1] / fcpu
print()
print("target: >= 50,000 events/s with zlib 3:    %s (%.0f events/s)"
      % ("met" if eps3 >= 50000 else "NOT met", eps3))
print("target: CPU(logstash zlib 3) <= 1.5 x CPU(file): %s (%.2f x)"
      % ("met" if ratio3 <= 1.5 else "NOT met", ratio3))
EOF
fi

echo
# The reference count: distinct audit event IDs (msg=audit(time:serial)).
# audisp-ecs writes one document per ID; auparse alone may split one ID into
# two events (a LOGIN record before its SYSCALL), Laurel writes one line per ID.
ids=$(grep -o 'msg=audit([0-9.:]*)' "$input" | sort -u | wc -l)
echo "documents: audisp-ecs $ecs_docs, distinct event IDs $ids, auparse-loop events $loop_events, laurel lines $laurel_docs"
if [ "$ecs_docs" != "$ids" ]; then
	echo "CHECK FAILED: audisp-ecs documents ($ecs_docs) != distinct event IDs ($ids)"
	exit 2
fi
echo "check: OK, one audisp-ecs document per audit event ID"
