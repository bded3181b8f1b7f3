#!/bin/bash
# Clean shutdown:
#  1. the plugin receiving SIGTERM directly (auditd running) exits within 5 s,
#     with exit status 0 (seen through an audit rule on its exit_group call);
#  2. SIGTERM to auditd: the plugin exits within 5 s and every event auditd
#     logged before the stop is in the output file, including a last
#     single-record event that was still "open" when the stop came;
#  3. the same with a burst in flight: the plugin is SIGSTOPped while events
#     pile up in its stdin socket, auditd gets SIGTERM, the plugin is
#     continued.  (auditd 3.0's dispatcher thread is then blocked writing to
#     the plugin; once the plugin has read enough for that write to finish,
#     auditd sends the plugin SIGTERM, waits 3 s "to clear the queue" and
#     exits.)  So the plugin gets SIGTERM with the burst in its internal
#     queues: every event that was entirely in the socket (known from the
#     socket's Recv-Q, ss -x) must reach the output.  Events still in auditd's
#     own queue at the stop are dropped by auditd, not counted.
. "$(dirname "$0")/lib.sh" || exit 99
itest_init clean-exit
itest_write_configs
itest_start_auditd
itest_add_rule -a always,exit -F arch=b64 -S execve -k itest_clean

status=0
marker="itest-clean-$$"

# gone PID: the process no longer exists (or is a zombie waiting to be reaped)
gone() {
    [ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] ||
        ! itest_is_plugin "$1"
}

# wait_gone PID LIMIT_S: prints the seconds it took; returns 1 after LIMIT_S
wait_gone() {
    local pid=$1 limit=$2 t0 now
    t0=$(itest_now)
    while ! gone "$pid"; do
        now=$(itest_now)
        if awk -v a="$t0" -v b="$now" -v l="$limit" 'BEGIN{exit !(b - a > l)}'; then
            echo "$limit+"
            return 1
        fi
        sleep 0.05
    done
    awk -v a="$t0" -v b="$(itest_now)" 'BEGIN{printf "%.2f\n", b - a}'
}

# expect_exit PART PID AFTER: plugin PID exits within 5 s (AFTER says of
# what, "after ..."); prints how long it took, or a FAIL and returns 1.
expect_exit() {
    local took
    if took=$(wait_gone "$2" 5); then
        echo "$1: plugin pid $2 exited $took s $3"
    else
        echo "FAIL: $1: plugin pid $2 still running 5 s $3"
        return 1
    fi
}

# exit_status_from_log PID: the a0 of the exit_group syscall PID made, from auditd's log
exit_status_from_log() {
    "$ITEST_PYTHON" - "$ITEST_AUDIT_LOG" "$1" <<'PY'
import re, sys
log, pid = sys.argv[1], sys.argv[2]
for line in open(log, "rb"):
    line = line.decode("utf-8", "replace").split("\x1d")[0]
    if line.startswith("type=SYSCALL") and " syscall=231 " in line and (" pid=%s " % pid) in line:
        m = re.search(r" a0=([0-9a-fA-F]+) ", line)
        if m:
            print(int(m.group(1), 16))
            sys.exit(0)
sys.exit(1)
PY
}

# ------------------------------------------------------------------ part 1
old=$PLUGIN_PID
ITEST_EXTRA_PIDS="$old"
itest_add_rule -a always,exit -F arch=b64 -S exit_group -F pid="$old" -k itest_plugin_exit
for i in $(seq 20); do /bin/true "$marker-a-$i"; done
itest_noloss itest_clean 15 "$ITEST_EVENTS" >"$ITEST_TMP/noloss1.txt" ||
    { cat "$ITEST_TMP/noloss1.txt"; itest_fail "events were lost before any signal was sent"; }

kill -TERM "$old"
expect_exit "part 1" "$old" "after SIGTERM" || status=1
code=""
for _ in $(seq 30); do
    code=$(exit_status_from_log "$old") && break
    sleep 0.1
done
if [ -z "$code" ]; then
    echo "FAIL: part 1: no exit_group() call by plugin pid $old in auditd's log: it did not exit(); it was probably killed by the signal itself (no SIGTERM handler?) or crashed"
    status=1
elif [ "$code" != 0 ]; then
    echo "FAIL: part 1: plugin pid $old exited with status $code after SIGTERM (expected 0)"
    status=1
else
    echo "part 1: plugin pid $old exited with status 0"
fi

# auditd restarts a plugin that exited when the next event comes
/bin/true "$marker-restart"
if new=$(itest_find_plugin_pid 10 "$old"); then
    PLUGIN_PID=$new
    echo "auditd restarted the plugin: pid $new"
    if doc=$(itest_wait_doc 10 "'$marker-restart' in (get(d, 'process.args') or [])"); then
        restart_seq=$("$ITEST_PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["auditd"]["sequence"])' "$doc")
    else
        echo "FAIL: the restarted plugin did not write the next event"
        status=1
    fi
else
    itest_fail "auditd did not restart the plugin after it exited (cannot run part 2); children of auditd: $(pgrep -a -P "$AUDITD_PID" | tr '\n' ';')"
fi

# ------------------------------------------------------------------ part 2
itest_add_rule -a always,exit -F arch=b64 -S exit_group -F pid="$PLUGIN_PID" -k itest_plugin_exit
n=${ITEST_CLEAN_N:-200}
for i in $(seq "$n"); do /bin/true "$marker-b-$i"; done
last="$marker-last"
auditctl -m "$last"
# stop as soon as auditd has logged everything: the plugin may still be working
for _ in $(seq 100); do
    grep -a -q -F "$last" "$ITEST_AUDIT_LOG" && break
    sleep 0.05
done
last_seq=$(grep -a -F "$last" "$ITEST_AUDIT_LOG" | sed -n 's/.*msg=audit([0-9.]*:\([0-9]*\)).*/\1/p' | head -n 1)
sleep 0.3
plugin2=$PLUGIN_PID
kill -TERM "$AUDITD_PID"
expect_exit "part 2" "$plugin2" "after auditd got SIGTERM" || status=1
itest_stop_auditd 15 || { echo "FAIL: auditd did not exit after SIGTERM"; status=1; }
echo "auditd exit status: ${AUDITD_STATUS:-?}"
if code=$(exit_status_from_log "$plugin2"); then
    echo "part 2: plugin pid $plugin2 exited with status $code"
    [ "$code" = 0 ] || { echo "FAIL: part 2: plugin exit status $code (expected 0)"; status=1; }
else
    echo "part 2: plugin exit status not observable (auditd reaps it after it stopped reading the kernel)"
fi

# Events auditd had written to the old plugin's socket when it got SIGTERM are
# legitimately lost; from the first event the new plugin wrote on, none may be.
itest_noloss itest_clean 3 --min-seq "${restart_seq:-0}" "$ITEST_EVENTS" || status=1
if [ -n "$last_seq" ]; then
    if itest_wait_doc 1 "get(d, 'auditd.sequence') == $last_seq and get(d, 'auditd.message_type') != 'daemon_start'" >/dev/null 2>&1; then
        echo "ok: the last event before the stop (user message, seq $last_seq) is in the output"
    else
        echo "FAIL: the last event before the stop (user message '$last', seq $last_seq) is not in the output"
        status=1
    fi
else
    echo "FAIL: auditd did not log the user message '$last'"
    status=1
fi

# ------------------------------------------------------------------ part 3
# Only our own events now: an execve rule for an otherwise unused uid, so the
# bytes in the plugin's socket can be attributed to known events.
itest_start_auditd      # a new auditd (the kernel rules are still loaded)
p3=$PLUGIN_PID
ITEST_EXTRA_PIDS="$ITEST_EXTRA_PIDS $p3"
itest_delete_rules
U3=${ITEST_CLEAN_UID:-61235}
itest_add_rule -a always,exit -F arch=b64 -S execve -F uid="$U3" -k itest_clean3
run_u3() { setpriv --reuid="$U3" --regid="$U3" --clear-groups /bin/true "$@"; }
# recvq PID: bytes queued in PID's stdin socket (ss -x), empty if unknown
recvq() {
    ss -x -p -n 2>/dev/null | awk -v p="pid=$1,fd=0)" 'index($0, p) { print $3; exit }'
}
run_u3 "$marker-c-0"
itest_wait_doc 10 "'$marker-c-0' in (get(d, 'process.args') or [])" >/dev/null ||
    itest_fail "part 3: the plugin started by the new auditd wrote nothing"
sleep 0.5
q0=$(recvq "$p3")
size0=$(stat -c %s "$ITEST_AUDIT_LOG")
kill -STOP "$p3"
n3=${ITEST_CLEAN_BACKLOG_N:-300}
for i in $(seq "$n3"); do run_u3 "$marker-c-$i"; done
for _ in $(seq 100); do
    grep -a -q -F "\"$marker-c-$n3\"" "$ITEST_AUDIT_LOG" && break
    sleep 0.05
done
sleep 0.5               # auditd writes into the socket what fits
q=$(recvq "$p3")
echo "part 3: plugin stopped; its stdin socket holds ${q:-?} bytes (${q0:-?} before the burst)"
kill -TERM "$AUDITD_PID"
sleep 0.2
kill -CONT "$p3"
expect_exit "part 3" "$p3" \
    "after it was continued (auditd got SIGTERM while it was stopped)" || status=1
itest_stop_auditd 15 || { echo "FAIL: part 3: auditd did not exit after SIGTERM"; status=1; }
"$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_AUDIT_LOG" "$ITEST_EVENTS" "$size0" "${q0:-}" "${q:-}" <<'PY' || status=1
import re, sys
sys.path.insert(0, sys.argv[1])
import ecsq
log, out, size0 = sys.argv[2], sys.argv[3], int(sys.argv[4])
q0 = int(sys.argv[5]) if sys.argv[5].isdigit() else None
q = int(sys.argv[6]) if sys.argv[6].isdigit() else None
# Rebuild the byte stream auditd sent the plugin after the stop: each record
# is sent as its log line (format=string, same text as the ENRICHED log);
# syscall events also get an EOE record, which is not logged.
with open(log, "rb") as fh:
    fh.seek(size0)
    lines = fh.read().split(b"\n")[:-1]
recs = []
for raw in lines:
    m = ecsq.REC_RE.search(raw.split(b"\x1d")[0].decode("utf-8", "replace"))
    if m:
        recs.append((m.group(1), (int(m.group(2)), int(m.group(3)), int(m.group(4))), len(raw) + 1))
last_idx = {}
for i, (t, ident, n) in enumerate(recs):
    last_idx[ident] = i
first_type = {}
for t, ident, n in recs:
    first_type.setdefault(ident, t)
offset, end_of = 0, {}
for i, (t, ident, n) in enumerate(recs):
    if t.startswith("DAEMON_"):
        continue
    offset += n
    if last_idx[ident] == i:
        if first_type[ident] == "SYSCALL":
            offset += len("type=EOE msg=audit(%d.%03d:%d):\n" % ident)
        end_of[ident] = offset
events = ecsq.log_events([log], "itest_clean3")
burst = {k: v for k, v in events.items() if k in end_of}
docs = [d for _, _, d in ecsq.read_all([out]).docs]
missing, dup, matched, badtime = ecsq.compare(burst, docs)
miss = set((ev["ts"], ev["seq"]) for ev in missing)
print("part 3: %d event(s) logged after the plugin was stopped, %d of them in the output"
      % (len(burst), len(burst) - len(missing)))
rc = 0
if q is None or q0 is None:
    print("part 3: (ss could not read the socket queue; checking only that something was delivered)")
    if len(missing) == len(burst):
        print("FAIL: part 3: nothing that auditd wrote into the stopped plugin's socket reached the output")
        rc = 1
else:
    in_socket = q - q0
    margin = 512
    must = [k for k, end in end_of.items() if k in burst and end <= in_socket - margin]
    lost = [k for k in must if (burst[k]["ts"], burst[k]["seq"]) in miss]
    print("part 3: %d event(s) were entirely in the plugin's socket (%d bytes) when auditd got SIGTERM; "
          "%d of them are missing from the output" % (len(must), in_socket, len(lost)))
    if not must:
        print("FAIL: part 3: no complete event fits in %d bytes?" % in_socket)
        rc = 1
    if lost:
        print("FAIL: part 3: the plugin lost events that were waiting in its stdin when SIGTERM came, seqs: %s"
              % " ".join(str(k[2]) for k in sorted(lost)[:30]))
        rc = 1
if dup:
    print("FAIL: part 3: %d event(s) duplicated" % len(dup))
    rc = 1
sys.exit(rc)
PY

[ "$status" = 0 ] || itest_fail "unclean exit"
itest_pass
