#!/bin/bash
# Soak: a real auditd feeding the plugin for a long time, with Logstash
# going away and the plugin killed, to see that memory stays flat and that
# every event is accounted for.  Not part of make check or CI.
#
# auditd (private configuration, through tests/integration/lib.sh, which
# holds the machine-wide test lock for the whole run) runs the plugin with
# the Logstash output pointed at the Lumberjack test server
# (tests/peers/lumberjack_server.py).  A paced load of RATE keyed events
# a second runs for SOAK_MINUTES: EXEC_RATE of them execs of /bin/true
# (an execve rule), the rest opens of one file (an openat rule on its
# path), since a host execs far slower than it opens.  Every PERIOD (5
# minutes in a 30-minute soak: SOAK_MINUTES * 10 s) the server is killed
# (SIGKILL) and comes back PERIOD/5 later on the same port; at a third and
# at two thirds of the run the plugin gets SIGKILL and auditd starts a new
# one.  After the load, the script waits (up to DELIVERY_S) for delivery.
#
# Reported: each plugin process's RSS at its start, once it has been
# through one Logstash outage (its buffers then have the size a backlog
# needs), at its end, and its largest; the keyed
# events in auditd's log, how many arrived, how many an audit-events-lost
# document reports (events a killed plugin had not stored and the
# backfill did not find in auditd's log), duplicates.
#
# Exit status: 0 when every keyed event arrived and the RSS of the last
# plugin grew by less than RSS_SLACK_KB (default 8192) after its first
# outage;
# 1 on a failure (an event neither delivered nor reported lost, an event
# reported lost that arrived, a plugin not restarted, RSS growth); 2 when
# all is accounted for but events were lost (reported), which the target
# (zero lost) does not allow.
#
# Environment:
#   SOAK_MINUTES=30   length of the load
#   SOAK_RATE=2000    keyed events per second, execs and opens
#   SOAK_EXEC_RATE=200  of which execs
#   SOAK_DELIVERY_S=120  longest wait for delivery after the load
#   RSS_SLACK_KB=8192
# Run it shortened to check it works: SOAK_MINUTES=3 bench/soak.sh
. "$(dirname "$0")/../tests/integration/lib.sh" || exit 99
itest_init soak

MINUTES=${SOAK_MINUTES:-30}
RATE=${SOAK_RATE:-2000}
EXEC_RATE=${SOAK_EXEC_RATE:-200}
DELIVERY_S=${SOAK_DELIVERY_S:-120}
RSS_SLACK_KB=${RSS_SLACK_KB:-8192}
case $MINUTES in '' | *[!0-9]*) itest_error "SOAK_MINUTES must be a whole number of minutes" ;; esac
[ "$MINUTES" -ge 1 ] || itest_error "SOAK_MINUTES must be at least 1"
case $RATE$EXEC_RATE in *[!0-9]*) itest_error "SOAK_RATE and SOAK_EXEC_RATE must be whole numbers" ;; esac
[ "$EXEC_RATE" -le "$RATE" ] || itest_error "SOAK_EXEC_RATE must not exceed SOAK_RATE"
OPEN_RATE=$((RATE - EXEC_RATE))
TOTAL_S=$((MINUTES * 60))
PERIOD_S=$((MINUTES * 10))
DOWN_S=$((PERIOD_S / 5 > 5 ? PERIOD_S / 5 : 5))
KILL1_S=$((TOTAL_S / 3))
KILL2_S=$((TOTAL_S * 2 / 3))
KEY=soak
OPENED="$ITEST_TMP/opened"
OUT="$ITEST_TMP/out/lumberjack.json"
RSS_LOG="$ITEST_TMP/rss.txt"
marker="soak-$$"
status=0

port=$(itest_free_port) || itest_error "no free TCP port found"
itest_start_lj_server lj --listen "127.0.0.1:$port" --out "$OUT"
# Gaps are looked for in this auditd's log (backfill), not the system's.
itest_write_configs_logstash "127.0.0.1:$port" 'backoff: { init = "250ms"; max = "2s"; };' \
    "input: { backfill: { log_file = \"$ITEST_AUDIT_LOG\"; }; };"
itest_start_auditd
plugin=$PLUGIN_PID
plugins="$plugin"
: >"$OPENED"
itest_add_rule -a always,exit -F arch=b64 -S execve -k "$KEY"
itest_add_rule -a always,exit -F arch=b64 -S openat -F path="$OPENED" -k "$KEY"
echo "soak: $MINUTES min at $RATE events/s ($EXEC_RATE execs, $OPEN_RATE opens); Logstash down ${DOWN_S} s every ${PERIOD_S} s; plugin SIGKILLed at ${KILL1_S} s and ${KILL2_S} s"

# rss PID: the resident size of PID in KiB, empty if it is gone.
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null; }

# sample ELAPSED: one line "ELAPSED PID RSS" for the current plugin.
sample() {
    local r
    r=$(rss "$plugin")
    [ -n "$r" ] && echo "$1 $plugin $r" >>"$RSS_LOG"
}

# kill_plugin: SIGKILL the plugin, wait for auditd's next one.
kill_plugin() {
    local old=$plugin
    kill -KILL "$old"
    for _ in $(seq 100); do itest_is_plugin "$old" || break; sleep 0.05; done
    if ! plugin=$(itest_find_plugin_pid 15 "$old"); then
        echo "FAIL: auditd started no new plugin within 15 s of the SIGKILL of pid $old"
        plugin=$old
        status=1
        return
    fi
    plugins="$plugins $plugin"
    echo "$(date +%T) plugin pid $old SIGKILLed; auditd started pid $plugin"
}

open_load=
if [ "$OPEN_RATE" -gt 0 ]; then
    itest_start_open_load "$OPEN_RATE" "$ITEST_TMP/open-load.txt" "$OPENED"
    open_load=$ITEST_LOAD_PID
fi
echo 0 0 >"$ITEST_TMP/load.txt"
[ "$EXEC_RATE" -gt 0 ] && itest_start_exec_load "$EXEC_RATE" "$ITEST_TMP/load.txt" "$marker"
start=$(date +%s)
server_up=1 next_down=$PERIOD_S up_at=0 killed=0
while :; do
    now=$(( $(date +%s) - start ))
    [ "$now" -ge "$TOTAL_S" ] && break
    if [ "$server_up" = 1 ] && [ "$now" -ge "$next_down" ]; then
        itest_stop_lj_server KILL
        server_up=0
        up_at=$((now + DOWN_S))
        echo "$(date +%T) +${now}s Logstash killed, back in ${DOWN_S} s"
    elif [ "$server_up" = 0 ] && [ "$now" -ge "$up_at" ]; then
        itest_start_lj_server lj --listen "127.0.0.1:$port" --out "$OUT"
        server_up=1
        next_down=$((next_down + PERIOD_S))
        echo "$(date +%T) +${now}s Logstash back"
    fi
    if { [ "$killed" = 0 ] && [ "$now" -ge "$KILL1_S" ]; } ||
        { [ "$killed" = 1 ] && [ "$now" -ge "$KILL2_S" ]; }; then
        kill_plugin
        killed=$((killed + 1))
    fi
    sample "$now"
    sleep 1
done
itest_stop_exec_load
if [ -n "$open_load" ]; then
    itest_stop_bg "$open_load"
    read -r nopen osecs <"$ITEST_TMP/open-load.txt"
    echo "load: $nopen opens in $osecs s ($(awk -v n="$nopen" -v s="$osecs" 'BEGIN { printf "%.0f", s > 0 ? n / s : 0 }')/s)"
fi
[ "$server_up" = 1 ] || itest_start_lj_server lj --listen "127.0.0.1:$port" --out "$OUT"
read -r nexec secs <"$ITEST_TMP/load.txt"
echo "load: $nexec execs in $secs s ($(awk -v n="$nexec" -v s="$secs" 'BEGIN { printf "%.0f", s > 0 ? n / s : 0 }')/s)"
itest_wait_log_marker "$marker-end" 60 || echo "WARNING: auditd did not log the end marker within 60 s"

# Memory: per plugin process, its first sample, the first once it has
# been through one Logstash outage (WARM_S after its start: buffers grow
# to what a backlog needs, once), its last and its largest.  The last
# plugin must not grow past RSS_SLACK_KB after that.
WARM_S=$((PERIOD_S + DOWN_S + 5))
awk -v slack="$RSS_SLACK_KB" -v warm="$WARM_S" '
    { pid = $2
      if (!(pid in born)) { order[n++] = pid; born[pid] = $1; first[pid] = $3 }
      if (!(pid in warmed) && $1 >= born[pid] + warm) { warmed[pid] = $3 }
      last[pid] = $3
      if ($3 > peak[pid]) peak[pid] = $3 }
    END { for (i = 0; i < n; i++) { p = order[i]
            printf "rss: plugin pid %s: first %d KiB, after an outage %s, end %d KiB, peak %d KiB\n", p,
                first[p], (p in warmed) ? warmed[p] " KiB" : "(did not live so long)", last[p], peak[p] }
          p = order[n - 1]
          if (n > 0 && (p in warmed) && last[p] - warmed[p] > slack) {
            printf "FAIL: the last plugin grew by %d KiB after its first outage\n", last[p] - warmed[p]; exit 1 } }
' "$RSS_LOG" || status=1

"$ITEST_PYTHON" - "$ITEST_DIR" "$ITEST_AUDIT_LOG" "$OUT" "$KEY" "$DELIVERY_S" "$marker" <<'PY'
import json, sys, time
sys.path.insert(0, sys.argv[1])
import ecsq
log, out, key, limit, marker = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6]
keyed, logged, ours = ecsq.log_load_seqs(log, key, marker)
count, ids, lost = {}, {}, []
pos, buf, bad = 0, b"", 0

def poll():
    global pos, buf, bad
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
            bad += 1            # a line cut by the server's SIGKILL
            continue
        ev, ad = d.get("event") or {}, d.get("auditd") or {}
        ids[ev.get("id")] = ids.get(ev.get("id"), 0) + 1
        if ev.get("action") == "audit-events-lost":
            r = ad.get("lost") or {}
            lost.append((int(r["first_sequence"]), int(r["last_sequence"])))
        elif ad.get("sequence") is not None:
            count[int(ad["sequence"])] = count.get(int(ad["sequence"]), 0) + 1

def in_lost(s):
    return any(a <= s <= b for a, b in lost)

t0 = time.monotonic()
while True:
    poll()
    open_seqs = [s for s in keyed if s not in count and not in_lost(s)]
    if not open_seqs or time.monotonic() - t0 >= limit:
        break
    time.sleep(2)
delivered = sum(1 for s in keyed if s in count)
reported = sorted(s for s in keyed if s not in count and in_lost(s))
both = sorted(s for s in keyed if s in count and in_lost(s))
dups = sum(c - 1 for c in ids.values() if c > 1)
print("events: %d execs of the load in auditd's log, %d keyed events; %d delivered, %d reported lost, "
      "%d neither (waited %.0f s)" % (ours, len(keyed), delivered, len(reported), len(open_seqs),
                                      time.monotonic() - t0))
print("events: %d audit-events-lost document(s) %s; %d duplicate document(s) by event.id%s"
      % (len(lost), " ".join("%d-%d" % r for r in sorted(lost)[:10]), dups,
         "; %d line(s) cut by the server's SIGKILL" % bad if bad else ""))
rc = 0
if not keyed:
    print("FAIL: auditd logged no keyed event")
    rc = 1
if open_seqs:
    print("FAIL: %d keyed event(s) neither delivered nor reported lost: %s"
          % (len(open_seqs), " ".join(map(str, sorted(open_seqs)[:30]))))
    rc = 1
if both:
    print("FAIL: %d keyed event(s) delivered although reported lost: %s"
          % (len(both), " ".join(map(str, both[:30]))))
    rc = 1
if rc == 0 and reported:
    print("LOST: %d keyed event(s) lost and reported: neither stored nor found in auditd's log "
          "by the backfill" % len(reported))
    rc = 2
sys.exit(rc)
PY
rc=$?
[ "$rc" = 1 ] && status=1
[ "$rc" = 2 ] && [ "$status" = 0 ] && status=2
state=$(itest_auditd_state)
grep -E 'plugin queue overflow|max plugin' <<<"$state" | sed 's/^/auditd: /'
grep -q 'plugin queue overflow detected = yes' <<<"$state" &&
    { echo "FAIL: auditd's queue to the plugin overflowed"; status=1; }
now_pid=$(itest_find_plugin_pid 1) || now_pid=none
[ "$now_pid" = "$plugin" ] ||
    { echo "FAIL: auditd's plugin is pid $now_pid at the end, not $plugin"; status=1; }
echo "plugins: $plugins"
itest_delete_rules
itest_stop_auditd_and_plugin "$plugin" || status=1
itest_stop_lj_server TERM
case $status in
0) itest_pass ;;
2) echo "RESULT: $ITEST_NAME: everything accounted for, but events were lost (see LOST)"; exit 2 ;;
*) itest_fail "see the FAIL lines above" ;;
esac
