#!/bin/sh
# The process dataset: a process started and stopped while the plugin
# runs, then one started and one stopped while it was not running, found
# at the next start; entity_id is the same in every document of one
# process.
. "$(dirname "$0")/lib.sh"
sys_init
ev() { echo "d['event']['dataset'] == 'system.process' and d['event']['action'] == '$1' and d['process']['pid'] == $2"; }
sys_config 'datasets = ["process"];'
KIDS=""
SYS_CLEANUP=kill_kids
kill_kids() { for k in $KIDS; do kill "$k" 2>/dev/null; done; }
# spawn: a sleep of our own in $KID, running from $T.
spawn() {
	(cd "$T" && exec sleep 3600) &
	KID=$!
	KIDS="$KIDS $KID"
}

sys_start_plugin
sys_expect "$(ev existing_process $PLUGIN_PID) and d['event']['kind'] == 'state' and d['event']['category'] == ['process'] and d['event']['type'] == ['info'] and d['process']['executable'] == '$(readlink -f "$bin")'" "no state at the first start"
spawn
sys_expect "$(ev process_started $KID) and d['event']['kind'] == 'event' and d['event']['type'] == ['start'] and d['process']['name'] == 'sleep' and d['process']['args'] == ['sleep', '3600'] and d['process']['working_directory'] == '$T' and d['process']['parent']['pid'] == $$ and d['user']['id'] == '0' and d['user']['name'] == 'root' and d['process']['start'].endswith('Z') and d['message'] == 'Process sleep (PID: $KID) by user root is STARTED'" "a process start not seen"
eid=$(sys_wait 1 "$(ev process_started $KID)" | python3 -c 'import json, sys; print(json.load(sys.stdin)["process"]["entity_id"])')
kill "$KID"; wait "$KID" 2>/dev/null
sys_expect "$(ev process_stopped $KID) and d['event']['type'] == ['end'] and d['process']['entity_id'] == '$eid'" "a process end not seen"
sys_stop_plugin
[ "$(sys_count "$(ev process_started $KID) or $(ev process_stopped $KID)")" = 2 ] ||
	sys_fail "a start or end reported more than once"

# While the plugin was not running.
: > "$T/out.json"
spawn
sys_start_plugin
sys_expect "$(ev process_started $KID)" "a process started while stopped not reported"
sys_stop_plugin
[ "$(sys_count "d['event']['kind'] == 'state'")" = 0 ] || sys_fail "full state sent again before state.period"
: > "$T/out.json"
kill "$KID"; wait "$KID" 2>/dev/null
sys_start_plugin
sys_expect "$(ev process_stopped $KID)" "a process stopped while stopped not reported"
kill -0 "$PLUGIN_PID" || sys_fail "plugin died"
sys_stop_plugin
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"
sys_pass
