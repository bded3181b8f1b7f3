#!/bin/sh
# An inotify queue overflow (fs.inotify.max_queued_events lowered for the
# test, restored after) becomes a "rescan" document and a rescan that
# still reports every file created meanwhile.
. "$(dirname "$0")/lib.sh"
fim_init
: "${FIM_BACKEND:=inotify}"
q=/proc/sys/fs/inotify/max_queued_events
[ -w $q ] || fim_skip "$q is not writable"
old=$(cat $q)
restore() { echo "$old" > $q; fim_cleanup; }
trap restore EXIT
fim_config "paths = [\"$T/tree\"]; recursive = true;"
echo 16 > $q
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan']" >/dev/null || fim_fail "no initial scan"
echo "$old" > $q
# The plugin's queue was sized at its start: 16 events.  Stopped, it
# cannot read them as they come.
kill -STOP "$PLUGIN_PID"
i=0
while [ $i -lt 300 ]; do : > $T/tree/f$i; i=$((i + 1)); done
kill -CONT "$PLUGIN_PID"
fim_wait 10 "act(d) == ['rescan']" >/dev/null || fim_fail "no rescan document"
fim_wait 10 "path(d).endswith('/f299') and act(d) == ['created']" >/dev/null || fim_fail "f299 missed"
n=$(fim_count "act(d) == ['created'] and '/f' in path(d)")
[ "$n" = 300 ] || fim_fail "$n of 300 files reported created"
grep -q "overflowed" "$T/plugin.log" || fim_fail "overflow not logged"
fim_pass "300 creations after an overflow"
