# shellcheck shell=bash
# Shared helpers for the audisp-ecs integration tests.
#
# These tests run the REAL auditd (Debian package "auditd", 3.0.x) with the
# freshly built plugin, from a private configuration directory: a private
# auditd.conf, log file, plugins.d and plugin config, all in one temp dir.
# Nothing under /etc/audit is read or changed.  Only one audit daemon can hold
# the kernel's audit socket, so the tests refuse to run while another one
# (e.g. systemd's auditd.service) is running, and take a lock so that a
# parallel "make check" runs them one at a time.
#
# Exit codes (automake): 0 pass, 1 fail, 77 skip, 99 hard error.
#
# Environment:
#   AUDISP_ECS_BIN          plugin binary (default: $AUDISP_ECS, which "make
#                           check" sets, else $abs_top_builddir/audisp-ecs,
#                           else <source top>/audisp-ecs)
#   AUDISP_ECS_ALLOW_SKIP=1 skip (77) instead of failing hard (99) when another
#                           audit daemon is running
#   ITEST_KEEP=1            keep the temp dir even when the test passes
#                           (it is always kept when a test fails)
#
# Usage in a test:
#   . "$(dirname "$0")/lib.sh"
#   itest_init exec-args            # root/tools/other-auditd checks, temp dir, traps
#   itest_write_configs             # auditd.conf, plugins.d drop-in, plugin config
#   itest_start_auditd              # sets AUDITD_PID and PLUGIN_PID
#   itest_add_rule -a always,exit -F arch=b64 -S execve -k itest_exec
#   ... generate events ...
#   doc=$(itest_wait_doc 10 '"itest_exec" in tags(d) and get(d,"process.pid") == 123') || itest_fail "..."
#   itest_pass

ITEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ITEST_SRC_TOP=$(cd "$ITEST_DIR/../.." && pwd)
ITEST_PY="$ITEST_DIR/ecsq.py"
export PYTHONDONTWRITEBYTECODE=1     # no __pycache__ in the source tree

ITEST_NAME=${ITEST_NAME:-$(basename "$0" .sh)}
ITEST_TMP=""
ITEST_RULES=()          # rules we added, each a \x1f-joined auditctl argument list
AUDITD_PID=""
PLUGIN_PID=""
ITEST_STATUS_SAVED=0
ITEST_STATE_FILE_EXISTED=1
ITEST_CLEANED=0
ITEST_BG_PIDS=()        # background helpers (event generators) to stop at cleanup

itest_msg()  { printf '[%s] %s\n' "$ITEST_NAME" "$*" >&2; }
itest_skip() { printf 'SKIP: %s: %s\n' "$ITEST_NAME" "$*"; exit 77; }
itest_fail() { printf 'FAIL: %s: %s\n' "$ITEST_NAME" "$*"; exit 1; }
itest_error() { printf 'ERROR: %s: %s\n' "$ITEST_NAME" "$*"; exit 99; }
itest_pass() { printf 'PASS: %s\n' "$ITEST_NAME"; exit 0; }

# --------------------------------------------------------------------------
# preconditions

itest_require_root() {
    [ "$(id -u)" = 0 ] || itest_skip "needs root (it runs auditd and loads audit rules)"
}

itest_require_tools() {
    local t
    for t in auditd auditctl; do
        command -v "$t" >/dev/null 2>&1 || PATH="$PATH:/sbin:/usr/sbin"
        command -v "$t" >/dev/null 2>&1 ||
            itest_skip "$t not found: install the Debian package auditd (apt-get install auditd)"
    done
    command -v python3 >/dev/null 2>&1 ||
        itest_skip "python3 not found: install the Debian package python3"
    # the real interpreter, not a wrapper (pyenv shims exec dozens of helpers,
    # which would all show up as audit events)
    ITEST_PYTHON=$(python3 -c 'import sys; print(sys.executable)')
    [ -x "$ITEST_PYTHON" ] || ITEST_PYTHON=python3
    command -v setsid >/dev/null 2>&1 ||
        itest_skip "setsid not found: install the Debian package util-linux"

    if [ -z "${AUDISP_ECS_BIN:-}" ]; then
        if [ -n "${AUDISP_ECS:-}" ]; then      # set by "make check" (TESTS_ENVIRONMENT)
            AUDISP_ECS_BIN=$AUDISP_ECS
        elif [ -n "${abs_top_builddir:-}" ] && [ -x "${abs_top_builddir}/audisp-ecs" ]; then
            AUDISP_ECS_BIN="${abs_top_builddir}/audisp-ecs"
        else
            AUDISP_ECS_BIN="$ITEST_SRC_TOP/audisp-ecs"
        fi
    fi
    [ -x "$AUDISP_ECS_BIN" ] ||
        itest_error "plugin binary $AUDISP_ECS_BIN not found or not executable: build it first (./bootstrap && ./configure && make) or set AUDISP_ECS_BIN"
    AUDISP_ECS_BIN=$(readlink -f "$AUDISP_ECS_BIN")

    local st
    st=$(auditctl -s 2>&1) ||
        itest_skip "auditctl -s failed, the kernel audit subsystem is not usable here: $st"
    if [ "$(itest_status_field enabled "$st")" = 2 ]; then
        itest_skip "the kernel audit configuration is locked (enabled 2, auditctl -e 2); rules cannot be changed until reboot"
    fi
}

# itest_status_field NAME [STATUS_TEXT]: a value from "auditctl -s"
itest_status_field() {
    local text=${2:-}
    [ -n "$text" ] || text=$(auditctl -s 2>/dev/null)
    awk -v k="$1" '$1 == k { print $2; exit }' <<<"$text"
}

# Another audit daemon (systemd's auditd, auditbeat, go-audit, ...) holds the
# kernel audit socket: we cannot run.  That is a hard error on a machine that
# is meant to run these tests; AUDISP_ECS_ALLOW_SKIP=1 turns it into a skip.
itest_require_no_other_auditd() {
    local kpid other comm=""
    kpid=$(itest_status_field pid)
    other=""
    if [ -n "$kpid" ] && [ "$kpid" != 0 ]; then
        other=$kpid
    else
        other=$(pgrep -x auditd | head -n 1)
    fi
    [ -z "$other" ] && return 0
    comm=$(cat "/proc/$other/comm" 2>/dev/null || echo "?")
    local msg="another audit daemon ($comm, pid $other) holds the kernel audit socket; stop it first (systemd's auditd.service refuses 'systemctl stop': use 'auditctl --signal TERM', and 'systemctl start auditd' afterwards) and re-run"
    if [ "${AUDISP_ECS_ALLOW_SKIP:-0}" = 1 ]; then
        echo "########################################################################"
        echo "SKIP: $ITEST_NAME: $msg"
        echo "########################################################################"
        exit 77
    fi
    itest_error "$msg (set AUDISP_ECS_ALLOW_SKIP=1 to skip instead)"
}

# --------------------------------------------------------------------------
# setup and cleanup

itest_init() {
    [ -n "${1:-}" ] && ITEST_NAME=$1
    itest_require_root
    itest_require_tools

    # One test at a time on the whole machine: the kernel's audit state
    # (rules, the audit daemon's pid) is global, so two checkouts of the
    # tree must not run these tests at once either.
    local lock=${ITEST_LOCK_FILE:-/run/lock/audisp-ecs-itest.lock}
    [ -d "$(dirname "$lock")" ] || lock=${TMPDIR:-/tmp}/audisp-ecs-itest.lock
    exec {ITEST_LOCK_FD}>>"$lock"
    if ! flock -w 1800 "$ITEST_LOCK_FD"; then
        itest_error "timed out waiting for another integration test to finish (lock on $lock)"
    fi

    itest_require_no_other_auditd

    ITEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-itest.$ITEST_NAME.XXXXXX") ||
        itest_error "mktemp failed"
    chmod 0755 "$ITEST_TMP"
    mkdir -p "$ITEST_TMP/etc/plugins.d" "$ITEST_TMP/log" "$ITEST_TMP/out"
    chmod 0750 "$ITEST_TMP/etc" "$ITEST_TMP/etc/plugins.d"

    ITEST_AUDITD_CONF_DIR="$ITEST_TMP/etc"
    ITEST_AUDIT_LOG="$ITEST_TMP/log/audit.log"
    ITEST_PLUGIN_CONF="$ITEST_TMP/audisp-ecs.conf"
    ITEST_EVENTS="$ITEST_TMP/out/events.json"

    # kernel audit settings we may change; restored at cleanup
    local st
    st=$(auditctl -s)
    ITEST_ORIG_ENABLED=$(itest_status_field enabled "$st")
    ITEST_ORIG_BACKLOG=$(itest_status_field backlog_limit "$st")
    ITEST_ORIG_BACKLOG_WAIT=$(itest_status_field backlog_wait_time "$st")
    ITEST_ORIG_RATE=$(itest_status_field rate_limit "$st")
    ITEST_ORIG_LOST=$(itest_status_field lost "$st")
    ITEST_ORIG_FAILURE=$(itest_status_field failure "$st")
    ITEST_ORIG_RATE=$(itest_status_field rate_limit "$st")
    ITEST_ORIG_RULES=$(auditctl -l 2>/dev/null)
    ITEST_STATUS_SAVED=1
    [ -e /run/auditd.state ] || ITEST_STATE_FILE_EXISTED=0

    trap 'itest_cleanup' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    itest_msg "temp dir $ITEST_TMP; plugin $AUDISP_ECS_BIN"
}

# itest_write_auditd_conf: a complete auditd.conf for auditd 3.0.x, private paths.
itest_write_auditd_conf() {
    cat >"$ITEST_AUDITD_CONF_DIR/auditd.conf" <<EOF
# private auditd.conf written by $ITEST_NAME (audisp-ecs integration test)
local_events = yes
write_logs = yes
log_file = $ITEST_AUDIT_LOG
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 1024
num_logs = 0
priority_boost = 0
name_format = NONE
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
verify_email = no
action_mail_acct = root
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
use_libwrap = no
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
transport = TCP
distribute_network = no
q_depth = 65536
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $ITEST_AUDITD_CONF_DIR/plugins.d
end_of_event_timeout = 2
EOF
    chmod 0640 "$ITEST_AUDITD_CONF_DIR/auditd.conf"
}

# itest_write_plugin_dropin: the plugins.d drop-in that makes auditd start us.
itest_write_plugin_dropin() {
    cat >"$ITEST_AUDITD_CONF_DIR/plugins.d/audisp-ecs.conf" <<EOF
active = yes
direction = out
path = $AUDISP_ECS_BIN
type = always
args = -c $ITEST_PLUGIN_CONF
format = string
EOF
    chmod 0640 "$ITEST_AUDITD_CONF_DIR/plugins.d/audisp-ecs.conf"
}

# itest_write_plugin_conf [OUTPUT_PATH]: the plugin's own config (libconfig).
# Written to a temp name and renamed, so a reload never sees a half file.
itest_write_plugin_conf() {
    local out=${1:-$ITEST_EVENTS}
    cat >"$ITEST_PLUGIN_CONF.tmp" <<EOF
# audisp-ecs config written by $ITEST_NAME (integration test)
output: {
  file: {
    path = "$out";
    rotate_every_kb = 102400;
    number_of_files = 7;
    permissions = "0600";
  };
};
# State (agent id, last serial, spool) private to this test.
path: { data = "$ITEST_TMP/data"; };
EOF
    chmod 0600 "$ITEST_PLUGIN_CONF.tmp"
    mv -f "$ITEST_PLUGIN_CONF.tmp" "$ITEST_PLUGIN_CONF"
}

itest_write_configs() {
    itest_write_auditd_conf
    itest_write_plugin_dropin
    itest_write_plugin_conf "$ITEST_EVENTS"
    local out
    if ! out=$("$AUDISP_ECS_BIN" test config -c "$ITEST_PLUGIN_CONF" 2>&1); then
        printf '%s\n' "$out"
        sed 's/^/  | /' "$ITEST_PLUGIN_CONF"
        itest_fail "'audisp-ecs test config -c $ITEST_PLUGIN_CONF' rejected the test config"
    fi
}

# itest_is_plugin PID: PID runs AUDISP_ECS_BIN (directly, or as a script's argument)
itest_is_plugin() {
    local p=$1 argv=()
    [ -n "$p" ] && [ -e "/proc/$p" ] || return 1
    [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] && return 1
    [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$AUDISP_ECS_BIN" ] && return 0
    { mapfile -d '' -t argv <"/proc/$p/cmdline"; } 2>/dev/null
    [ "${argv[0]:-}" = "$AUDISP_ECS_BIN" ] || [ "${argv[1]:-}" = "$AUDISP_ECS_BIN" ]
}

# itest_find_plugin_pid [TIMEOUT_S] [NOT_PID]: the plugin process auditd started
# (a child of AUDITD_PID running AUDISP_ECS_BIN), other than NOT_PID.
itest_find_plugin_pid() {
    local timeout=${1:-5} not=${2:-} end p
    end=$(( $(date +%s) + timeout ))
    while :; do
        for p in $(pgrep -P "$AUDITD_PID" 2>/dev/null); do
            [ "$p" = "$not" ] && continue
            if itest_is_plugin "$p"; then
                echo "$p"
                return 0
            fi
        done
        [ "$(date +%s)" -ge "$end" ] && return 1
        sleep 0.1
    done
}

# itest_start_auditd: start auditd -n -c <private dir> in its own session (so a
# Ctrl-C in the terminal reaches only the test), wait until it owns the kernel
# audit socket and has started the plugin.  Sets AUDITD_PID and PLUGIN_PID
# (empty with ITEST_NO_PLUGIN=1: auditd runs alone).
itest_start_auditd() {
    local kpid i=0 rc
    itest_require_no_other_auditd
    # (without our lock fd: a leftover auditd must not keep the lock)
    setsid auditd -n -c "$ITEST_AUDITD_CONF_DIR" \
        >"$ITEST_TMP/auditd.stdout" 2>"$ITEST_TMP/auditd.stderr" </dev/null {ITEST_LOCK_FD}<&- &
    AUDITD_PID=$!
    while :; do
        kpid=$(itest_status_field pid)
        [ "$kpid" = "$AUDITD_PID" ] && break
        if ! kill -0 "$AUDITD_PID" 2>/dev/null; then
            wait "$AUDITD_PID"; rc=$?
            AUDITD_PID=""
            cat "$ITEST_TMP/auditd.stderr" >&2
            itest_msg "auditd exited with status $rc at startup; running 'auditd -f' for 3 s to show its messages:"
            timeout 3 auditd -f -c "$ITEST_AUDITD_CONF_DIR" </dev/null 2>&1 >/dev/null | tail -n 30 >&2
            auditctl -e "$ITEST_ORIG_ENABLED" >/dev/null 2>&1
            itest_error "auditd did not start (status $rc)"
        fi
        i=$((i + 1))
        if [ "$i" -gt 100 ]; then
            itest_error "auditd (pid $AUDITD_PID) did not register with the kernel within 10 s (auditctl -s pid is '$kpid')"
        fi
        sleep 0.1
    done
    if [ "${ITEST_NO_PLUGIN:-0}" = 1 ]; then
        PLUGIN_PID=""
    else
        PLUGIN_PID=$(itest_find_plugin_pid 5) ||
            itest_fail "auditd (pid $AUDITD_PID) did not start the plugin $AUDISP_ECS_BIN within 5 s (children: $(pgrep -a -P "$AUDITD_PID" | tr '\n' ';'))"
    fi
    # Room for bursts: the default kernel backlog (64) is small.
    auditctl -b 8192 >/dev/null
    itest_msg "auditd pid $AUDITD_PID, plugin pid $PLUGIN_PID"
}

# itest_stop_auditd [TIMEOUT_S]: SIGTERM our auditd and wait for it.
# Sets AUDITD_STATUS.  Returns 1 if it had to be killed.
itest_stop_auditd() {
    local timeout=${1:-15} i=0
    AUDITD_STATUS=""
    [ -n "$AUDITD_PID" ] || return 0
    kill -TERM "$AUDITD_PID" 2>/dev/null
    while kill -0 "$AUDITD_PID" 2>/dev/null; do
        # a zombie child counts as gone; wait reaps it below
        [ "$(awk '{print $3}' "/proc/$AUDITD_PID/stat" 2>/dev/null)" = Z ] && break
        i=$((i + 1))
        if [ "$i" -gt $((timeout * 10)) ]; then
            itest_msg "auditd (pid $AUDITD_PID) did not exit $timeout s after SIGTERM; killing it"
            kill -KILL "$AUDITD_PID" 2>/dev/null
            wait "$AUDITD_PID" 2>/dev/null
            AUDITD_PID=""
            return 1
        fi
        sleep 0.1
    done
    wait "$AUDITD_PID" 2>/dev/null
    # shellcheck disable=SC2034 # read by the tests
    AUDITD_STATUS=$?
    AUDITD_PID=""
    return 0
}

# itest_add_rule AUDITCTL_ARGS...: load a rule (-a/-A/-w) and remember it for cleanup.
itest_add_rule() {
    local out
    if ! out=$(auditctl "$@" 2>&1); then
        itest_error "auditctl $* failed: $out"
    fi
    local IFS=$'\x1f'
    ITEST_RULES+=("$*")
}

# itest_delete_rules: delete exactly the rules we added, newest first.
itest_delete_rules() {
    local i spec args rc=0
    for ((i = ${#ITEST_RULES[@]} - 1; i >= 0; i--)); do
        spec=${ITEST_RULES[$i]}
        IFS=$'\x1f' read -r -a args <<<"$spec"
        case "${args[0]}" in
            -a|-A) args[0]=-d ;;
            -w)    args[0]=-W ;;
        esac
        if ! auditctl "${args[@]}" >/dev/null 2>&1; then
            itest_msg "WARNING: could not delete rule: auditctl ${args[*]}"
            rc=1
        fi
    done
    ITEST_RULES=()
    return $rc
}

# itest_restore_rules: the kernel's rules as they were at itest_init (for
# tests that load whole rule files, which start with -D; set
# ITEST_RESTORE_RULES=1 and cleanup calls it).  Returns 1 if they differ.
itest_restore_rules() {
    local f="$ITEST_TMP/orig.rules"
    auditctl -D >/dev/null 2>&1
    if [ -n "$ITEST_ORIG_RULES" ] && [ "$ITEST_ORIG_RULES" != "No rules" ]; then
        printf '%s\n' "$ITEST_ORIG_RULES" >"$f"
        auditctl -R "$f" >/dev/null 2>&1
    fi
    [ "$(auditctl -l 2>/dev/null)" = "$ITEST_ORIG_RULES" ] || {
        itest_msg "WARNING: could not restore the audit rules of before the test"
        return 1
    }
}

itest_cleanup() {
    local status=$? now_rules p
    [ "$ITEST_CLEANED" = 1 ] && return
    ITEST_CLEANED=1
    trap - INT TERM HUP
    for p in "${ITEST_BG_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    [ "$status" = 0 ] || itest_debug_dump

    itest_delete_rules || status=99
    if [ -n "$AUDITD_PID" ]; then
        itest_stop_auditd 15 || status=99
    fi
    # a plugin process that outlived auditd is ours: stop it
    for p in ${PLUGIN_PID:-} ${ITEST_EXTRA_PIDS:-}; do
        if itest_is_plugin "$p"; then
            itest_msg "WARNING: plugin pid $p still running after auditd stopped; killing it"
            kill -KILL "$p" 2>/dev/null
            [ "$status" = 0 ] && status=1
        fi
    done
    if [ "$ITEST_STATUS_SAVED" = 1 ]; then
        [ -n "$ITEST_ORIG_BACKLOG" ] && auditctl -b "$ITEST_ORIG_BACKLOG" >/dev/null 2>&1
        [ -n "$ITEST_ORIG_RATE" ] && auditctl -r "$ITEST_ORIG_RATE" >/dev/null 2>&1
        [ -n "$ITEST_ORIG_BACKLOG_WAIT" ] &&
            auditctl --backlog_wait_time "$ITEST_ORIG_BACKLOG_WAIT" >/dev/null 2>&1
        [ -n "$ITEST_ORIG_FAILURE" ] && auditctl -f "$ITEST_ORIG_FAILURE" >/dev/null 2>&1
        [ -n "$ITEST_ORIG_RATE" ] && auditctl -r "$ITEST_ORIG_RATE" >/dev/null 2>&1
        [ "${ITEST_RESTORE_RULES:-0}" = 1 ] && { itest_restore_rules || status=99; }
        [ -n "$ITEST_ORIG_ENABLED" ] && auditctl -e "$ITEST_ORIG_ENABLED" >/dev/null 2>&1
        local lost
        lost=$(itest_status_field lost)
        if [ -n "$lost" ] && [ -n "$ITEST_ORIG_LOST" ] && [ "$lost" != "$ITEST_ORIG_LOST" ]; then
            itest_msg "note: the kernel's audit 'lost' counter went from $ITEST_ORIG_LOST to $lost during the test"
        fi
        now_rules=$(auditctl -l 2>/dev/null)
        if [ "$now_rules" != "$ITEST_ORIG_RULES" ]; then
            itest_msg "WARNING: audit rules differ from before the test:"
            diff <(echo "$ITEST_ORIG_RULES") <(echo "$now_rules") >&2
        fi
    fi
    [ "$ITEST_STATE_FILE_EXISTED" = 0 ] && rm -f /run/auditd.state
    if [ -n "$ITEST_TMP" ] && [ -d "$ITEST_TMP" ]; then
        if [ "$status" = 0 ] && [ "${ITEST_KEEP:-0}" != 1 ]; then
            rm -rf "$ITEST_TMP"
        else
            itest_msg "kept $ITEST_TMP for inspection"
        fi
    fi
    exit "$status"
}

# What a human needs to see when a test fails.
itest_debug_dump() {
    [ -n "$ITEST_TMP" ] && [ -d "$ITEST_TMP" ] || return 0
    {
        echo "---- debug ($ITEST_NAME) ----"
        if [ -n "$AUDITD_PID" ]; then
            echo "auditd pid $AUDITD_PID children: $(pgrep -a -P "$AUDITD_PID" | tr '\n' ';')"
            kill -CONT "$AUDITD_PID" 2>/dev/null && sleep 0.5 &&
                [ -r /run/auditd.state ] && sed 's/^/  state| /' /run/auditd.state
        fi
        if [ -s "$ITEST_TMP/auditd.stderr" ]; then
            echo "auditd stderr:"; tail -n 20 "$ITEST_TMP/auditd.stderr" | sed 's/^/  | /'
        fi
        local f
        for f in "$ITEST_TMP"/out/*; do
            [ -e "$f" ] || continue
            echo "output file $f: $(wc -l <"$f") line(s), last 3 documents:"
            "$ITEST_PYTHON" "$ITEST_PY" summary --show 3 "$f" 2>&1 | sed 's/^/  | /'
        done
        echo "auditd log $ITEST_AUDIT_LOG: $(wc -l <"$ITEST_AUDIT_LOG" 2>/dev/null || echo 0) line(s)"
        echo "---------------------------"
    } >&2
}

# --------------------------------------------------------------------------
# observing documents

# itest_wait_doc TIMEOUT_S PY_EXPR [FILE...]: wait until a document d matching
# the Python expression appears (helpers: get(d,"a.b"), has(d,"a.b"), tags(d));
# print it (one JSON line) and return 0, or print diagnostics and return 1.
itest_wait_doc() {
    local timeout=$1 expr=$2
    shift 2
    [ $# -gt 0 ] || set -- "$ITEST_EVENTS"
    "$ITEST_PYTHON" "$ITEST_PY" wait --timeout "$timeout" --expr "$expr" "$@"
}

# itest_check_doc DOC WHAT [ARG...] <<'PY' ... PY: checks of one document
# (its JSON text) in Python.  The checks on stdin run with d, the document,
# c, an ecsq.Checker of it named WHAT, and args, the ARGs; the status is
# that of c.report().
itest_check_doc() {
    local doc=$1 what=$2
    shift 2
    ITEST_DOC=$doc ITEST_WHAT=$what "$ITEST_PYTHON" -c '
import json, os, sys
sys.path.insert(0, sys.argv[1])
import ecsq
d = json.loads(os.environ["ITEST_DOC"])
c = ecsq.Checker(d, os.environ["ITEST_WHAT"])
args = sys.argv[2:]
exec(sys.stdin.read())
sys.exit(c.report())
' "$ITEST_DIR" "$@"
}

# itest_noloss KEY TIMEOUT_S [--min-seq N] FILE...: every event with KEY in
# auditd's log (with sequence >= N) is in the output files exactly once.
itest_noloss() {
    local key=$1 timeout=$2
    shift 2
    [ $# -gt 0 ] || set -- "$ITEST_EVENTS"
    "$ITEST_PYTHON" "$ITEST_PY" noloss --key "$key" --log "$ITEST_AUDIT_LOG" --timeout "$timeout" "$@"
}

# itest_log_has_key KEY: auditd's log has at least one event with KEY.
itest_log_count_key() {
    "$ITEST_PYTHON" "$ITEST_PY" logseqs --key "$1" "$ITEST_AUDIT_LOG" | wc -l
}

# itest_bg_wait PID: register a background helper (stopped at cleanup) and
# wait for it; unlike a foreground command, the wait lets Ctrl-C/SIGTERM
# reach our traps at once.  Returns the helper's exit status.
itest_bg_wait() {
    ITEST_BG_PIDS+=("$1")
    wait "$1"
}

# itest_now: epoch seconds with fractions
itest_now() { date +%s.%N; }

# --------------------------------------------------------------------------
# the Logstash output, the Lumberjack test server, load and syslog helpers

ITEST_PEERS_DIR="$ITEST_SRC_TOP/tests/peers"
LJ_PID=""               # the Lumberjack test server (itest_start_lj_server)
LJ_PORT=""
ITEST_SYSLOG=""         # file with what was sent to /dev/log (itest_capture_syslog)

# itest_free_port: a TCP port free on 127.0.0.1 now, below the ephemeral port
# range (so that no outgoing connection, e.g. the plugin's own reconnection
# attempts while the server is down, can be given it as its local port).
itest_free_port() {
    "$ITEST_PYTHON" - <<'PY'
import random, socket
try:
    lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    lo = 32768
hi = min(lo, 32768) - 1
for _ in range(200):
    port = random.randint(max(1024, hi - 12000), hi)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    raise SystemExit(0)
raise SystemExit(1)
PY
}

# itest_write_output_conf WHAT OUTPUT [TOP_EXTRA]: the plugin's config with
# OUTPUT (libconfig text: the settings inside output { }, e.g.
# '  logstash: { ... };') instead of the file output; WHAT names it in the
# file's first comment.  State (agent id, last serial), the spool and the
# dead-letter file are private to the test, in ITEST_DATA_DIR (default
# $ITEST_TMP/data, spool in ITEST_SPOOL_DIR, its "spool").  (auditd 3.0
# gives its plugins no stderr: the plugin's messages are only in syslog,
# see itest_capture_syslog.)  TOP_EXTRA is put at the top level (e.g. a
# queue section).  Written to a temp name and renamed; the file is checked
# with "audisp-ecs test config".
itest_write_output_conf() {
    local what=$1 output=$2 top_extra=${3:-} out
    ITEST_DATA_DIR=${ITEST_DATA_DIR:-$ITEST_TMP/data}
    # shellcheck disable=SC2034 # read by the tests
    ITEST_SPOOL_DIR="$ITEST_DATA_DIR/spool"
    cat >"$ITEST_PLUGIN_CONF.tmp" <<EOF
# audisp-ecs config written by $ITEST_NAME (integration test): $what
output: {
$output
};
# State (agent id, last serial), spool and dead-letter file private to this test.
path: { data = "$ITEST_DATA_DIR"; };
$top_extra
EOF
    chmod 0600 "$ITEST_PLUGIN_CONF.tmp"
    mv -f "$ITEST_PLUGIN_CONF.tmp" "$ITEST_PLUGIN_CONF"
    if ! out=$("$AUDISP_ECS_BIN" test config -c "$ITEST_PLUGIN_CONF" 2>&1); then
        printf '%s\n' "$out"
        sed 's/^/  | /' "$ITEST_PLUGIN_CONF"
        itest_fail "'audisp-ecs test config -c $ITEST_PLUGIN_CONF' rejected the test config"
    fi
}

# itest_write_logstash_conf HOST:PORT[,HOST:PORT...] [LOGSTASH_EXTRA [TOP_EXTRA]]:
# the plugin's config with the Logstash output (plain TCP) instead of the
# file one, written by itest_write_output_conf (see there: ITEST_DATA_DIR,
# ITEST_SPOOL_DIR, the check with "audisp-ecs test config").
# LOGSTASH_EXTRA is libconfig text put inside output.logstash (e.g.
# 'backoff: { init = "200ms"; max = "2s"; };'), TOP_EXTRA at the top level
# (e.g. a queue section).
itest_write_logstash_conf() {
    local hosts="" h
    local IFS=,
    for h in $1; do
        hosts="${hosts:+$hosts, }\"$h\""
    done
    unset IFS
    itest_write_output_conf "Logstash output" "  logstash: {
    hosts = [ $hosts ];
    ssl: { enabled = false; };
    ${2:-}
  };" "${3:-}"
}

# itest_write_configs_logstash HOSTS [LOGSTASH_EXTRA [TOP_EXTRA]]: as
# itest_write_configs, with the Logstash output (itest_write_logstash_conf).
itest_write_configs_logstash() {
    itest_write_auditd_conf
    itest_write_plugin_dropin
    itest_write_logstash_conf "$@"
}

# itest_start_lj_server NAME [SERVER_ARGS...]: start the Lumberjack test
# server (tests/peers/lumberjack_server.py; listening on an ephemeral port
# unless SERVER_ARGS has --listen) with its stdout and stderr appended to
# $ITEST_TMP/NAME.stdout and .stderr; wait for its LISTENING line.  Sets
# LJ_PID and LJ_PORT.  It is stopped at cleanup if still running.
itest_start_lj_server() {
    local name=$1
    shift
    itest_start_peer "the Lumberjack test server" lumberjack_server.py "$name" \
        --listen 127.0.0.1:0 "$@"
    LJ_PID=$ITEST_PEER_PID
    # shellcheck disable=SC2034 # read by the tests
    LJ_PORT=$ITEST_PEER_PORT
}

# itest_start_peer WHAT SCRIPT NAME [SERVER_ARGS...]: start the test server
# SCRIPT (in ITEST_PEERS_DIR; WHAT names it in errors) with its stdout and
# stderr appended to $ITEST_TMP/NAME.stdout and .stderr; wait (10 s at
# most) for its next LISTENING line.  Sets ITEST_PEER_PID and
# ITEST_PEER_PORT.  It is stopped at cleanup if still running.
itest_start_peer() {
    local what=$1 script=$2 name=$3 i=0 line
    shift 3
    local so="$ITEST_TMP/$name.stdout" se="$ITEST_TMP/$name.stderr" before
    touch "$so"
    before=$(grep -c '^LISTENING ' "$so")
    "$ITEST_PYTHON" "$ITEST_PEERS_DIR/$script" "$@" \
        >>"$so" 2>>"$se" </dev/null {ITEST_LOCK_FD}<&- &
    ITEST_PEER_PID=$!
    ITEST_BG_PIDS+=("$ITEST_PEER_PID")
    while :; do
        line=$(grep '^LISTENING ' "$so" | sed -n "$((before + 1))p")
        [ -n "$line" ] && break
        if ! kill -0 "$ITEST_PEER_PID" 2>/dev/null; then
            tail -n 20 "$se" >&2
            ITEST_PEER_PID=""
            itest_error "$what did not start ($*)"
        fi
        i=$((i + 1))
        [ "$i" -gt 200 ] && itest_error "$what did not listen within 10 s"
        sleep 0.05
    done
    ITEST_PEER_PORT=${line#LISTENING }
}

# itest_stop_auditd_and_plugin PID: stop auditd (15 s at most), then give
# the plugin, pid PID, 5 s to exit after it; 1, with a FAIL line, if either
# did not.
itest_stop_auditd_and_plugin() {
    local rc=0
    itest_stop_auditd 15 || { echo "FAIL: auditd did not stop"; rc=1; }
    for _ in $(seq 50); do itest_is_plugin "$1" || break; sleep 0.1; done
    if itest_is_plugin "$1"; then
        echo "FAIL: the plugin (pid $1) still runs 5 s after auditd stopped"
        rc=1
    fi
    return "$rc"
}

# itest_forget_bg PID: PID was waited for, so cleanup has not to stop it.
itest_forget_bg() {
    local p keep=()
    for p in "${ITEST_BG_PIDS[@]}"; do
        [ "$p" = "$1" ] || keep+=("$p")
    done
    ITEST_BG_PIDS=("${keep[@]}")
}

# itest_stop_bg PID: SIGTERM to a background helper, wait for it, forget it.
itest_stop_bg() {
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    itest_forget_bg "$1"
}

# itest_stop_lj_server [SIGNAL]: stop the server (default TERM: it closes its
# connections and writes its stats; KILL: a crash) and wait for it.
itest_stop_lj_server() {
    local sig=${1:-TERM} i=0
    [ -n "$LJ_PID" ] || return 0
    # (no "Killed" job notice from bash on stderr)
    exec {ITEST_SAVED_STDERR}>&2 2>/dev/null
    kill -"$sig" "$LJ_PID" 2>/dev/null
    while kill -0 "$LJ_PID" 2>/dev/null; do
        i=$((i + 1))
        if [ "$i" -gt 150 ]; then
            itest_msg "the Lumberjack server (pid $LJ_PID) ignored SIG$sig for 15 s; killing it" 2>&"$ITEST_SAVED_STDERR"
            kill -KILL "$LJ_PID" 2>/dev/null
        fi
        sleep 0.1
    done
    wait "$LJ_PID" 2>/dev/null
    exec 2>&"$ITEST_SAVED_STDERR" {ITEST_SAVED_STDERR}>&-
    itest_forget_bg "$LJ_PID"
    LJ_PID=""
}

# itest_start_exec_load RATE OUT_FILE ARG...: in the background, exec
# "/bin/true ARG... N" (N = 1, 2, ...) RATE times a second, evenly paced
# (a late start is caught up with, but never more than 0.2 s worth at once),
# until SIGTERM; then it writes "N ELAPSED_S" (execs, seconds) to OUT_FILE.
# Sets ITEST_LOAD_PID; itest_stop_exec_load stops it.
itest_start_exec_load() {
    itest_start_load exec "$@"
}

# itest_start_open_load RATE OUT_FILE FILE: as itest_start_exec_load, but
# each action opens FILE for reading and closes it: one cheap syscall
# event, for loads above what a host can exec.  Stopped by
# itest_stop_exec_load as well.
itest_start_open_load() {
    itest_start_load open "$@"
}

# itest_start_load KIND RATE OUT_FILE ARG...: the paced loop behind the two
# above; KIND is exec or open.
itest_start_load() {
    local kind=$1 rate=$2 out=$3
    shift 3
    "$ITEST_PYTHON" - "$kind" "$rate" "$out" "$@" <<'PY' {ITEST_LOCK_FD}<&- &
import os, signal, sys, time
kind, rate, out, args = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)
def reap(block=False):
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
t0 = time.monotonic()
base, done = t0, 0       # schedule: execution k is due at base + k / rate
n = 0
while not stop:
    now = time.monotonic()
    due = int((now - base) * rate) - done
    if due > rate * 0.2:              # too late: do not burst, shift the schedule
        base = now - (done + rate * 0.2) / rate
        due = int(rate * 0.2)
    for _ in range(max(0, due)):
        n += 1
        if kind == "open":
            os.close(os.open(args[0], os.O_RDONLY))
        else:
            os.posix_spawn("/bin/true", ["/bin/true"] + args + [str(n)], env)
        done += 1
        if stop:
            break
    reap()
    time.sleep(0.002)
elapsed = time.monotonic() - t0
reap(block=True)
with open(out, "w") as fh:
    fh.write("%d %.3f\n" % (n, elapsed))
PY
    ITEST_LOAD_PID=$!
    ITEST_BG_PIDS+=("$ITEST_LOAD_PID")
}

# itest_stop_exec_load: stop the load and wait for it.
itest_stop_exec_load() {
    [ -n "${ITEST_LOAD_PID:-}" ] || return 0
    itest_stop_bg "$ITEST_LOAD_PID"
    ITEST_LOAD_PID=""
}

# itest_capture_syslog: where no syslog daemon listens (no /dev/log, or a
# stale socket nobody reads), listen on /dev/log ourselves until the test
# ends, appending each message as a line to $ITEST_TMP/syslog.txt (set in
# ITEST_SYSLOG), so that what auditd (e.g. "queue to plugins is full") and
# the plugin send to syslog can be checked.  Call it before
# itest_start_auditd.  Returns 1 (ITEST_SYSLOG empty) when a syslog daemon
# owns /dev/log: then its messages are in the system's log, not here.
itest_capture_syslog() {
    local i=0
    ITEST_SYSLOG=""
    # (a listener of a test that has just ended may take a moment to go)
    while [ -e /dev/log ] || [ -L /dev/log ]; do
        if "$ITEST_PYTHON" -c '
import socket, sys
for t in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
    s = socket.socket(socket.AF_UNIX, t)
    try:
        s.connect("/dev/log"); sys.exit(0)
    except OSError:
        pass
sys.exit(1)' 2>/dev/null; then
            i=$((i + 1))
            [ "$i" -le 20 ] && { sleep 0.1; continue; }
            itest_msg "a syslog daemon owns /dev/log: syslog messages are in the system's log"
            return 1
        fi
        [ -S /dev/log ] && [ ! -L /dev/log ] || return 1   # not a stale socket: leave it
        break
    done
    i=0
    : >"$ITEST_TMP/syslog.txt"
    "$ITEST_PYTHON" - "$ITEST_TMP/syslog.txt" "$$" <<'PY' >/dev/null 2>&1 {ITEST_LOCK_FD}<&- &
import os, select, signal, socket, sys, time
out, parent = sys.argv[1], int(sys.argv[2])
path = "/dev/log"
try:
    os.unlink(path)                 # a stale socket (checked by the caller)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
ino = os.stat(path).st_ino
class Stop(Exception):
    pass
def on_term(*_):
    raise Stop()                    # at once, even from inside select()
signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGINT, on_term)
try:
    with open(out, "ab", buffering=0) as fh:
        while os.getppid() == parent:       # else the test is gone
            r, _, _ = select.select([s], [], [], 0.5)
            if r:
                msg = s.recv(65536).rstrip(b"\0\n")
                fh.write(b"%.3f " % time.time() + msg.replace(b"\n", b" ") + b"\n")
except Stop:
    pass
finally:
    try:
        if os.stat(path).st_ino == ino:
            os.unlink(path)
    except OSError:
        pass
PY
    ITEST_BG_PIDS+=("$!")
    while [ ! -S /dev/log ] && [ "$i" -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -S /dev/log ] || { itest_msg "could not listen on /dev/log"; return 1; }
    # shellcheck disable=SC2034 # read by the tests
    ITEST_SYSLOG="$ITEST_TMP/syslog.txt"
}

# itest_auditd_state: auditd's state report (SIGCONT makes auditd 3.0 write
# /run/auditd.state), on stdout.
itest_auditd_state() {
    [ -n "$AUDITD_PID" ] || return 1
    kill -CONT "$AUDITD_PID" 2>/dev/null || return 1
    sleep 0.5
    cat /run/auditd.state 2>/dev/null
}

# itest_wait_log_marker TEXT [TIMEOUT_S]: send a user message with TEXT
# (auditctl -m) and wait until auditd's log has it: everything the kernel
# gave auditd before is in the log then.
itest_wait_log_marker() {
    local text=$1 timeout=${2:-30} i=0
    auditctl -m "$text" >/dev/null 2>&1 || return 1
    while ! grep -a -q -F "$text" "$ITEST_AUDIT_LOG"; do
        i=$((i + 1))
        [ "$i" -gt $((timeout * 5)) ] && return 1
        sleep 0.2
    done
}
