#!/bin/bash
# Live cost benchmark: what the plugin costs the host it audits.
#
# A real auditd (private config dir, ENRICHED log format, Debian's default
# plugin queue of 2000) audits every execution of /usr/bin/true.  A load
# runs EXECS executions; the same load is run with auditd alone, with
# Laurel as auditd's plugin (Debian's package, JSON to a file) and with
# audisp-ecs (file output, default settings, all enrichment on).  For each,
# once every event is written: auditd's CPU, the plugin's CPU, the rate the
# audited load reached, the plugin's peak RSS, the kernel's lost counter,
# auditd's deepest plugin queue and whether it overflowed, and how long
# after the load's end the last document was written (the drain: how far
# the plugin runs behind).  Setups
# alternate within each round, auditd restarts for every measurement, and
# the median of RUNS rounds is printed with the ratios.
#
# Loads (LOADS, space-separated):
#   shell   a bash loop running /bin/true, one after the other
#   N       bench/exec-load.c at N executions a second (two processes)
#   max     bench/exec-load.c as fast as it can (two processes)
#
# Environment:
#   RUNS=3  EXECS=10000  LOADS="shell 1000 5000 max"
#   SETUPS="alone laurel audisp-ecs"
#   AUDISP_ECS  the plugin (default: <repo>/audisp-ecs)
#   LAUREL      laurel (default: laurel in PATH, else /usr/sbin/laurel)
#   ITEST_KEEP=1  keep the temp dir (configs, outputs, logs)
#
# Needs root, auditd, laurel, python3 and cc.  It takes the integration
# tests' lock and restores the kernel's audit settings afterwards (the
# harness of tests/integration/lib.sh).
set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
RUNS=${RUNS:-3}
EXECS=${EXECS:-10000}
LOADS=${LOADS:-"shell 1000 5000 max"}
SETUPS=${SETUPS:-"alone laurel audisp-ecs"}
LAUREL=${LAUREL:-$(command -v laurel || echo /usr/sbin/laurel)}
export AUDISP_ECS_BIN=${AUDISP_ECS:-$repo/audisp-ecs}
KEY=bench_exec

# shellcheck source=../tests/integration/lib.sh
. "$repo/tests/integration/lib.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"
[ -x "$LAUREL" ] || { echo "live.sh: laurel not found: apt-get install laurel" >&2; exit 1; }
itest_init live-bench
itest_write_auditd_conf
sed -i 's/^q_depth = .*/q_depth = 2000/' "$ITEST_AUDITD_CONF_DIR/auditd.conf"
ECS_BIN=$AUDISP_ECS_BIN
LAUREL_BIN=$(readlink -f "$LAUREL")
TICK=$(getconf CLK_TCK)
results=$ITEST_TMP/results.tsv
LOAD_DIR=$ITEST_TMP/load
mkdir -p "$LOAD_DIR"
cc -O2 -o "$ITEST_TMP/exec-load" "$here/exec-load.c" ||
	itest_error "cannot build bench/exec-load.c"

# cpu_ticks PID: user + system clock ticks of PID (all its threads).
cpu_ticks() {
	local stat rest
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	rest=${stat##*) }
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $rest
	echo $(( ${12} + ${13} ))
}

peak_rss_kb() {
	awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

state_value() {	# state_value TEXT KEY: a value of auditd's state report
	sed -n "s/^$2 = //p" <<<"$1" | head -n 1
}

write_ecs_conf() {
	cat >"$ITEST_TMP/audisp-ecs.conf" <<EOF
output: { file: { path = "$ITEST_TMP/out/events.json"; }; };
path: { data = "$ITEST_TMP/data"; };
EOF
}

# setup_plugin SETUP: the drop-in (none for auditd alone), an empty output.
setup_plugin() {
	rm -f "$ITEST_AUDITD_CONF_DIR/plugins.d/"*.conf
	rm -rf "$ITEST_TMP/out" "$ITEST_TMP/data" "$ITEST_TMP/laurel"
	mkdir -p "$ITEST_TMP/out"
	ITEST_NO_PLUGIN=0
	case $1 in
	alone)
		ITEST_NO_PLUGIN=1 ;;
	laurel)
		bench_laurel_conf "$ITEST_TMP/laurel" "$ITEST_TMP/laurel.toml"
		AUDISP_ECS_BIN=$LAUREL_BIN
		plugin_args="-c $ITEST_TMP/laurel.toml" ;;
	audisp-ecs)
		write_ecs_conf
		AUDISP_ECS_BIN=$ECS_BIN
		plugin_args="-c $ITEST_TMP/audisp-ecs.conf" ;;
	esac
	[ "$ITEST_NO_PLUGIN" = 1 ] && return
	cat >"$ITEST_AUDITD_CONF_DIR/plugins.d/bench.conf" <<EOF
active = yes
direction = out
path = $AUDISP_ECS_BIN
type = always
args = $plugin_args
format = string
EOF
	chmod 0640 "$ITEST_AUDITD_CONF_DIR/plugins.d/bench.conf"
}

# documents SETUP: events of the load the plugin has written so far.
documents() {
	case $1 in
	alone) echo 0 ;;
	laurel) cat "$ITEST_TMP/laurel/audit.log" 2>/dev/null |
		grep "$KEY" | grep -c "$LOAD_DIR" ;;
	audisp-ecs) cat "$ITEST_TMP/out/"events.json* 2>/dev/null |
		grep "$KEY" | grep -c "$LOAD_DIR" ;;
	esac
}

# run_load LOAD: the audited load; prints "EXECS SECONDS".  It runs in
# LOAD_DIR, which its documents name as the working directory: executions
# by anything else on the host are not counted.
run_load() {
	local t0 t1
	cd "$LOAD_DIR" || return 1
	case $1 in
	shell)
		t0=$EPOCHREALTIME
		bash -c "for ((i = 0; i < $EXECS; i++)); do /bin/true; done"
		t1=$EPOCHREALTIME
		echo "$EXECS $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" ;;
	max) "$ITEST_TMP/exec-load" "$EXECS" 0 2 ;;
	*) "$ITEST_TMP/exec-load" "$EXECS" "$1" 2 ;;
	esac
}

# wait_written SETUP: until the plugin wrote every event of the load, or
# wrote nothing new for 5 s (events lost: the figures say so).  Sets
# DRAIN_S, how long after the load's end the last document came: the lag
# of the plugin behind the audited processes.
wait_written() {
	local n last=-1 still=0 t0=$EPOCHREALTIME
	DRAIN_S=0
	[ "$1" = alone ] && { sleep 1; return; }
	while :; do
		n=$(documents "$1")
		[ "$n" -ge "$EXECS" ] && break
		if [ "$n" = "$last" ]; then
			still=$((still + 1))
			[ "$still" -ge 100 ] && break
		else
			still=0
		fi
		last=$n
		sleep 0.05
	done
	DRAIN_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
	sleep 0.5	# the rest of the work that follows the write
}

# measure SETUP LOAD ROUND: one measurement, appended to $results.
measure() {
	local setup=$1 load=$2 a0 p0 a1 p1 lost0 lost1 out state docs rss
	setup_plugin "$setup"
	itest_start_auditd
	itest_add_rule -a always,exit -F arch=b64 -S execve -F exe=/usr/bin/true -k "$KEY"
	sleep 0.5
	lost0=$(itest_status_field lost)
	a0=$(cpu_ticks "$AUDITD_PID")
	p0=0
	[ -n "$PLUGIN_PID" ] && p0=$(cpu_ticks "$PLUGIN_PID")
	out=$(run_load "$load") || itest_error "the $load load failed"
	wait_written "$setup"
	a1=$(cpu_ticks "$AUDITD_PID")
	p1=0 rss=0
	if [ -n "$PLUGIN_PID" ]; then
		p1=$(cpu_ticks "$PLUGIN_PID")
		rss=$(peak_rss_kb "$PLUGIN_PID")
	fi
	lost1=$(itest_status_field lost)
	state=$(itest_auditd_state)
	docs=$(documents "$setup")
	[ "$setup" = audisp-ecs ] && check_complete
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$load" "$3" \
		"$out" "$(( a1 - a0 ))" "$(( p1 - p0 ))" "$rss" "$(( lost1 - lost0 ))" \
		"$(state_value "$state" 'max plugin queue depth used')" \
		"$(state_value "$state" 'plugin queue overflow detected')" "$docs" \
		"$DRAIN_S" | tr ' ' '\t' >>"$results"
	itest_delete_rules
	ITEST_RULES=()
	itest_stop_auditd 15
	itest_msg "$setup $load round $3: $(tail -n 1 "$results")"
}

# The documents stay as complete as they are: every one names the parent.
check_complete() {
	"$ITEST_PYTHON" - "$ITEST_TMP/out" "$KEY" "$LOAD_DIR" <<'PY' || itest_fail "incomplete documents"
import glob, json, sys
n = missing = 0
for f in glob.glob(sys.argv[1] + "/events.json*"):
    for line in open(f):
        if sys.argv[2] not in line:
            continue
        d = json.loads(line)
        if d.get("process", {}).get("working_directory") != sys.argv[3]:
            continue
        n += 1
        parent = d.get("process", {}).get("parent", {})
        if not parent.get("name") or not parent.get("executable"):
            missing += 1
if missing:
    sys.exit("%d of %d documents lack process.parent.name/executable" % (missing, n))
PY
}

for ((round = 1; round <= RUNS; round++)); do
	for load in $LOADS; do
		for setup in $SETUPS; do
			measure "$setup" "$load" "$round"
		done
	done
done

"$ITEST_PYTHON" - "$results" "$TICK" "$EXECS" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
tick, execs = float(sys.argv[2]), int(sys.argv[3])
by = {}
for setup, load, rnd, n, secs, acpu, pcpu, rss, lost, qmax, qover, docs, drain in rows:
    by.setdefault((load, setup), []).append(
        (int(n) / float(secs), int(acpu) / tick, int(pcpu) / tick,
         int(rss) / 1024, int(lost), int(qmax or 0), qover, int(docs), float(drain)))
med = lambda xs: statistics.median(xs)
print("load    setup        execs/s  auditd CPU s  plugin CPU s  plugin ms/1k ev"
      "  peak RSS MiB  lost  max queue  overflow  docs  drain s")
loads = []
for (load, setup), v in by.items():
    if load not in loads:
        loads.append(load)
    print("%-7s %-11s %8.0f %13.2f %13.2f %16.1f %13.1f %5d %10d %9s %5d %8.2f" % (
        load, setup, med([x[0] for x in v]), med([x[1] for x in v]),
        med([x[2] for x in v]), med([x[2] for x in v]) * 1e6 / execs,
        max(x[3] for x in v), max(x[4] for x in v), max(x[5] for x in v),
        ",".join(sorted(set(x[6] for x in v))), min(x[7] for x in v),
        med([x[8] for x in v])))
print()
def ratio(load, a, b, i):
    if (load, a) not in by or (load, b) not in by:
        return float("nan")
    den = med([x[i] for x in by[(load, b)]])
    return med([x[i] for x in by[(load, a)]]) / den if den else float("nan")
for load in loads:
    print("%-6s plugin CPU audisp-ecs/laurel %.2f, exec rate audisp-ecs/laurel %.2f, "
          "auditd CPU audisp-ecs/alone %.2f, laurel/alone %.2f" % (
          load, ratio(load, "audisp-ecs", "laurel", 2), ratio(load, "audisp-ecs", "laurel", 0),
          ratio(load, "audisp-ecs", "alone", 1), ratio(load, "laurel", "alone", 1)))
PY
itest_pass
