#!/bin/bash
# Instruction counts: audisp-ecs replay vs Laurel on the same input.
#
# Wall time on a shared or noisy machine moves from run to run; the number
# of instructions a program executes does not.  This runs each tool once
# under valgrind's callgrind (all threads counted) on the first
# BENCH_BYTES of the benchmark corpus, the same input bench/replay.sh
# uses, and prints both counts and their ratio.  Each tool is also run on
# the first few records only, so the cost of starting up (dynamic
# linking, reading the configuration) can be told from the cost per event.
#
# Environment:
#   BENCH_CORPUS  corpus, .zst or plain text
#                 (default: <repo>/../shared/corpus/bench.log.zst)
#   BENCH_BYTES   bytes of corpus to replay, cut at a line boundary (20000000)
#   AUDISP_ECS    audisp-ecs binary (default: <repo>/audisp-ecs)
#   LAUREL        laurel binary (default: laurel in PATH, else /usr/sbin/laurel)
#   KEEP=1        keep the temp dir (input, callgrind.out files) for
#                 callgrind_annotate
#
# Needs: bash, valgrind, zstd (for .zst), laurel.  Installs nothing.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

CORPUS=${BENCH_CORPUS:-$here/../../shared/corpus/bench.log.zst}
BYTES=${BENCH_BYTES:-20000000}
AUDISP_ECS=${AUDISP_ECS:-$repo/audisp-ecs}
LAUREL=${LAUREL:-$(command -v laurel || echo /usr/sbin/laurel)}
# Records of the start-up run: enough for every tool to write something.
STARTUP_LINES=20

die() { echo "callgrind.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing tool: $1 ($2)"; }
. "$here/lib.sh"

[[ $BYTES =~ ^[1-9][0-9]*$ ]] || die "BENCH_BYTES must be a positive integer"
[ -r "$CORPUS" ] || die "corpus not found: $CORPUS (set BENCH_CORPUS)"
need valgrind "apt-get install valgrind"
case $CORPUS in *.zst) need zstd "apt-get install zstd" ;; esac
[ -x "$AUDISP_ECS" ] || die "audisp-ecs not found or not executable: $AUDISP_ECS (build it, or set AUDISP_ECS)"
[ -x "$LAUREL" ] || die "laurel not found: $LAUREL (apt-get install laurel, or set LAUREL)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-callgrind.XXXXXX")
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "callgrind.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

input=$tmp/input.log
bench_input "$CORPUS" "$BYTES" "$input"
head -n "$STARTUP_LINES" "$input" >"$tmp/startup.log"
bench_laurel_conf "$tmp/laurel" "$tmp/laurel.toml"

# instructions NAME INPUT CMD...: runs CMD under callgrind with INPUT as
# its standard input; prints the total instruction count (all threads).
instructions() {
	local name=$1 in=$2 out
	shift 2
	out=$tmp/callgrind.$name
	valgrind --tool=callgrind --callgrind-out-file="$out" "$@" \
		<"$in" >"$tmp/$name.stdout" 2>"$tmp/$name.valgrind" ||
		{ tail -n 20 "$tmp/$name.valgrind" >&2; die "$name failed under valgrind"; }
	sed -n 's/^summary: *\([0-9][0-9]*\).*/\1/p' "$out" | head -n 1
}

# Laurel appends to its log: each run starts from an empty directory.
laurel_run() {
	rm -f "$tmp/laurel/"*
	instructions "$1" "$2" "$LAUREL" -c "$tmp/laurel.toml"
}

ecs=$(instructions audisp-ecs /dev/null "$AUDISP_ECS" replay "$input")
ecs_docs=$(wc -l <"$tmp/audisp-ecs.stdout")
laurel=$(laurel_run laurel "$input")
laurel_docs=$(wc -l <"$tmp/laurel/audit.log")
ecs0=$(instructions audisp-ecs-startup /dev/null "$AUDISP_ECS" replay "$tmp/startup.log")
laurel0=$(laurel_run laurel-startup "$tmp/startup.log")
[ -n "$ecs" ] && [ -n "$laurel" ] && [ -n "$ecs0" ] && [ -n "$laurel0" ] ||
	die "no instruction count in a callgrind output"
[ "$ecs_docs" -gt 0 ] || die "audisp-ecs wrote no documents"

echo "corpus:   $(basename "$CORPUS"), first $(wc -c <"$input") bytes, $(wc -l <"$input") lines"
echo "versions: $("$AUDISP_ECS" -V </dev/null 2>/dev/null | head -n 1 || echo 'audisp-ecs ?')" \
	"(git $(git -C "$repo" describe --always --dirty 2>/dev/null || echo 'no commit')), laurel $("$LAUREL" --version 2>/dev/null | head -n 1)"
echo "output:   audisp-ecs $ecs_docs documents, laurel $laurel_docs lines"
echo
awk -v e="$ecs" -v l="$laurel" -v e0="$ecs0" -v l0="$laurel0" -v n="$STARTUP_LINES" 'BEGIN {
	printf "%-12s %16s %16s %16s\n", "tool", "instructions", "start-up", "per input"
	printf "%-12s %16.0f %16.0f %16.0f\n", "audisp-ecs", e, e0, e - e0
	printf "%-12s %16.0f %16.0f %16.0f\n", "laurel", l, l0, l - l0
	printf "\n"
	printf "audisp-ecs / laurel, all instructions:      %.3f (laurel %.2fx)\n", e / l, l / e
	printf "audisp-ecs / laurel, start-up left out:     %.3f (laurel %.2fx)\n", (e - e0) / (l - l0), (l - l0) / (e - e0)
	printf "(start-up: a replay of the first %d records)\n", n
}'
