# shellcheck shell=sh
# Helpers for the FIM tests: a private temp dir, a configuration, the
# plugin running on a held-open stdin (no auditd needed), and a checker
# that waits for documents in the file output.
#
# Exit codes (automake): 0 pass, 1 fail, 77 skip, 99 hard error.
set -u
FIM_TEST=$(basename "$0" .sh)
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
FIMQ="$(cd "$(dirname "$0")" && pwd)/fimq.py"
export PYTHONDONTWRITEBYTECODE=1

fim_skip() { echo "SKIP: $FIM_TEST: $*"; exit 77; }
fim_fail() { echo "FAIL: $FIM_TEST: $*"; [ -n "${T:-}" ] && echo "(kept $T)"; KEEP=1; exit 1; }
fim_pass() { echo "PASS: $FIM_TEST${1:+: $1}"; exit 0; }

PLUGIN_PID=""
HOLDER_PID=""
KEEP=0
fim_cleanup() {
	fim_stop_plugin
	[ "$KEEP" = 1 ] || rm -rf "$T"
}

# fim_init: temp dir T with tree/ and data/; needs root for chown & co.
fim_init() {
	[ "$(id -u)" = 0 ] || fim_skip "needs root (chown, setfacl, reading any file)"
	command -v python3 >/dev/null || fim_skip "python3 not found (apt-get install python3)"
	T=$(mktemp -d /tmp/fim-test.XXXXXX) || exit 99
	trap fim_cleanup EXIT
	trap 'exit 1' INT TERM
	mkdir -p "$T/tree" "$T/data"
}

# fim_config EXTRA_FIM_SETTINGS: output to $T/out.json, paths default tree.
# FIM_BACKEND, when set, is fim.backend.
fim_config() {
	cat > "$T/conf" <<EOC
output: { file: { path = "$T/out.json"; rotate_every_kb = 4194304; }; };
path: { data = "$T/data"; };
logging: { level = "debug"; metrics: { period = 0; }; };
fim: {
  scan_rate_per_sec = "unlimited";
  quiet_period = "100ms";
  ${FIM_BACKEND:+backend = \"$FIM_BACKEND\";}
  $1
};
EOC
}

# Runs the plugin as auditd would, with a stdin that stays open.
fim_start_plugin() {
	mkfifo "$T/stdin"
	sleep 100000 > "$T/stdin" &
	HOLDER_PID=$!
	"$bin" -f -c "$T/conf" < "$T/stdin" 2> "$T/plugin.log" &
	PLUGIN_PID=$!
}

fim_stop_plugin() {
	if [ -n "$PLUGIN_PID" ]; then
		kill -TERM "$PLUGIN_PID" 2>/dev/null
		wait "$PLUGIN_PID" 2>/dev/null
		PLUGIN_PID=""
	fi
	if [ -n "$HOLDER_PID" ]; then
		kill "$HOLDER_PID" 2>/dev/null
		wait "$HOLDER_PID" 2>/dev/null
		HOLDER_PID=""
		rm -f "$T/stdin"
	fi
}

# fim_wait SECONDS PYTHON_EXPR: waits for a document d matching EXPR.
fim_wait() {
	python3 "$FIMQ" wait "$T/out.json" "$1" "$2"
}

# fim_count PYTHON_EXPR: number of documents matching.
fim_count() {
	python3 "$FIMQ" count "$T/out.json" 0 "$1"
}

# fim_stats PYTHON_EXPR: SIGUSR1, wait (5 s at most) for the counters in
# $T/data/stats.json; true when EXPR holds of them (s), else they are
# printed.
fim_stats() {
	kill -USR1 "$PLUGIN_PID"
	_n=0
	while [ ! -s "$T/data/stats.json" ] && [ $_n -lt 50 ]; do sleep 0.1; _n=$((_n + 1)); done
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert eval(sys.argv[2]), s' "$T/data/stats.json" "$1"
}
