#!/bin/sh
# A fanotify queue overflow (FAN_Q_OVERFLOW: its queue holds 16384
# events) is reported like inotify's: a "rescan" document, a logged and
# counted overflow, and a rescan that reports every file created meanwhile.
. "$(dirname "$0")/lib.sh"
fim_init
FIM_BACKEND=fanotify
fim_config "paths = [\"$T/tree\"]; recursive = true;"
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan']" >/dev/null || fim_fail "no initial scan"
grep -q "watching with fanotify" "$T/plugin.log" || fim_fail "not watching with fanotify"
# Stopped, the plugin cannot read the events as they come: one or two
# (create, close after writing) for 20000 files overflow the queue,
# even when the kernel merges the two.
kill -STOP "$PLUGIN_PID"
python3 -c '
import sys
for i in range(20000):
    open("%s/f%d" % (sys.argv[1], i), "w").close()' "$T/tree"
kill -CONT "$PLUGIN_PID"
fim_wait 20 "act(d) == ['rescan']" >/dev/null || fim_fail "no rescan document"
fim_wait 30 "path(d).endswith('/f19999') and act(d) == ['created']" >/dev/null || fim_fail "f11999 missed"
sleep 1
n=$(fim_count "act(d) == ['created'] and '/f' in path(d)")
[ "$n" = 20000 ] || fim_fail "$n of 20000 files reported created"
grep -q "overflowed" "$T/plugin.log" || fim_fail "overflow not logged"
kill -USR1 "$PLUGIN_PID"
i=0
while [ ! -s "$T/data/stats.json" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["fim"]["overflows"] >= 1, s' "$T/data/stats.json" || fim_fail "overflow not counted in stats.json"
grep -q "status: fim: .*, [1-9][0-9]* overflows" "$T/plugin.log" || fim_fail "overflow not in the SIGUSR1 log line"
fim_pass "20000 creations after an overflow"
