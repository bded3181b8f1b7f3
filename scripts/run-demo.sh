#!/bin/bash
# Run audisp-ecs for real, on a fresh Debian 12 machine, as root:
#
#   sudo scripts/run-demo.sh
#
# 1. installs the build dependencies and auditd (scripts/deps.sh),
# 2. builds audisp-ecs (./bootstrap && ./configure && make),
# 3. starts a private auditd (its own auditd.conf, log, plugins.d and plugin
#    config, all in one temp dir; nothing under /etc/audit is read or
#    changed, and other plugins there such as laurel are not started) with
#    audisp-ecs as its only plugin,
# 4. loads the sample rules in scripts/demo.rules,
# 5. prints the output file's path and follows it (pretty-printed JSON)
#    until Ctrl-C.
#
# On Ctrl-C (or any exit) it deletes exactly the rules it loaded, stops the
# auditd it started, restores the kernel audit settings it changed and
# removes its temp dir (--keep to keep it): the machine is left as it was.
# It refuses to run next to another audit daemon (e.g. systemd's
# auditd.service): only one can hold the kernel's audit socket.
#
# Options:
#   --skip-deps   do not run apt-get (dependencies already installed)
#   --skip-build  use the existing ./audisp-ecs
#   --keep        keep the temp dir (events, auditd log) after exit
#   --view pretty|summary|raw
#                 how to show documents: indented JSON (default, needs
#                 python3), one line per document, or the file as is
#   -h, --help    this text

set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RULES_FILE="$TOP/scripts/demo.rules"
SKIP_DEPS=0 SKIP_BUILD=0 KEEP=0 VIEW=pretty

if [ -t 2 ]; then
    say() { printf '\033[1m[demo]\033[0m %s\n' "$*" >&2; }
else
    say() { printf '[demo] %s\n' "$*" >&2; }
fi
die()  { printf '[demo] error: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }

while [ $# -gt 0 ]; do
    case $1 in
        --skip-deps)  SKIP_DEPS=1 ;;
        --skip-build) SKIP_BUILD=1 ;;
        --keep)       KEEP=1 ;;
        --view)       shift; VIEW=${1:-} ;;
        --view=*)     VIEW=${1#--view=} ;;
        -h|--help)    usage; exit 0 ;;
        *)            usage >&2; die "unknown option: $1" ;;
    esac
    shift
done
case $VIEW in pretty|summary|raw) ;; *) die "--view must be pretty, summary or raw" ;; esac

[ "$(id -u)" = 0 ] || die "run as root (it starts auditd and loads audit rules): sudo $0"
PATH=$PATH:/usr/sbin:/sbin

status_field() {   # NAME [TEXT]: a value from "auditctl -s"
    local text=${2:-}
    [ -n "$text" ] || text=$(auditctl -s 2>/dev/null)
    awk -v k="$1" '$1 == k { print $2; exit }' <<<"$text"
}

# Is an audit daemon (auditd, auditbeat, go-audit ...) already running?
other_audit_daemon() {
    local kpid
    kpid=$(status_field pid)
    if [ -n "$kpid" ] && [ "$kpid" != 0 ]; then
        echo "$kpid"
    else
        pgrep -x auditd | head -n 1
    fi
}

explain_other_daemon() {
    local pid=$1 comm
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || echo "?")
    cat >&2 <<EOF
[demo] An audit daemon is already running: $comm (pid $pid).

Only one program can hold the kernel's audit socket, and this demo runs its
own private auditd, so it will not start next to it.  Either:

  * stop the running one for the demo (auditd.service refuses "systemctl
    stop"; this asks auditd itself to exit) and start it again afterwards:
        auditctl --signal TERM        # then, after the demo:
        systemctl start auditd
  * or run audisp-ecs under the system auditd instead: install the binary,
    a config (see README) and etc/plugins.d/audisp-ecs.conf (active = yes)
    into /etc/audit/plugins.d/, then reload it: auditctl --signal HUP
EOF
}

# ------------------------------------------------------------------ checks
if pid=$(other_audit_daemon) && [ -n "$pid" ]; then
    explain_other_daemon "$pid"
    exit 1
fi

# ------------------------------------------------------------------ deps
if [ "$SKIP_DEPS" = 0 ]; then
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found: this script is for Debian 12; install the dependencies yourself and use --skip-deps"
    say "installing build dependencies and auditd (scripts/deps.sh)"
    sh "$TOP/scripts/deps.sh" || die "installing the dependencies failed"
    if pid=$(other_audit_daemon) && [ -n "$pid" ]; then
        explain_other_daemon "$pid"
        exit 1
    fi
fi
if ! command -v auditd >/dev/null 2>&1 || ! command -v auditctl >/dev/null 2>&1; then
    die "auditd/auditctl not found: apt-get install auditd"
fi

# ------------------------------------------------------------------ build
BIN="$TOP/audisp-ecs"
if [ "$SKIP_BUILD" = 0 ]; then
    say "building audisp-ecs in $TOP"
    (
        cd "$TOP" || exit 1
        { [ -x configure ] || ./bootstrap; } &&
        { [ -f Makefile ] || ./configure; } &&
        make -j"$(nproc)"
    ) || die "the build failed"
fi
[ -x "$BIN" ] || die "$BIN not found: build it (./bootstrap && ./configure && make) or drop --skip-build"
BIN=$(readlink -f "$BIN")

# ------------------------------------------------------------------ private config
ST=$(auditctl -s 2>&1) || die "auditctl -s failed; is audit enabled in this kernel? ($ST)"
if [ "$(status_field enabled "$ST")" = 2 ]; then
    die "the kernel audit configuration is locked (auditctl -e 2): rules cannot be loaded until reboot"
fi
ORIG_ENABLED=$(status_field enabled "$ST")
ORIG_BACKLOG=$(status_field backlog_limit "$ST")
ORIG_BACKLOG_WAIT=$(status_field backlog_wait_time "$ST")
STATE_FILE_EXISTED=0
[ -e /run/auditd.state ] && STATE_FILE_EXISTED=1

DIR=$(mktemp -d /tmp/audisp-ecs-demo.XXXXXX) || die "mktemp failed"
chmod 0755 "$DIR"
mkdir -p "$DIR/etc/plugins.d" "$DIR/log" "$DIR/out"
chmod 0750 "$DIR/etc" "$DIR/etc/plugins.d"
OUT="$DIR/out/events.json"
AUDIT_LOG="$DIR/log/audit.log"
PLUGIN_CONF="$DIR/audisp-ecs.conf"

AUDITD_PID=""
VIEWER_PID=""
LOADED_RULES=()     # each a \x1f-joined auditctl argument list
CLEANED=0

cleanup() {
    local rc=$? spec args i
    [ "$CLEANED" = 1 ] && return
    CLEANED=1
    trap - INT TERM HUP
    echo >&2
    [ -n "$VIEWER_PID" ] && kill "$VIEWER_PID" 2>/dev/null && wait "$VIEWER_PID" 2>/dev/null
    if [ ${#LOADED_RULES[@]} -gt 0 ]; then
        say "deleting the ${#LOADED_RULES[@]} rules the demo loaded"
        for ((i = ${#LOADED_RULES[@]} - 1; i >= 0; i--)); do
            spec=${LOADED_RULES[$i]}
            IFS=$'\x1f' read -r -a args <<<"$spec"
            case ${args[0]} in -a|-A) args[0]=-d ;; -w) args[0]=-W ;; esac
            auditctl "${args[@]}" >/dev/null 2>&1 || say "warning: could not delete: auditctl ${args[*]}"
        done
    fi
    if [ -n "$AUDITD_PID" ] && kill -0 "$AUDITD_PID" 2>/dev/null; then
        say "stopping auditd (pid $AUDITD_PID)"
        kill -TERM "$AUDITD_PID"
        for i in $(seq 150); do
            kill -0 "$AUDITD_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$AUDITD_PID" 2>/dev/null; then
            say "auditd did not stop within 15 s; killing it"
            kill -KILL "$AUDITD_PID" 2>/dev/null
        fi
        wait "$AUDITD_PID" 2>/dev/null
    fi
    [ -n "$ORIG_BACKLOG" ] && auditctl -b "$ORIG_BACKLOG" >/dev/null 2>&1
    [ -n "$ORIG_BACKLOG_WAIT" ] && auditctl --backlog_wait_time "$ORIG_BACKLOG_WAIT" >/dev/null 2>&1
    [ -n "$ORIG_ENABLED" ] && auditctl -e "$ORIG_ENABLED" >/dev/null 2>&1
    [ "$STATE_FILE_EXISTED" = 0 ] && rm -f /run/auditd.state
    if [ "$KEEP" = 1 ]; then
        say "kept $DIR (events: $OUT, auditd log: $AUDIT_LOG)"
    else
        local n=0
        [ -f "$OUT" ] && n=$(wc -l <"$OUT")
        rm -rf "$DIR"
        say "removed $DIR ($n documents had been written; --keep keeps them)"
    fi
    say "done: the audit rules and kernel audit settings are as before the demo"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 0' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

cat >"$DIR/etc/auditd.conf" <<EOF
# private auditd.conf of the audisp-ecs demo (scripts/run-demo.sh)
local_events = yes
write_logs = yes
log_file = $AUDIT_LOG
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 100
num_logs = 2
priority_boost = 4
name_format = NONE
max_log_file_action = ROTATE
space_left = 75
space_left_action = SYSLOG
verify_email = no
action_mail_acct = root
admin_space_left = 50
admin_space_left_action = SYSLOG
disk_full_action = SYSLOG
disk_error_action = SYSLOG
use_libwrap = no
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
transport = TCP
distribute_network = no
q_depth = 10000
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $DIR/etc/plugins.d
end_of_event_timeout = 2
EOF
chmod 0640 "$DIR/etc/auditd.conf"

cat >"$DIR/etc/plugins.d/audisp-ecs.conf" <<EOF
active = yes
direction = out
path = $BIN
type = always
args = -c $PLUGIN_CONF
format = string
EOF
chmod 0640 "$DIR/etc/plugins.d/audisp-ecs.conf"

cat >"$PLUGIN_CONF" <<EOF
# audisp-ecs config of the demo (scripts/run-demo.sh)
output: {
  file: {
    path = "$OUT";
    rotate_every_kb = 10240;
    number_of_files = 7;
    permissions = "0600";
  };
};
EOF
chmod 0600 "$PLUGIN_CONF"
if ! msg=$("$BIN" test config -c "$PLUGIN_CONF" 2>&1); then
    printf '%s\n' "$msg" >&2
    die "audisp-ecs rejected the demo config $PLUGIN_CONF"
fi

# ------------------------------------------------------------------ auditd
# In its own session, so that Ctrl-C in this terminal reaches only the demo,
# which then stops auditd (and with it the plugin) in order.
setsid auditd -n -c "$DIR/etc" >"$DIR/auditd.out" 2>&1 </dev/null &
AUDITD_PID=$!
for i in $(seq 100); do
    [ "$(status_field pid)" = "$AUDITD_PID" ] && break
    if ! kill -0 "$AUDITD_PID" 2>/dev/null; then
        wait "$AUDITD_PID"; rc=$?
        AUDITD_PID=""
        say "auditd exited at start-up (status $rc); its messages in the foreground:"
        timeout 3 auditd -f -c "$DIR/etc" </dev/null 2>&1 >/dev/null | tail -n 20 >&2
        die "auditd did not start"
    fi
    sleep 0.1
done
[ "$(status_field pid)" = "$AUDITD_PID" ] ||
    die "auditd (pid $AUDITD_PID) did not register with the kernel within 10 s"
PLUGIN_PID=""
for i in $(seq 50); do
    for p in $(pgrep -P "$AUDITD_PID"); do
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$BIN" ] && PLUGIN_PID=$p
    done
    [ -n "$PLUGIN_PID" ] && break
    sleep 0.1
done
[ -n "$PLUGIN_PID" ] || die "auditd did not start the plugin $BIN"
auditctl -b 8192 >/dev/null 2>&1
say "auditd pid $AUDITD_PID is running audisp-ecs (pid $PLUGIN_PID)"

# ------------------------------------------------------------------ rules
n=0
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    read -r -a args <<<"$line"
    [ ${#args[@]} -eq 0 ] && continue
    case ${args[0]} in
        -a|-A|-w) ;;
        *) say "skipping '$line' in $RULES_FILE: only -a/-A/-w rules are loaded"; continue ;;
    esac
    if out=$(auditctl "${args[@]}" 2>&1); then
        LOADED_RULES+=("$(IFS=$'\x1f'; echo "${args[*]}")")
        n=$((n + 1))
    else
        say "warning: rule not loaded: ${args[*]}: $out"
    fi
done <"$RULES_FILE"
say "loaded $n rules from $RULES_FILE"

# ------------------------------------------------------------------ follow
cat >&2 <<EOF

  ECS documents are written to:   $OUT
  auditd's own log (for comparison): $AUDIT_LOG

  Try, in another terminal:
    setpriv --reuid=65534 --regid=65534 --clear-groups cat /etc/shadow   # denied open
    ls /tmp                                                                # executed
    hostname "\$(hostname)"                                                # sethostname

  Ctrl-C stops the demo and puts everything back.

EOF

follow_pretty() {   # MODE (pretty|summary): follow OUT like tail -F, formatted
    exec python3 -u - "$OUT" "$1" <<'PY'
import json, os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_DFL)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
path, mode = sys.argv[1], sys.argv[2]

def get(d, dotted):
    for k in dotted.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d

def show(line):
    try:
        d = json.loads(line)
    except ValueError:
        print(line.rstrip("\n"))
        return
    if mode == "pretty":
        print(json.dumps(d, indent=2, ensure_ascii=False))
        return
    who = get(d, "user.name") or get(d, "user.id")
    what = get(d, "process.args") or get(d, "process.executable")
    if isinstance(what, list):
        what = " ".join(what)
    print("%s %-14s %-8s user=%s %s %s %s" % (
        get(d, "@timestamp"), get(d, "event.action"), get(d, "event.outcome"), who,
        what or "", get(d, "file.path") or "", ",".join(get(d, "tags") or [])))

fh, ino, buf = None, None, ""
while True:
    if fh is None:
        try:
            fh = open(path, "r", encoding="utf-8", errors="replace")
            ino = os.fstat(fh.fileno()).st_ino
        except OSError:
            time.sleep(0.2)
            continue
    chunk = fh.read()
    if chunk:
        buf += chunk
        *lines, buf = buf.split("\n")
        for line in lines:
            if line.strip():
                show(line)
        continue
    try:
        st = os.stat(path)
        if st.st_ino != ino or st.st_size < fh.tell():   # rotated or truncated
            fh.close()
            fh, buf = None, ""
            continue
    except OSError:
        pass
    time.sleep(0.2)
PY
}

if [ "$VIEW" != raw ] && ! command -v python3 >/dev/null 2>&1; then
    say "python3 not found: showing the raw file"
    VIEW=raw
fi
if [ "$VIEW" = raw ]; then
    tail -n +1 -F "$OUT" 2>/dev/null &
else
    follow_pretty "$VIEW" &
fi
VIEWER_PID=$!

# Wait here (not in the viewer) so that Ctrl-C runs the cleanup at once.
while :; do
    if ! kill -0 "$AUDITD_PID" 2>/dev/null; then
        wait "$AUDITD_PID"; rc=$?
        AUDITD_PID=""
        say "auditd exited unexpectedly (status $rc)"
        exit 1
    fi
    kill -0 "$VIEWER_PID" 2>/dev/null || { say "the viewer stopped"; exit 1; }
    sleep 1
done
