# shellcheck shell=sh
# Helpers for the system dataset tests: a private temp dir, a
# configuration with only the system datasets and a file output, the
# plugin running on a held-open stdin (no auditd needed), and waiting for
# documents (tests/fim/fimq.py does the querying).
#
# Exit codes (automake): 0 pass, 1 fail, 77 skip, 99 hard error.
set -u
SYS_TEST=$(basename "$0" .sh)
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
SYSQ="$(cd "$(dirname "$0")/../fim" && pwd)/fimq.py"
export PYTHONDONTWRITEBYTECODE=1

sys_skip() { echo "SKIP: $SYS_TEST: $*"; exit 77; }
sys_fail() { echo "FAIL: $SYS_TEST: $*"; [ -n "${T:-}" ] && echo "(kept $T)"; KEEP=1; exit 1; }
sys_pass() { echo "PASS: $SYS_TEST${1:+: $1}"; exit 0; }

PLUGIN_PID=""
HOLDER_PID=""
KEEP=0
# Tests set SYS_CLEANUP to a function undoing their changes to the machine.
SYS_CLEANUP=:
sys_cleanup() {
	sys_stop_plugin
	$SYS_CLEANUP
	[ "$KEEP" = 1 ] || rm -rf "$T"
}

# sys_init: temp dir T with data/; the changes these tests make need root.
sys_init() {
	[ "$(id -u)" = 0 ] || sys_skip "needs root (adds users, reads /etc/shadow)"
	command -v python3 >/dev/null || sys_skip "python3 not found (apt-get install python3)"
	T=$(mktemp -d /tmp/system-test.XXXXXX) || exit 99
	trap sys_cleanup EXIT
	trap 'exit 1' INT TERM
	mkdir -p "$T/data"
}

# sys_config SYSTEM_SETTINGS: output to $T/out.json.
sys_config() {
	cat > "$T/conf" <<EOC
output: { file: { path = "$T/out.json"; rotate_every_kb = 4194304; }; };
path: { data = "$T/data"; };
logging: { level = "debug"; metrics: { period = 0; }; };
system: {
  period = "1s";
  $1
};
EOC
}

# sys_start_plugin [WRAPPER...]: runs the plugin as auditd would, with a
# stdin that stays open.  A wrapper (env, unshare) must exec the plugin,
# so that PLUGIN_PID is the plugin's.
sys_start_plugin() {
	mkfifo "$T/stdin"
	sleep 100000 > "$T/stdin" &
	HOLDER_PID=$!
	"$@" "$bin" -f -c "$T/conf" < "$T/stdin" 2>> "$T/plugin.log" &
	PLUGIN_PID=$!
}

sys_stop_plugin() {
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

# sys_wait SECONDS PYTHON_EXPR: waits for a document d matching EXPR.
sys_wait() {
	python3 "$SYSQ" wait "$T/out.json" "$1" "$2"
}

# sys_count PYTHON_EXPR: number of documents matching.
sys_count() {
	python3 "$SYSQ" count "$T/out.json" 0 "$1"
}

# sys_expect PYTHON_EXPR WHAT [SECONDS]: fails with WHAT unless it comes.
sys_expect() {
	sys_wait "${3:-10}" "$1" >/dev/null || {
		tail -n 5 "$T/out.json" >&2
		sys_fail "$2"
	}
}
