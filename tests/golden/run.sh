#!/bin/sh
# Golden test: the documents for tests/corpus/diverse.log (records captured
# from a real kernel) must equal tests/golden/diverse.expected.ndjson, one
# document per audit event (timestamp:serial).
#   run.sh               compare (the test)
#   run.sh --regenerate  rewrite the expected file; review it with git diff
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
corpus=$srcdir/tests/corpus/diverse.log
expected=$srcdir/tests/golden/diverse.expected.ndjson
out=$(mktemp) || exit 99
trap 'rm -f "$out" "$out.raw"' EXIT

"$bin" replay "$corpus" > "$out.raw" || { echo "FAIL: replay exited $?"; exit 1; }
python3 "$srcdir/tests/golden/normalize.py" < "$out.raw" > "$out" || exit 1

events=$(grep -o 'msg=audit([0-9.:]*)' "$corpus" | sort -u | wc -l)
docs=$(wc -l < "$out")
if [ "$docs" -ne "$events" ]; then
	echo "FAIL: $docs documents for $events audit events"
	exit 1
fi

if [ "${1:-}" = "--regenerate" ]; then
	cp "$out" "$expected"
	echo "rewrote $expected ($docs documents); review with git diff"
	exit 0
fi
if ! cmp -s "$out" "$expected"; then
	echo "FAIL: documents differ from $expected:"
	diff -u "$expected" "$out" | head -40
	echo "(if the change is intended: tests/golden/run.sh --regenerate, then review git diff)"
	exit 1
fi
echo "PASS: $docs documents for $events events match $expected"
