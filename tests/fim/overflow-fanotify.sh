#!/bin/sh
# More changes than the watcher can hold at once with fanotify (its
# kernel queue is unlimited; the coalescer holds 4096 paths) are
# reported like inotify's queue overflow: a "rescan" document, a logged
# and counted overflow, and a rescan that reports every file created
# meanwhile.  Changes outside the tree, however many, are not.
. "$(dirname "$0")/lib.sh"
fim_init
FIM_BACKEND=fanotify
fim_config "paths = [\"$T/tree\"]; recursive = true;"
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan']" >/dev/null || fim_fail "no initial scan"
grep -q "watching with fanotify" "$T/plugin.log" || fim_fail "not watching with fanotify"
# Activity outside the tree on its file system is no loss: 20000 files
# made next to it while the plugin is stopped cause no rescan.
mkdir "$T/outside"
kill -STOP "$PLUGIN_PID"
python3 -c '
import sys
for i in range(20000):
    open("%s/o%d" % (sys.argv[1], i), "w").close()' "$T/outside"
kill -CONT "$PLUGIN_PID"
echo marker > "$T/tree/marker"
fim_wait 20 "path(d).endswith('/tree/marker')" >/dev/null || fim_fail "marker missed"
[ "$(fim_count "act(d) == ['rescan']")" = 0 ] || fim_fail "a rescan for changes outside the tree"
# Stopped, the plugin cannot read the events as they come: 20000 files
# come at once when it goes on.
kill -STOP "$PLUGIN_PID"
python3 -c '
import sys
for i in range(20000):
    open("%s/f%d" % (sys.argv[1], i), "w").close()' "$T/tree"
kill -CONT "$PLUGIN_PID"
fim_wait 20 "act(d) == ['rescan']" >/dev/null || fim_fail "no rescan document"
fim_wait 30 "path(d).endswith('/f19999') and act(d) == ['created']" >/dev/null || fim_fail "f11999 missed"
sleep 1
n=$(fim_count "act(d) == ['created'] and '/tree/f' in path(d)")
[ "$n" = 20000 ] || fim_fail "$n of 20000 files reported created"
grep -q "overflowed\|too many files changed" "$T/plugin.log" || fim_fail "overflow not logged"
fim_stats 's["fim"]["overflows"] >= 1' || fim_fail "overflow not counted in stats.json"
grep -q "status: fim: .*, [1-9][0-9]* overflows" "$T/plugin.log" || fim_fail "overflow not in the SIGUSR1 log line"
fim_pass "20000 creations after an overflow"
