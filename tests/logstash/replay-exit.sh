#!/bin/bash
# The exit status of `audisp-ecs replay` says whether every document got
# where it was meant to go (README, Usage):
# 0: the input read to its end and every document acknowledged;
# 1: an input that cannot be read;
# 2: Logstash down at the end: stopped by SIGTERM, the documents stay in
#    the spool (nothing lost), and a later replay that delivers them exits 0;
# 2: stopped by SIGTERM before the end of the input;
# 3: documents dropped by the spool policy (a 1 MiB spool, drop_oldest,
#    Logstash down).
# (4, dead letters, is tested with the Elasticsearch output in
# tests/elasticsearch/faults.sh.)
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

free_port P
conf="hosts = [\"127.0.0.1:$P\"]; backoff: { init = \"100ms\"; max = \"500ms\"; };"
write_conf "$T/ok.conf" "$conf"
write_conf "$T/small.conf" "$conf" 'queue: { spool: { max_size = "1MiB"; policy = "drop_oldest"; }; };'
repeat_log "$CORPUS" 5 "$T/big.log"
expected "$T/big.log" "$T/expected.json"

# replay_status CONF FILE...: the exit status of a replay (60 s at most).
replay_status() {
	local rc=0
	: >"$T/replay.log"
	replay "$@" || rc=$?
	echo "$rc"
}

# replay_stopped SECONDS CONF FILE...: a replay sent SIGTERM after SECONDS;
# its exit status.
replay_stopped() {
	local after=$1 pid rc=0
	shift
	: >"$T/replay.log"
	"$bin" replay -c "$@" >>"$T/replay.log" 2>&1 3>&- &
	pid=$!
	lib_bg_pids="$lib_bg_pids $pid"
	sleep "$after"
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	echo "$rc"
}

# expect_status WANT GOT CASE: fail unless the status is WANT.
expect_status() {
	[ "$2" = "$1" ] || { show_log "$T/replay.log"; fail "$3: replay exited $2, not $1"; }
	note "$3: exit status $2${4:+; $4}"
}

# ---- 0: everything delivered
rm -rf "$T/data"; mkdir -p "$T/data"
start_server ok --port "$P"
rc=$(replay_status "$T/ok.conf" "$CORPUS")
stop_server ok
expect_status 0 "$rc" "delivered"
compare_ids "$T/expected.json" "$T/ok.out" --subset --label "delivered" >/dev/null ||
	fail "delivered: wrong documents"

# ---- 1: an input that cannot be read
rc=$(replay_status "$T/ok.conf" "$T/no-such.log")
expect_status 1 "$rc" "unreadable input"

# ---- 2: Logstash down at the end: the documents stay in the spool
rm -rf "$T/data"; mkdir -p "$T/data"
rc=$(replay_stopped 3 "$T/ok.conf" "$CORPUS")
expect_status 2 "$rc" "Logstash down" "$(grep -o 'not complete: .*' "$T/replay.log")"
grep -q "stopped before the output took everything" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "Logstash down: the reason is not told"; }
start_server later --port "$P"
rc=$(replay_status "$T/ok.conf" /dev/null)
stop_server later
expect_status 0 "$rc" "the spool delivered by a later replay"
compare_ids "$T/expected.json" "$T/later.out" --subset --label "from the spool" >/dev/null ||
	fail "the spool: wrong documents"
[ "$(count_lines "$T/later.out")" -gt 0 ] || fail "the spool: nothing was left to deliver"

# ---- 2: stopped before the end of the input (a FIFO nobody finishes)
rm -rf "$T/data"; mkdir -p "$T/data"
rm -f "$T/in.fifo"; mkfifo "$T/in.fifo"
exec 4<>"$T/in.fifo"
start_server cut --port "$P"
rc=$(replay_stopped 2 "$T/ok.conf" "$T/in.fifo")
stop_server cut
exec 4>&-
expect_status 2 "$rc" "stopped mid-input"
grep -q "stopped before the end of the input" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "stopped mid-input: the reason is not told"; }

# ---- 3: dropped by the spool policy
rm -rf "$T/data"; mkdir -p "$T/data"
rc=$(replay_stopped 4 "$T/small.conf" "$T/big.log")
expect_status 3 "$rc" "dropped by drop_oldest" "$(grep -o 'documents lost: .*' "$T/replay.log")"

echo "PASS: $TEST_NAME"
