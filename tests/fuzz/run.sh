#!/bin/sh
# Runs the fuzz targets built by ./configure --enable-fuzzing CC=clang &&
# make (this script builds nothing).
#
#   tests/fuzz/run.sh [--regress] [TARGET...]
#
# Without --regress, each target fuzzes for FUZZ_SECONDS (default 30),
# one process, starting from its seeds (tests/fuzz/corpus/NAME) and its
# regression inputs (tests/fuzz/regress/NAME); what it finds new is kept
# in FUZZ_WORKDIR/NAME/corpus for the next run.  With --regress, every
# seed and regression input runs once, and nothing else.  TARGET is a
# name such as "records" or "fuzz_records"; without, all that are built.
#
# Exit status 0 when no target found anything.  A finding is reported
# as "FAIL: fuzz_NAME: FILE" with the input that shows it (kept in
# FUZZ_WORKDIR/NAME/; run the target on it to see it again).  Each
# target also leaves FUZZ_WORKDIR/fuzz_NAME.trs (":test-result: PASS"
# or FAIL), as an automake test does, for CI to count.
#
# Environment: FUZZ_BUILDDIR (where the targets were built; default the
# source tree), FUZZ_WORKDIR (default FUZZ_BUILDDIR/tests/fuzz/work),
# FUZZ_SECONDS, FUZZ_ARGS (more libFuzzer options).
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${FUZZ_BUILDDIR:-$srcdir}
workdir=${FUZZ_WORKDIR:-$builddir/tests/fuzz/work}
seconds=${FUZZ_SECONDS:-30}
regress=0
if [ "${1:-}" = --regress ]; then
	regress=1
	shift
fi

# Inputs longer than this are never tried: a few events, a few answers,
# a configuration file, a few segments or store entries.
max_len() {
	case $1 in
	decoders|lumberjack_acks) echo 1024 ;;
	config) echo 4096 ;;
	records|es_responses) echo 8192 ;;
	*) echo 16384 ;;
	esac
}

# Leaks and undefined behaviour are findings too; the leaks of the
# libraries themselves are suppressed (tests/fuzz/lsan.supp).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$srcdir/tests/fuzz/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

targets=
if [ $# -gt 0 ]; then
	for t in "$@"; do
		targets="$targets fuzz_${t#fuzz_}"
	done
else
	for f in "$builddir"/tests/fuzz/fuzz_*; do
		[ -f "$f" ] && [ -x "$f" ] && targets="$targets ${f##*/}"
	done
fi
mkdir -p "$workdir" || exit 2

result() {	# target PASS|FAIL
	printf ':test-result: %s\n:global-test-result: %s\n' "$2" "$2" \
	    > "$workdir/$1.trs"
}

if [ -z "$targets" ]; then
	echo "FAIL: no fuzz targets in $builddir/tests/fuzz: build them with" \
	    "./configure --enable-fuzzing CC=clang && make"
	result fuzz_targets FAIL
	exit 2
fi

# The newest finding libFuzzer wrote for a target, if any.
finding() {
	ls -t "$1"/crash-* "$1"/leak-* "$1"/timeout-* "$1"/oom-* 2>/dev/null |
	    head -n 1
}

# Each seed and regression input once, one process each, so that a
# failure names its file.
run_regress() {
	exe=$1
	name=$2
	bad=
	for f in "$srcdir/tests/fuzz/corpus/$name"/* \
	    "$srcdir/tests/fuzz/regress/$name"/*; do
		[ -f "$f" ] || continue
		if ! "$exe" -timeout=25 "$f" >"$workdir/$name.log" 2>&1; then
			bad=$f
			break
		fi
	done
	if [ -n "$bad" ]; then
		echo "FAIL: fuzz_$name: $bad"
		tail -n 40 "$workdir/$name.log"
		return 1
	fi
	echo "PASS: fuzz_$name (regression inputs)"
}

run_fuzz() {
	exe=$1
	name=$2
	dict=
	out=$workdir/$name
	mkdir -p "$out/corpus"
	[ -f "$srcdir/tests/fuzz/$name.dict" ] &&
	    dict=-dict=$srcdir/tests/fuzz/$name.dict
	# Seeds and regression inputs are read; new inputs go to out/corpus.
	# shellcheck disable=SC2086
	"$exe" -max_total_time="$seconds" -max_len="$(max_len "$name")" \
	    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/" $dict ${FUZZ_ARGS:-} \
	    "$out/corpus" "$srcdir/tests/fuzz/corpus/$name" \
	    $([ -d "$srcdir/tests/fuzz/regress/$name" ] &&
	    echo "$srcdir/tests/fuzz/regress/$name") \
	    >"$out.log" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: fuzz_$name: $(finding "$out" || true)"
		grep -E '^(==|SUMMARY|fuzz:)' "$out.log" | head -n 20
		echo "  (log: $out.log)"
		return 1
	fi
	stats=$(sed -n 's/^#\([0-9]*\).*DONE *cov: \([0-9]*\).*exec\/s: \([0-9]*\).*/\1 runs, cov \2, \3 exec\/s/p' \
	    "$out.log" | tail -n 1)
	echo "PASS: fuzz_$name ($seconds s: $stats)"
}

failed=0
for t in $targets; do
	exe=$builddir/tests/fuzz/$t
	name=${t#fuzz_}
	if [ ! -x "$exe" ]; then
		echo "FAIL: $t: not built ($exe)"
		result "$t" FAIL
		failed=1
		continue
	fi
	if [ $regress = 1 ]; then
		run_regress "$exe" "$name"
	else
		run_fuzz "$exe" "$name"
	fi
	if [ $? -eq 0 ]; then
		result "$t" PASS
	else
		result "$t" FAIL
		failed=1
	fi
done
exit $failed
