#!/bin/sh
# SIGTERM interrupts fim-scan: a slow first scan (fim.scan_rate_per_sec)
# stops within a second or two, exits 1 saying so, and the next fim-scan
# completes, reporting the files the first did not reach as initial
# state (the first scan of the tree is not over until one completes),
# and no file twice.
. "$(dirname "$0")/lib.sh"
fim_init
fim_config "paths = [\"$T/tree\"]; recursive = true; hash_workers = 1;"
sed 's/scan_rate_per_sec = "unlimited"/scan_rate_per_sec = "4 MiB"/' "$T/conf" > "$T/slow.conf"
i=0
while [ $i -lt 30 ]; do head -c 1048576 /dev/zero > "$T/tree/f$i"; i=$((i + 1)); done
"$bin" fim-scan -c "$T/slow.conf" 2> "$T/scan.log" &
pid=$!
sleep 1.5
t0=$(date +%s%N)
kill -TERM $pid
wait $pid
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc = 1 ] || fim_fail "interrupted fim-scan exited $rc, not 1"
[ $ms -lt 2500 ] || fim_fail "fim-scan took $ms ms to stop"
grep -q "scan interrupted" "$T/scan.log" || { cat "$T/scan.log"; fim_fail "no \"scan interrupted\" message"; }
grep -q "did not finish in time" "$T/scan.log" && fim_fail "a stop that timed out"
first=$(fim_count "act(d) == ['initial_scan'] and '/tree/f' in path(d)")
[ "$first" -lt 30 ] || fim_fail "all 30 files scanned before the signal: the test is too fast"
timeout 20 "$bin" fim-scan -c "$T/conf" 2> "$T/scan2.log" || { cat "$T/scan2.log"; fim_fail "the next fim-scan exited $?"; }
n=$(fim_count "act(d) == ['initial_scan'] and '/tree/f' in path(d)")
[ "$n" = 30 ] || fim_fail "$first + next scan: $n initial_scan documents of files, not 30"
[ "$(fim_count "act(d) != ['initial_scan']")" = 0 ] || fim_fail "a file reported other than as initial state"
: > $T/out.json
timeout 20 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "third fim-scan exited $?"
[ "$(fim_count True)" = 0 ] || fim_fail "nothing changed, yet $(fim_count True) documents"
fim_pass "stopped in $ms ms after $first of 30 files"
