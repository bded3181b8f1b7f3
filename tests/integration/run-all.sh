#!/bin/bash
# Run every integration test (or the ones named) one after another and print a
# summary.  Needs root and a machine where no other audit daemon is running.
#   tests/integration/run-all.sh                 # all
#   tests/integration/run-all.sh exec-args no-loss
# Each test's output goes to $ITEST_LOGDIR (default: a temp dir), printed on failure.
here=$(cd "$(dirname "$0")" && pwd)
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=(exec-args denied-open eoe-latency clean-exit sighup-reload no-loss)
fi
logdir=${ITEST_LOGDIR:-$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-itest-logs.XXXXXX")}
mkdir -p "$logdir"
pass=0 fail=0 skip=0 err=0
for t in "${tests[@]}"; do
    t=${t%.sh}
    start=$(date +%s)
    "$here/$t.sh" >"$logdir/$t.log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    case $rc in
        0)  res=PASS;  pass=$((pass + 1)) ;;
        77) res=SKIP;  skip=$((skip + 1)) ;;
        1)  res=FAIL;  fail=$((fail + 1)) ;;
        *)  res="ERROR($rc)"; err=$((err + 1)) ;;
    esac
    printf '%-10s %-14s %4ss\n' "$res" "$t" "$secs"
    if [ "$rc" != 0 ]; then
        sed 's/^/    | /' "$logdir/$t.log"
    fi
done
echo "pass $pass, fail $fail, skip $skip, error $err (logs in $logdir)"
[ $((fail + err)) -eq 0 ]
