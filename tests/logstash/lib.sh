# Shared helpers for the Logstash output tests (tests/logstash/*.sh).
# shellcheck disable=SC2034  # variables for the scripts that source it
#
# Source it from bash:  . "${srcdir:-.}/tests/logstash/lib.sh"
# It sets:
#   srcdir bin      source tree, audisp-ecs binary (${AUDISP_ECS:-./audisp-ecs})
#   T               a private temp dir, removed on exit
#   CORPUS          tests/corpus/diverse.log
# and installs an EXIT trap that stops, by pid, only what the test started
# (the audisp-ecs runs in the background get SIGTERM, the servers started
# with start_server SIGKILL), runs the hooks added with at_exit, and
# removes $T (KEEP=1 keeps it after a failure).  Foreground audisp-ecs
# runs go through timeout(1); background ones are bounded by the test's
# own waits.  Needs bash, python3 and coreutils.
#
# Servers are named (A, B, ...); for server NAME the files are
#   $T/NAME.out    every acked event, one JSON line (--out)
#   $T/NAME.stats  the server's counters (written on stop and on SIGUSR1)
#   $T/NAME.log    its log (stderr)
# and ${NAME}_port / ${NAME}_pid hold its port and pid.

srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $srcdir in /*) ;; *) srcdir=$PWD/$srcdir ;; esac
CORPUS=$srcdir/tests/corpus/diverse.log
SERVER=${SERVER:-$srcdir/tests/peers/lumberjack_server.py}
MAKE_CERTS=$srcdir/tests/peers/make-certs.sh
TEST_NAME=$(basename "$0" .sh)

lib_server_pids=
lib_bg_pids=
lib_cleanup_hooks=

skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }
fail() { echo "FAIL: $TEST_NAME: $*"; exit 1; }
note() { echo "$TEST_NAME: $*"; }

command -v python3 >/dev/null 2>&1 || skip "python3 not found (the test server needs it)"
[ -x "$bin" ] || skip "audisp-ecs not built: $bin"
python3 "$SERVER" --help >/dev/null 2>&1 ||
	skip "the test server does not run with $(python3 --version 2>&1) (it needs Python 3.11)"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) not found"

T=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-ls.XXXXXX") || exit 99
chmod 700 "$T"

lib_cleanup() {
	local rc=$? pid hook
	trap - EXIT INT TERM
	for pid in $lib_bg_pids; do	# timeout(1) passes SIGTERM on
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $lib_bg_pids; do
		wait "$pid" 2>/dev/null
	done
	for hook in $lib_cleanup_hooks; do
		"$hook" || true
	done
	for pid in $lib_server_pids; do
		kill -KILL "$pid" 2>/dev/null
	done
	for pid in $lib_server_pids; do
		wait "$pid" 2>/dev/null
	done
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "${KEEP:-}" ]; then
		echo "$TEST_NAME: kept $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap lib_cleanup EXIT
trap 'exit 1' INT TERM

# at_exit FUNCTION: run FUNCTION at exit, before the temp dir is removed.
at_exit() { lib_cleanup_hooks="$lib_cleanup_hooks $1"; }

# show_log FILE [LINES]: print the end of a log, indented (after a failure).
show_log() {
	[ -f "$1" ] || return 0
	echo "--- ${1#"$T"/} (last ${2:-15} lines)"
	tail -n "${2:-15}" "$1" | sed 's/^/  /'
}

# start_server NAME [--port PORT] [server options...]
# Starts $SERVER (lumberjack_server.py unless set before; a Python script
# or an executable) on 127.0.0.1 (an ephemeral port unless
# --port is given) and waits until it listens; sets NAME_port, NAME_pid.
start_server() {
	local name=$1 port=0 i p run=python3
	shift
	case $SERVER in *.py) ;; *) run= ;; esac
	if [ "${1:-}" = --port ]; then
		port=$2
		shift 2
	fi
	: >"$T/$name.stdout"
	# 3>&-: not the plugin's stdin (plugin_start), or it never sees EOF
	$run "$SERVER" --listen "127.0.0.1:$port" --out "$T/$name.out" \
		--stats "$T/$name.stats" "$@" \
		>"$T/$name.stdout" 2>>"$T/$name.log" 3>&- &
	p=$!
	lib_server_pids="$lib_server_pids $p"
	eval "${name}_pid=$p"
	for _ in $(seq 1 100); do
		port=$(sed -n 's/^LISTENING \([0-9][0-9]*\)$/\1/p' "$T/$name.stdout")
		if [ -n "$port" ]; then
			eval "${name}_port=$port"
			return 0
		fi
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	show_log "$T/$name.log"
	fail "server $name did not start"
}

# port_of NAME: the port of server NAME.
port_of() { eval "echo \"\${${1}_port}\""; }

# end_server NAME SIGNAL: send SIGNAL to server NAME, wait for it to exit.
end_server() {
	local p
	eval "p=\${${1}_pid:-}"
	[ -n "$p" ] || return 0
	kill "-$2" "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	eval "${1}_pid="
}

# stop_server NAME: SIGTERM, wait for it to exit (its stats are then final).
stop_server() { end_server "$1" TERM; }

# kill_server NAME: SIGKILL (a crash: no goodbye, no final stats).
kill_server() { end_server "$1" KILL; }

# server_stats NAME: refresh NAME.stats of a running server (SIGUSR1).
server_stats() {
	local p
	eval "p=\${${1}_pid:-}"
	[ -n "$p" ] || return 0
	rm -f "$T/$1.stats"
	kill -USR1 "$p"
	wait_until 5 test -s "$T/$1.stats" || fail "server $1 wrote no stats"
}

# stat_of NAME FIELD: one counter of NAME.stats (a.b for nested ones).
stat_of() {
	python3 - "$T/$1.stats" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else 0
print(v)
PY
}

# count_lines FILE: lines in FILE (0 if it does not exist).
count_lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s; 1 on timeout.
wait_until() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# assert_balanced WHAT FILE-A FILE-B TOTAL: load balancing over servers A
# and B, whose documents are in FILE-A and FILE-B, gave each of them a fair
# part of the TOTAL documents: at least a fifth.
assert_balanced() {
	local a b
	a=$(count_lines "$2")
	b=$(count_lines "$3")
	note "$1: A got $a, B got $b documents"
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "$1: one server got nothing (A $a, B $b)"
	[ "$a" -ge $(($4 / 5)) ] && [ "$b" -ge $(($4 / 5)) ] ||
		fail "$1: unbalanced (A $a, B $b of $4)"
}

# lines_at_least FILE N: FILE has N lines or more.
lines_at_least() { [ "$(count_lines "$1")" -ge "$2" ]; }

# write_conf FILE LOGSTASH-SETTINGS [OTHER-SETTINGS]: a configuration with
# the logstash output (the settings go inside output.logstash { }) and
# path.data in the temp dir; OTHER-SETTINGS are appended at top level.
write_conf() {
	mkdir -p "$T/data"
	cat >"$1" <<EOC
output: { logstash: { $2 }; };
path: { data = "$T/data"; };
logging: { metrics: { period = "0"; }; };
${3:-}
EOC
}

# tls_certs: the test certificates (tests/peers/make-certs.sh) in $T/certs;
# skips the test without openssl 3.0+.  Sets C (their directory), CA (the
# ssl setting that trusts the test CA) and SERVER_TLS (the test server's
# options for its certificate and key).
tls_certs() {
	command -v openssl >/dev/null 2>&1 || skip "openssl command not found (make-certs.sh needs it)"
	C=$T/certs
	sh "$MAKE_CERTS" "$C" >"$T/make-certs.log" 2>&1 ||
		{ show_log "$T/make-certs.log"; skip "make-certs.sh failed (openssl 3.0+ needed)"; }
	CA="certificate_authorities = [\"$C/ca.pem\"];"
	SERVER_TLS="--tls-cert $C/server.pem --tls-key $C/server.key"
}

# test_output_refused NAME EXPECTED-TEXT STAT WHAT: with server NAME
# running and $T/NAME.conf written, `audisp-ecs test output` must fail
# (exit 1) and say EXPECTED-TEXT (an ERE); server NAME is stopped and its
# counter STAT must be 0 (else: fail "NAME: WHAT").  When the text is not
# there but VAGUE (an ERE, if set) is, the refusal is noted with a warning
# that its message does not say why.
test_output_refused() {
	local name=$1 want=$2 rc=0
	timeout 30 "$bin" test output -c "$T/$name.conf" >"$T/$name.test" 2>&1 || rc=$?
	stop_server "$name"
	[ "$rc" = 1 ] || { show_log "$T/$name.test"; fail "$name: test output exited $rc, expected 1"; }
	[ "$(stat_of "$name" "$3")" = 0 ] || fail "$name: $4"
	if grep -Eq "$want" "$T/$name.test"; then
		note "$name: refused: $(grep -E -m1 "$want" "$T/$name.test" | sed 's/^ *//')"
	elif [ -n "${VAGUE:-}" ] && grep -Eq "$VAGUE" "$T/$name.test"; then
		# Refused, but the message does not say why (see the caller).
		note "$name: refused, WARNING: unclear message: $(grep -E -m1 "$VAGUE" "$T/$name.test" | sed 's/^ *//')"
	else
		show_log "$T/$name.test"
		fail "$name: no \"$want\" in the output of test output"
	fi
}

# expected FILE OUT: the documents of a plain replay of FILE (no config).
expected() {
	timeout 60 "$bin" replay "$1" >"$2" 2>"$2.err" ||
		{ show_log "$2.err"; fail "plain replay of $1 failed"; }
}

# replay CONF FILE... : audisp-ecs replay to the configured output (60 s
# at most); stdout and stderr go to $T/replay.log.  Returns its status.
replay() {
	local conf=$1
	shift
	timeout "${REPLAY_TIMEOUT:-60}" "$bin" replay -c "$conf" "$@" \
		>>"$T/replay.log" 2>&1
}

# compare_ids EXPECTED GOT [--dups-ok] [--subset] [--label TEXT]
# Checks that the documents in GOT (JSON lines as the server wrote them)
# are exactly those of EXPECTED by event.id: none missing, none extra.
# With --subset, missing documents are only counted (for tests where
# documents are dropped on purpose).
# Duplicates fail unless --dups-ok, in which case they are counted and
# printed.  The plugin's notes about itself (event.action
# audit-events-lost, events-dropped) are not compared but counted and
# listed.  Prints one summary line.
compare_ids() {
	python3 - "$@" <<'PY'
import collections, json, sys
exp_path, got_path, *opts = sys.argv[1:]
dups_ok = "--dups-ok" in opts
subset = "--subset" in opts
label = opts[opts.index("--label") + 1] if "--label" in opts else got_path
# Documents the plugin writes about itself: not in a plain replay.
NOTES = ("audit-events-lost", "events-dropped")
def ids(path):
    c = collections.Counter()
    other = collections.Counter()
    n = 0
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        return c, other, 0
    for line in f:
        d = json.loads(line)
        n += 1
        ev = d.get("event") or {}
        if ev.get("action") in NOTES or ev.get("id") is None:
            other[ev.get("action")] += 1
        else:
            c[ev["id"]] += 1
    return c, other, n
exp, exp_other, _ = ids(exp_path)
got, got_other, n = ids(got_path)
missing = [i for i in exp if i not in got]
extra = [i for i in got if i not in exp]
dups = sum(v - 1 for v in got.values() if v > 1)
msg = (f"{label}: {n} documents, {len(got)} distinct of {len(exp)} expected, "
       f"{len(missing)} missing, {len(extra)} unexpected, {dups} duplicates")
if got_other:
    msg += ", notes: " + ", ".join(f"{k} x{v}" for k, v in sorted(got_other.items(), key=str))
print(msg)
bad = (missing and not subset) or extra or (dups and not dups_ok)
if missing and not subset:
    print("  missing (first 5):", missing[:5])
if extra:
    print("  unexpected (first 5):", extra[:5])
sys.exit(1 if bad else 0)
PY
}

# split_log FILE PART1 PART2 [PERCENT]: cut an audit log in two between
# two events (not inside one), about PERCENT (50) of the lines in PART1.
split_log() {
	python3 - "$@" <<'PY'
import re, sys
src, p1, p2 = sys.argv[1:4]
pct = int(sys.argv[4]) if len(sys.argv) > 4 else 50
lines = open(src, "rb").read().splitlines(keepends=True)
key = lambda l: (re.search(rb"msg=audit\(([0-9.:]+)\)", l) or [None, l])[1]
i = len(lines) * pct // 100
while 0 < i < len(lines) and key(lines[i]) == key(lines[i - 1]):
    i += 1
open(p1, "wb").write(b"".join(lines[:i]))
open(p2, "wb").write(b"".join(lines[i:]))
PY
}

# repeat_log FILE N OUT: N copies of FILE with distinct events: copy k
# has its timestamps moved by k * 100000 s and its serials by k * 1000000
# (a new stream, not a gap), so every event gets its own event.id (for
# tests that need more input than the corpus).
repeat_log() {
	python3 - "$@" <<'PY'
import re, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(src, "rb").read()
pat = re.compile(rb"msg=audit\((\d+)\.(\d+):(\d+)\)")
with open(out, "wb") as f:
    for k in range(n):
        f.write(pat.sub(lambda m: b"msg=audit(%d.%s:%d)" % (
            int(m.group(1)) + k * 100000, m.group(2),
            int(m.group(3)) + k * 1000000), data))
PY
}

# plugin CONF [INPUT-COMMAND...]: plugin mode (-f: logs on stderr), its
# stdin fed by INPUT-COMMAND (default: nothing), 60 s at most; logs go to
# $T/plugin.log.  Returns the plugin's status.
plugin() {
	local conf=$1
	shift
	if [ $# = 0 ]; then set -- true; fi
	"$@" | timeout "${PLUGIN_TIMEOUT:-60}" "$bin" -f -c "$conf" >>"$T/plugin.log" 2>&1
}

# deliver_corpus NAME CONF: replay the corpus to the output of CONF (30 s
# at most; the replay's output in a fresh $T/replay.log), then stop server
# NAME.  A replay that fails shows both logs and fails "NAME: ...".
deliver_corpus() {
	: >"$T/replay.log"
	REPLAY_TIMEOUT=30 replay "$2" "$CORPUS" || {
		show_log "$T/replay.log"; show_log "$T/$1.log"; fail "$1: replay failed"; }
	stop_server "$1"
}

# replay_bg CONF FILE...: replay in the background (60 s at most), output
# to $T/replay.log; sets replay_pid.  Collect it with: wait "$replay_pid".
replay_bg() {
	local conf=$1
	shift
	timeout "${REPLAY_TIMEOUT:-60}" "$bin" replay -c "$conf" "$@" \
		>>"$T/replay.log" 2>&1 3>&- &
	replay_pid=$!
	lib_bg_pids="$lib_bg_pids $replay_pid"
}

# ---- plugin mode in the background, fed through a FIFO ----
# plugin_start CONF: start `audisp-ecs -f -c CONF` reading $T/in.fifo (held
# open on fd 3, so the plugin sees EOF only at plugin_eof); logs go to
# $T/plugin.log; sets plugin_pid and plugin_data (the data dir of CONF,
# which must be $T/data).
plugin_start() {
	rm -f "$T/in.fifo"
	mkfifo "$T/in.fifo" || fail "mkfifo"
	"$bin" -f -c "$1" <"$T/in.fifo" >>"$T/plugin.log" 2>&1 &
	plugin_pid=$!
	lib_bg_pids="$lib_bg_pids $plugin_pid"
	exec 3>"$T/in.fifo"
}

# plugin_feed FILE: write FILE to the plugin (blocks while the plugin
# does not read); plugin_feed_bg FILE: the same in the background
# (sets feed_pid).
plugin_feed() { cat "$1" >&3; }
plugin_feed_bg() {
	cat "$1" >&3 &
	feed_pid=$!
	lib_bg_pids="$lib_bg_pids $feed_pid"
}

# plugin_eof: close the plugin's stdin.
plugin_eof() { exec 3>&-; }

# plugin_wait SECONDS: wait for the plugin to exit; 0 and plugin_rc set,
# or 1 if it still runs after SECONDS.
plugin_wait() {
	local n=$(($1 * 10))
	while kill -0 "$plugin_pid" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -0 "$plugin_pid" 2>/dev/null && return 1
	plugin_rc=0
	wait "$plugin_pid" || plugin_rc=$?
	return 0
}

# plugin_stop: SIGTERM, then wait (10 s at most); sets plugin_rc.
plugin_stop() {
	kill -TERM "$plugin_pid" 2>/dev/null
	plugin_wait 10 || fail "the plugin did not exit within 10 s of SIGTERM"
}

# plugin_stop_ok [PREFIX]: plugin_stop; exiting 0 or 1 is noted, any
# other status fails.  The messages start with PREFIX.
plugin_stop_ok() {
	plugin_stop
	case $plugin_rc in
	0 | 1) note "${1:-}after SIGTERM the plugin exited $plugin_rc" ;;
	*) show_log "$T/plugin.log"; fail "${1:-}the plugin exited $plugin_rc" ;;
	esac
}

# drain_spool NAME PORT CONF [PREFIX]: start server NAME on PORT and
# replay nothing with CONF, which sends what its spool holds; then stop
# the server.  A failed replay fails, its message starting with PREFIX.
drain_spool() {
	start_server "$1" --port "$2"
	: >"$T/replay.log"
	replay "$3" /dev/null ||
		{ show_log "$T/replay.log"; fail "${4:-}replay after the server came back failed"; }
	stop_server "$1"
}

# plugin_stats: SIGUSR1, then wait for $T/data/stats.json (the counters).
plugin_stats() {
	rm -f "$T/data/stats.json"
	kill -USR1 "$plugin_pid" 2>/dev/null || fail "the plugin is not running"
	wait_until 5 test -s "$T/data/stats.json" || fail "the plugin wrote no stats.json"
}

# pstat FIELD: one counter of the last plugin_stats.
pstat() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
		"$T/data/stats.json" "$1"
}

# spool_settled TOTAL: wait until the plugin has made TOTAL documents,
# then until its output has spooled or dropped them all (the two counters
# stop moving; 15 s at most); sets spooled and dropped.  1 if the plugin
# did not make TOTAL documents within 20 s.
spool_settled() {
	local prev= cur
	wait_until 20 sh -c "kill -USR1 $plugin_pid; sleep 0.2; grep -q '\"events\":$1,' '$T/data/stats.json' 2>/dev/null" ||
		return 1
	for _ in $(seq 1 30); do
		plugin_stats
		cur="$(pstat spooled) $(pstat dropped)"
		[ "$cur" = "$prev" ] && break
		prev=$cur
		sleep 0.5
	done
	spooled=$(pstat spooled)
	dropped=$(pstat dropped)
}

# free_port VAR: set VAR to a TCP port nothing listens on (a server
# started and stopped), for a "server down" that can later come up on the
# same port (start_server NAME --port PORT).
free_port() {
	start_server portprobe
	stop_server portprobe
	rm -f "$T/portprobe".*
	eval "$1=\$portprobe_port"
}
