#!/bin/bash
# Two Logstash servers.  Without loadbalance the output uses one host at a
# time (starting at a random one): when that one dies in the middle of a
# run the documents go on to the other, and a host that comes back (same
# port) is used again when the other dies.  With loadbalance and one worker
# per host both servers get documents.  In every case every document
# arrives (by event.id, against a plain replay; a window cut short by a
# dying server may legitimately arrive twice: counted).
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

# 10 copies of the corpus with distinct event ids: 6690 documents
repeat_log "$CORPUS" 10 "$T/big.log"
expected "$T/big.log" "$T/expected.json"
total=$(count_lines "$T/expected.json")
COMMON='backoff: { init = "100ms"; max = "500ms"; }; timeout = "5s";'

# union FILES...: the documents received by several servers, one file
union() { cat "$@" 2>/dev/null >"$T/union.json"; }

# ---- 1. failover: kill the host in use, then bring it back, kill the other
# Slow acks (50 ms per window of 100) keep the run going for a few seconds.
start_server A --delay-ack 0.05
start_server B --delay-ack 0.05
write_conf "$T/failover.conf" "hosts = [\"127.0.0.1:$(port_of A)\", \"127.0.0.1:$(port_of B)\"];
	loadbalance = false; bulk_max_size = 100; pipelining = 1; $COMMON"
: >"$T/replay.log"
replay_bg "$T/failover.conf" "$T/big.log"

# Which host did the output pick first?
wait_until 20 sh -c "[ \$(cat '$T/A.out' '$T/B.out' 2>/dev/null | wc -l) -ge 500 ]" ||
	{ show_log "$T/replay.log"; fail "failover: nothing arrives"; }
if [ "$(count_lines "$T/A.out")" -gt 0 ]; then first=A second=B; else first=B second=A; fi
[ "$(count_lines "$T/$second.out")" = 0 ] ||
	fail "failover: both hosts got documents without loadbalance"
first_port=$(port_of "$first")
note "failover: the output picked $first; killing it after $(count_lines "$T/$first.out") documents"
kill_server "$first"
mv "$T/$first.out" "$T/${first}1.out"

# The rest must now go to the second host.
n2=$(count_lines "$T/$second.out")
wait_until 20 lines_at_least "$T/$second.out" $((n2 + 500)) || {
	show_log "$T/replay.log"; fail "failover: $second got nothing after $first died"; }
note "failover: $second took over ($(count_lines "$T/$second.out") documents so far)"

# Bring the first host back on the same port, then kill the second one:
# the output must go back to the first.
start_server "${first}2" --port "$first_port" --delay-ack 0.05
kill_server "$second"
mv "$T/$second.out" "$T/${second}1.out"
wait_until 20 lines_at_least "$T/${first}2.out" 100 || {
	show_log "$T/replay.log"; fail "failover: the restarted $first got nothing after $second died"; }
note "failover: the restarted $first is used again"

rc=0
wait "$replay_pid" || rc=$?
[ "$rc" = 0 ] || { show_log "$T/replay.log"; fail "failover: replay exited $rc"; }
stop_server "${first}2"
union "$T/${first}1.out" "$T/${second}1.out" "$T/${first}2.out"
note "failover: $first got $(count_lines "$T/${first}1.out"), then $second $(count_lines "$T/${second}1.out"), then $first again $(count_lines "$T/${first}2.out")"
compare_ids "$T/expected.json" "$T/union.json" --dups-ok --label failover ||
	fail "failover: wrong documents"
[ "$(count_lines "$T/${first}2.out")" -gt 0 ] || fail "failover: restarted host unused"
grep -q "connected to 127.0.0.1:$first_port" "$T/replay.log" || fail "failover: no connect message"

# ---- 2. loadbalance, one worker per host: both servers get documents
rm -rf "$T/data"
start_server LA --delay-ack 0.02
start_server LB --delay-ack 0.02
write_conf "$T/lb.conf" "hosts = [\"127.0.0.1:$(port_of LA)\", \"127.0.0.1:$(port_of LB)\"];
	loadbalance = true; worker = 1; bulk_max_size = 100; pipelining = 1; $COMMON"
: >"$T/replay.log"
replay "$T/lb.conf" "$T/big.log" || { show_log "$T/replay.log"; fail "loadbalance: replay failed"; }
stop_server LA
stop_server LB
assert_balanced loadbalance "$T/LA.out" "$T/LB.out" "$total"
union "$T/LA.out" "$T/LB.out"
compare_ids "$T/expected.json" "$T/union.json" --label loadbalance ||
	fail "loadbalance: wrong documents"

# ---- 3. loadbalance with one host dead: the live one gets everything
rm -rf "$T/data"
start_server LC
write_conf "$T/lb2.conf" "hosts = [\"127.0.0.1:$(port_of LC)\", \"127.0.0.1:$(port_of LA)\"];
	loadbalance = true; worker = 1; $COMMON"
: >"$T/replay.log"
replay "$T/lb2.conf" "$T/big.log" || { show_log "$T/replay.log"; fail "loadbalance, one host down: replay failed"; }
stop_server LC
compare_ids "$T/expected.json" "$T/LC.out" --label "loadbalance, one host down" ||
	fail "loadbalance, one host down: wrong documents"

echo "PASS: $TEST_NAME"
