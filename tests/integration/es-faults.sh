#!/bin/bash
# Elasticsearch misbehaves under real audit load: nothing lost, nothing twice.
#
# auditd runs the plugin with the Elasticsearch output pointed at the
# Elasticsearch test server (tests/peers/es_server.py; the index is a data
# stream, as by default in Elasticsearch).  A paced exec load (an execve
# rule with a key; default 200 execs/s) runs while the server, through
# POST /_test/faults, in turn: refuses every 7th new document with 429,
# every 5th with 500 (each such document only on its first attempt), answers
# 3 bulk requests with 429 as a whole, 3 with 503, resets the connection of
# 3, and, for a few seconds, answers every bulk request 503 (fail_after);
# then it works again.  After the load the test waits (up to DELIVERY
# seconds) until everything is stored, stops auditd (the plugin drains and
# exits) and the server.
#
# Checks:
#   * every event with the key in auditd's log (its private log file) is in
#     the server's store exactly once (by auditd.sequence); no event of the
#     log is there twice; every _id is the document's event.id;
#   * nothing went to a dead letter (index or file) and the spool dropped
#     nothing (no events-dropped document);
#   * every fault fired (the server's faults_fired), each refused document
#     was sent again (retried_items), and the plugin never died.
#
# Environment (defaults as above):
#   ITEST_ESFAULTS_RATE=200        execs per second
#   ITEST_ESFAULTS_PHASE_S=5       seconds of each per-document fault
#   ITEST_ESFAULTS_OUTAGE_S=5      seconds of 503 for every bulk request
#   ITEST_ESFAULTS_DELIVERY_S=60   longest wait for delivery after the load
. "$(dirname "$0")/lib.sh" || exit 99
itest_init es-faults

RATE=${ITEST_ESFAULTS_RATE:-200}
PHASE_S=${ITEST_ESFAULTS_PHASE_S:-5}
OUTAGE_S=${ITEST_ESFAULTS_OUTAGE_S:-5}
DELIVERY_S=${ITEST_ESFAULTS_DELIVERY_S:-60}
KEY=itest_esfaults
STORE="$ITEST_TMP/out/es-store.ndjson"
STATS="$ITEST_TMP/out/es-stats.json"
marker="itest-esfaults-$$"
status=0
t_start=$(itest_now)
command -v curl >/dev/null 2>&1 || itest_skip "curl not found: install the Debian package curl"

ES_PID=""
ES_PORT=""

# es_start_server [SERVER_ARGS...]: start the Elasticsearch test server on
# 127.0.0.1 (stdout and stderr in $ITEST_TMP/es.stdout and .stderr), wait
# for its LISTENING line; sets ES_PID and ES_PORT.  Stopped at cleanup.
es_start_server() {
    itest_start_peer "the Elasticsearch test server" es_server.py es "$@"
    ES_PID=$ITEST_PEER_PID
    ES_PORT=$ITEST_PEER_PORT
}

# es_stop_server: SIGTERM (it writes its store and stats) and wait.
es_stop_server() {
    [ -n "$ES_PID" ] || return 0
    itest_stop_bg "$ES_PID"
    ES_PID=""
}

# es_faults JSON: replace the server's fault settings.
es_faults() {
    curl -sS -m 10 -H 'Content-Type: application/json' -d "$1" \
        "http://127.0.0.1:$ES_PORT/_test/faults" >"$ITEST_TMP/faults.reply" 2>&1 &&
        grep -q '"delay_ms"' "$ITEST_TMP/faults.reply" ||
        itest_error "setting faults $1 failed: $(cat "$ITEST_TMP/faults.reply")"
    echo "$(awk -v a="$t_start" -v b="$(itest_now)" 'BEGIN{printf "%5.1f", b - a}') s: faults $1"
}

# es_fired NAME: how often fault NAME fired so far.
es_fired() {
    curl -sS -m 10 "http://127.0.0.1:$ES_PORT/_test/stats" |
        "$ITEST_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["faults_fired"].get(sys.argv[1], 0))' "$1"
}

# es_wait_fired NAME N SECONDS: wait until fault NAME fired N times.
es_wait_fired() {
    local end n
    end=$(( $(date +%s) + $3 ))
    while :; do
        n=$(es_fired "$1")
        [ "${n:-0}" -ge "$2" ] && return 0
        [ "$(date +%s)" -ge "$end" ] && break
        sleep 0.2
    done
    echo "FAIL: fault $1 fired ${n:-0} time(s) in $3 s, not $2"
    status=1
    return 1
}

# The plugin must stay the same process throughout.
plugin_died=""
check_plugin() {
    if [ -z "$plugin_died" ] && ! itest_is_plugin "$plugin"; then
        plugin_died="$(awk -v a="$t_start" -v b="$(itest_now)" 'BEGIN{printf "%.0f", b - a}') s into the test"
        echo "FAIL: plugin pid $plugin is gone ($plugin_died); auditd's children now: $(pgrep -a -P "$AUDITD_PID" | tr '\n' ';')"
    fi
}
phase() {
    local end
    end=$(( $(date +%s) + $1 ))
    while [ "$(date +%s)" -lt "$end" ]; do
        sleep 0.5
        check_plugin
    done
}

itest_capture_syslog ||
    itest_msg "note: the plugin's syslog messages cannot be shown here"
es_start_server --listen 127.0.0.1:0 --out "$STORE" --stats "$STATS" --data-stream-prefix logs-
echo "Elasticsearch test server pid $ES_PID on 127.0.0.1:$ES_PORT"

# auditd.conf and the drop-in from lib.sh; the plugin's config with the
# Elasticsearch output (short backoff, a request every 200 ms at most).
itest_write_auditd_conf
itest_write_plugin_dropin
ITEST_DATA_DIR="$ITEST_TMP/data"
itest_write_output_conf "Elasticsearch output" "  elasticsearch: {
    hosts = [ \"http://127.0.0.1:$ES_PORT\" ];
    bulk_max_size = 200;
    flush_interval = \"200ms\";
    timeout = \"10s\";
    backoff: { init = \"100ms\"; max = \"1s\"; };
  };"

itest_start_auditd
plugin=$PLUGIN_PID
itest_add_rule -a always,exit -F arch=b64 -S execve -k "$KEY"

itest_start_exec_load "$RATE" "$ITEST_TMP/load.txt" "$marker"
echo "load: $RATE execs/s"
phase 3
es_faults '{"item_429_every": 7}'
phase "$PHASE_S"
es_wait_fired item_429 1 5
es_faults '{"item_500_every": 5}'
phase "$PHASE_S"
es_wait_fired item_500 1 5
es_faults '{"request_429": 3}'
es_wait_fired request_429 3 10
phase 2
es_faults '{"request_503": 3}'
es_wait_fired request_503 3 10
phase 2
es_faults '{"reset": 3}'
es_wait_fired reset 3 10
phase 2
# A few more documents, then 503 for every bulk request for OUTAGE_S.
es_faults '{"fail_after": 100}'
es_wait_fired fail_after 1 10
phase "$OUTAGE_S"
es_faults '{}'
phase 4
kill -0 "$ITEST_LOAD_PID" 2>/dev/null || itest_error "the exec load stopped early"
itest_stop_exec_load
read -r nexec secs <"$ITEST_TMP/load.txt"
echo "load: $nexec execs in $secs s ($(awk -v n="$nexec" -v s="$secs" 'BEGIN{printf "%.0f", n / s}')/s)"
# No more keyed events from here on: the set to deliver is final once the
# marker is in the log.
itest_delete_rules
itest_wait_log_marker "$marker-end" 60 || echo "WARNING: auditd did not log the end marker within 60 s"
t_load_end=$(itest_now)

# check.py ITEST_DIR LOG KEY SOURCE TIMEOUT_S MARKER NEXEC: SOURCE is the server's
# /_test/store URL (polled until every keyed event is there, at most
# TIMEOUT_S) or its --out file (read once).  Exit 1 on a missing or
# duplicated event, a document in another index, an _id that is not the
# event.id, an events-dropped document.
cat >"$ITEST_TMP/check.py" <<'PY'
import json, sys, time, urllib.request
sys.path.insert(0, sys.argv[1])
import ecsq
log, key, source, limit, marker, nexec = sys.argv[2:8]
limit, nexec = float(limit), int(nexec)
index = "logs-audisp_ecs-default"

keyed, logged, ours = ecsq.log_load_seqs(log, key, marker)

def read_store():
    if source.startswith("http"):
        with urllib.request.urlopen(source, timeout=30) as r:
            data = r.read()
    else:
        data = open(source, "rb").read()
    return [json.loads(l) for l in data.splitlines() if l.strip()]

def tally(lines):
    delivery, other_index, bad_id = ecsq.Delivery(), {}, 0
    for d in lines:
        src = d["source"] if isinstance(d["source"], dict) else json.loads(d["source"])
        ev = src.get("event") or {}
        if d["_index"] != index:
            other_index[d["_index"]] = other_index.get(d["_index"], 0) + 1
            continue
        if ev.get("id") is not None and d["_id"] != ev["id"]:
            bad_id += 1
        delivery.add(src)
    return delivery, other_index, bad_id

t0 = time.monotonic()
while True:
    lines = read_store()
    delivery, other_index, bad_id = tally(lines)
    count = delivery.count
    missing = sorted(s for s in keyed if s not in count)
    if not missing or not source.startswith("http") or time.monotonic() - t0 >= limit:
        break
    time.sleep(2)
waited = time.monotonic() - t0

twice = sorted(s for s, c in count.items() if c > 1)
keyed_twice = [s for s in twice if s in keyed]
print("summary: %d execs by the load, %d in auditd's log; %d event(s) with key %s in the log (all execs on the host)"
      % (nexec, ours, len(keyed), key))
print("summary: %d document(s) stored; %d of the %d keyed event(s) there, %d missing%s"
      % (len(lines), len(keyed) - len(missing), len(keyed), len(missing),
         " (waited %.1f s)" % waited if source.startswith("http") else ""))
print("summary: %d event(s) stored more than once (%d of them keyed)" % (len(twice), len(keyed_twice)))
rc = 0
if not keyed:
    print("FAIL: auditd logged no event with key %s" % key)
    rc = 1
if missing:
    print("FAIL: %d event(s) in auditd's log are not in the store, sequences (first 40): %s"
          % (len(missing), " ".join(map(str, missing[:40]))))
    rc = 1
if twice:
    print("FAIL: stored more than once, sequences (first 40): %s" % " ".join(map(str, twice[:40])))
    rc = 1
if other_index:
    print("FAIL: documents in other indices (dead letters?): %s" % other_index)
    rc = 1
if bad_id:
    print("FAIL: %d document(s) whose _id is not their event.id" % bad_id)
    rc = 1
rc |= delivery.check_notes(logged)
sys.exit(rc)
PY

# Delivery: wait until every keyed event is in the store.
"$ITEST_PYTHON" "$ITEST_TMP/check.py" "$ITEST_DIR" "$ITEST_AUDIT_LOG" "$KEY" \
    "http://127.0.0.1:$ES_PORT/_test/store" "$DELIVERY_S" "$marker" "$nexec" >"$ITEST_TMP/delivery.txt" ||
    { cat "$ITEST_TMP/delivery.txt"; status=1; }
echo "delivery complete $(awk -v a="$t_load_end" -v b="$(itest_now)" 'BEGIN{printf "%.1f", b - a}') s after the load ended"
check_plugin

# Stop auditd: the plugin drains and exits.
itest_stop_auditd_and_plugin "$plugin" || status=1
es_stop_server
[ -s "$STORE" ] && [ -s "$STATS" ] || itest_error "the server wrote no store or stats"

# What the server holds at the end: every keyed event exactly once.
"$ITEST_PYTHON" "$ITEST_TMP/check.py" "$ITEST_DIR" "$ITEST_AUDIT_LOG" "$KEY" "$STORE" 0 "$marker" "$nexec" || status=1
if [ -s "$ITEST_DATA_DIR/dead-letter.ndjson" ]; then
    echo "FAIL: $(wc -l <"$ITEST_DATA_DIR/dead-letter.ndjson") document(s) in the dead-letter file:"
    head -c 600 "$ITEST_DATA_DIR/dead-letter.ndjson" | sed 's/^/  | /'
    status=1
fi

# The faults fired, and what they did.
"$ITEST_PYTHON" - "$STATS" <<'PY' || status=1
import json, sys
d = json.load(open(sys.argv[1]))
f = d["faults_fired"]
print("server: %d bulk requests, %d items, %d created; faults fired: %s"
      % (d["bulk_requests"], d["bulk_items"], d["created"], json.dumps(f, sort_keys=True)))
print("server: %d item retries after an item fault, %d answered 409 (already indexed: a "
      "ticket retried whole after part of it was indexed), responses %s"
      % (d["retried_items"], d["conflicts_409"], json.dumps(d["responses_by_status"], sort_keys=True)))
rc = 0
want = {"item_429": 1, "item_500": 1, "request_429": 3, "request_503": 3, "reset": 3, "fail_after": 1}
for k, n in want.items():
    if f.get(k, 0) < n:
        print("FAIL: fault %s fired %d time(s), expected at least %d" % (k, f.get(k, 0), n))
        rc = 1
item_faults = f.get("item_429", 0) + f.get("item_500", 0)
if d["retried_items"] < item_faults:
    print("FAIL: %d documents refused once (item 429/500) but only %d sent again"
          % (item_faults, d["retried_items"]))
    rc = 1
sys.exit(rc)
PY

if [ -n "$ITEST_SYSLOG" ]; then
    grep -a "audisp-ecs\[$plugin\]: .*elasticsearch" "$ITEST_SYSLOG" | grep -a -v ' is Elasticsearch ' |
        sed 's/^.*\]: /plugin (syslog): /' | awk '!seen[$0]++' | head -n 12
fi
if [ -n "$plugin_died" ]; then
    echo "FAIL: the plugin (pid $plugin) died during the test ($plugin_died)"
    status=1
fi
echo "total runtime $(awk -v a="$t_start" -v b="$(itest_now)" 'BEGIN{printf "%.0f", b - a}') s"

[ "$status" = 0 ] || itest_fail "events lost or stored twice while Elasticsearch misbehaved"
itest_pass
