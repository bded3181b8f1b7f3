#!/bin/bash
# Logstash goes away under load and comes back: nothing is lost.
#
# auditd runs the plugin with the Logstash output pointed at the Lumberjack
# test server (tests/peers/lumberjack_server.py).  A paced exec load (an
# execve rule with a key; default 2,000 execs/s) runs for UP + DOWN + AFTER
# seconds (default 10 + 60 + 20 = 90 s): the server is up for the first UP
# seconds, is killed (SIGKILL: a crash) and stays down for DOWN seconds, then
# is started again on the same port.  After the load stops, the test waits
# (up to DELIVERY seconds) for the spool to drain into the server.
#
# Checks:
#   * every event with the key in auditd's log (its private log file) was
#     acknowledged by the server (matched by auditd.sequence) at least once;
#     duplicates (documents the spool sent again because their ack never
#     came) are allowed, counted and printed;
#   * auditd never dropped events for its plugins: no "queue to plugins is
#     full" in its syslog messages (captured on /dev/log when no syslog
#     daemon runs) or stderr, "plugin queue overflow detected = no" in its
#     state report, and the kernel's lost counter (auditctl -s) unchanged;
#   * the plugin never died: the same pid throughout;
#   * no audit-events-lost document names an event that is in auditd's log.
#
# Environment (defaults as above):
#   ITEST_LSDOWN_RATE=2000        execs per second
#   ITEST_LSDOWN_UP_S=10          seconds of load before the server is killed
#   ITEST_LSDOWN_DOWN_S=60        seconds the server stays down
#   ITEST_LSDOWN_AFTER_S=20       seconds of load after it is back
#   ITEST_LSDOWN_DELIVERY_S=60    longest wait for delivery after the load
#   ITEST_LSDOWN_SIGNAL=KILL      how the server is stopped (TERM: cleanly)
#   ITEST_LSDOWN_BACKOFF_MAX=2s   the plugin's output.logstash.backoff.max
. "$(dirname "$0")/lib.sh" || exit 99
itest_init logstash-down

RATE=${ITEST_LSDOWN_RATE:-2000}
UP_S=${ITEST_LSDOWN_UP_S:-10}
DOWN_S=${ITEST_LSDOWN_DOWN_S:-60}
AFTER_S=${ITEST_LSDOWN_AFTER_S:-20}
DELIVERY_S=${ITEST_LSDOWN_DELIVERY_S:-60}
SIG=${ITEST_LSDOWN_SIGNAL:-KILL}
BACKOFF_MAX=${ITEST_LSDOWN_BACKOFF_MAX:-2s}
KEY=itest_lsdown
OUT="$ITEST_TMP/out/lumberjack.json"
marker="itest-lsdown-$$"
status=0
t_start=$(itest_now)

port=$(itest_free_port) || itest_error "no free TCP port found"
itest_capture_syslog ||
    itest_msg "note: auditd's syslog messages cannot be checked here (stderr and its state report are)"
itest_start_lj_server lj --listen "127.0.0.1:$port" --out "$OUT"
echo "Lumberjack server pid $LJ_PID on 127.0.0.1:$port"
itest_write_configs_logstash "127.0.0.1:$port" \
    "backoff: { init = \"250ms\"; max = \"$BACKOFF_MAX\"; };"
itest_start_auditd
plugin=$PLUGIN_PID
itest_add_rule -a always,exit -F arch=b64 -S execve -k "$KEY"
lost_before=$(itest_status_field lost)

# watch_plugin SECONDS: sleep, checking every second that the plugin is the same
# process; the largest spool size seen is kept in spool_peak (KiB).
plugin_died=""
spool_peak=0
watch_plugin() {
    local end s
    end=$(( $(date +%s) + $1 ))
    while [ "$(date +%s)" -lt "$end" ]; do
        sleep 1
        if [ -z "$plugin_died" ] && ! itest_is_plugin "$plugin"; then
            plugin_died="$(awk -v a="$t_start" -v b="$(itest_now)" 'BEGIN{printf "%.0f", b - a}') s into the test"
            echo "FAIL: plugin pid $plugin is gone ($plugin_died); auditd's children now: $(pgrep -a -P "$AUDITD_PID" | tr '\n' ';')"
        fi
        s=$(du -sk "$ITEST_SPOOL_DIR" 2>/dev/null | cut -f1)
        [ -n "$s" ] && [ "$s" -gt "$spool_peak" ] && spool_peak=$s
    done
}

itest_start_exec_load "$RATE" "$ITEST_TMP/load.txt" "$marker"
echo "load: $RATE execs/s; server up ${UP_S} s, down ${DOWN_S} s ($SIG), up again for ${AFTER_S} s of load"
watch_plugin "$UP_S"
up_docs=$(wc -l <"$OUT")
itest_stop_lj_server "$SIG"
echo "server killed (SIG$SIG) after ${UP_S} s; $up_docs document(s) acknowledged so far"
watch_plugin "$DOWN_S"
kill -0 "$ITEST_LOAD_PID" 2>/dev/null || itest_error "the exec load stopped early"
echo "server down ${DOWN_S} s; spool now $(du -sh "$ITEST_SPOOL_DIR" 2>/dev/null | cut -f1)"
itest_start_lj_server lj --listen "127.0.0.1:$port" --out "$OUT"
[ "$LJ_PORT" = "$port" ] || itest_error "the server came back on port $LJ_PORT, not $port"
echo "server back (pid $LJ_PID, same port $port)"
watch_plugin "$AFTER_S"
itest_stop_exec_load
read -r nexec secs <"$ITEST_TMP/load.txt"
echo "load: $nexec execs in $secs s ($(awk -v n="$nexec" -v s="$secs" 'BEGIN{printf "%.0f", n / s}')/s)"
itest_wait_log_marker "$marker-end" 60 || echo "WARNING: auditd did not log the end marker within 60 s"
t_load_end=$(itest_now)

# Delivery: wait until every event with the key is in the server's output.
"$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_AUDIT_LOG" "$OUT" "$KEY" "$DELIVERY_S" "$marker" "$nexec" \
    <<'PY' || status=1
import json, sys, time
sys.path.insert(0, sys.argv[1])
import ecsq
log, out, key, limit, marker, nexec = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6], int(sys.argv[7])

keyed, logged, ours = ecsq.log_load_seqs(log, key, marker)

delivery = ecsq.Delivery()
count = delivery.count  # auditd.sequence -> documents
ids = {}            # event.id -> documents
bad = ndocs = 0
pos, buf = 0, b""

def poll():
    global pos, buf, bad, ndocs
    with open(out, "rb") as fh:
        fh.seek(pos)
        data = fh.read()
    pos += len(data)
    lines = (buf + data).split(b"\n")
    buf = lines.pop()
    for raw in lines:
        try:
            d = json.loads(raw)
        except ValueError:
            bad += 1        # a line torn by the server's SIGKILL
            continue
        ndocs += 1
        ev = d.get("event") or {}
        if ev.get("id") is not None:
            ids[ev["id"]] = ids.get(ev["id"], 0) + 1
        delivery.add(d)

t0 = time.monotonic()
while True:
    poll()
    missing = [s for s in keyed if s not in count]
    if not missing or time.monotonic() - t0 >= limit:
        break
    time.sleep(1)
waited = time.monotonic() - t0

dups = sum(c - 1 for s, c in count.items() if s in keyed and c > 1)
dup_seqs = sum(1 for s, c in count.items() if s in keyed and c > 1)
dup_ids = sum(c - 1 for c in ids.values() if c > 1)
print("summary: %d execs by the load, %d in auditd's log; %d event(s) with key %s in the log (all execs on the host)"
      % (nexec, ours, len(keyed), key))
print("summary: server acknowledged %d document(s); %d of the %d keyed event(s) delivered, %d missing "
      "(waited %.1f s after the load)" % (ndocs, len(keyed) - len(missing), len(keyed), len(missing), waited))
print("summary: duplicates: %d extra document(s) for %d keyed event(s); %d extra document(s) by event.id overall "
      "(allowed: documents sent again when their ack was lost)" % (dups, dup_seqs, dup_ids))
if bad:
    print("note: %d unparsable line(s) in the server's output (a write cut by its SIGKILL)" % bad)
rc = 0
if not keyed:
    print("FAIL: auditd logged no event with key %s" % key)
    rc = 1
if missing:
    missing.sort()
    print("FAIL: %d event(s) in auditd's log never reached the server, sequences (first 40): %s"
          % (len(missing), " ".join(map(str, missing[:40]))))
    rc = 1
rc |= delivery.check_notes(logged)
sys.exit(rc)
PY
t_done=$(itest_now)
echo "delivery complete $(awk -v a="$t_load_end" -v b="$t_done" 'BEGIN{printf "%.1f", b - a}') s after the load ended (incl. reading the logs)"
echo "spool peak: $((spool_peak / 1024)) MiB"
if [ -n "$ITEST_SYSLOG" ]; then
    grep -a "audisp-ecs\[$plugin\]: " "$ITEST_SYSLOG" | grep -a -v 'Connection refused' | tail -n 4 |
        sed 's/^.*\]: /plugin (syslog): /'
fi

# auditd's queue to the plugin
state=$(itest_auditd_state)
grep -E 'plugin queue|max plugin' <<<"$state" | sed 's/^/auditd: /'
if grep -q 'plugin queue overflow detected = yes' <<<"$state"; then
    echo "FAIL: auditd's queue to the plugin overflowed (state report): auditd dropped events for the plugin"
    status=1
fi
for f in "$ITEST_TMP/auditd.stderr" ${ITEST_SYSLOG:+"$ITEST_SYSLOG"}; do
    if grep -a -q -i 'queue to plugins is full\|queue full' "$f"; then
        echo "FAIL: auditd reported its queue to plugins full ($f):"
        grep -a -i 'queue to plugins is full\|queue full' "$f" | head -n 3 | sed 's/^/  | /'
        status=1
    fi
done
if grep -a '^type=DAEMON_' "$ITEST_AUDIT_LOG" | grep -q -i 'queue'; then
    echo "FAIL: auditd's own records in its log mention its queue:"
    grep -a '^type=DAEMON_' "$ITEST_AUDIT_LOG" | grep -i 'queue' | head -n 3 | sed 's/^/  | /'
    status=1
fi
[ -n "$ITEST_SYSLOG" ] && echo "syslog: $(wc -l <"$ITEST_SYSLOG") message(s) captured (auditd and plugin), none about a full queue"
lost_after=$(itest_status_field lost)
if [ "$lost_after" != "$lost_before" ]; then
    echo "FAIL: the kernel's audit lost counter went from $lost_before to $lost_after (auditctl -s)"
    status=1
else
    echo "kernel audit lost counter unchanged ($lost_after)"
fi

# the plugin: the same process from start to end
if [ -n "$plugin_died" ] || ! itest_is_plugin "$plugin"; then
    echo "FAIL: the plugin (pid $plugin) died during the test${plugin_died:+ ($plugin_died)}"
    status=1
else
    now_pid=$(itest_find_plugin_pid 1) || now_pid="none"
    if [ "$now_pid" != "$plugin" ]; then
        echo "FAIL: auditd's plugin is now pid $now_pid, not $plugin"
        status=1
    else
        echo "plugin pid $plugin ran throughout"
    fi
fi

# stop auditd while the server is still up: the plugin must exit at once
itest_delete_rules
itest_stop_auditd_and_plugin "$plugin" || status=1
itest_stop_lj_server TERM
echo "total runtime $(awk -v a="$t_start" -v b="$(itest_now)" 'BEGIN{printf "%.0f", b - a}') s"

[ "$status" = 0 ] || itest_fail "events lost, or auditd or the plugin in trouble, while Logstash was down"
itest_pass
