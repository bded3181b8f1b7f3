#!/bin/sh
# The host dataset, the plugin in a UTS namespace of its own so that its
# hostname can change without touching the machine's: the state at the
# first start; a hostname changed while it runs; then, each made while it
# was stopped and found at the next start, a hostname change, a reboot
# (the kept boot time made an hour older), a time zone change (TZ) and a
# new host id (the kept id altered).
. "$(dirname "$0")/lib.sh"
sys_init
command -v unshare >/dev/null && command -v nsenter >/dev/null ||
	sys_skip "unshare or nsenter not found (apt-get install util-linux)"
unshare -u true 2>/dev/null || sys_skip "cannot make a UTS namespace here"
[ -e /usr/share/zoneinfo/Europe/Paris ] || sys_skip "no tzdata (apt-get install tzdata)"
H=ecs-host-$$
STATE=$T/data/system/host.json
ev() { echo "d['event']['dataset'] == 'system.host' and d['event']['action'] == '$1'"; }
# edit PYTHON: changes the kept state s while the plugin is stopped.
edit() {
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
exec(sys.argv[2])
open(sys.argv[1], "w").write(json.dumps(s))' "$STATE" "$1"
}
sys_config 'datasets = ["host"];'

sys_start_plugin env TZ=UTC unshare -u sh -c 'hostname "$0" && exec "$@"' "$H-a"
sys_expect "$(ev host) and d['event']['kind'] == 'state' and d['event']['category'] == ['host'] and d['event']['type'] == ['info'] and d['host']['hostname'] == '$H-a' and d['system']['audit']['host']['hostname'] == '$H-a' and d['system']['audit']['host']['boottime'].endswith('Z') and d['system']['audit']['host']['uptime'] > 0 and d['system']['audit']['host']['timezone'] == {'name': 'UTC', 'offset': {'sec': 0}} and d['host']['id'] == '$(cat /etc/machine-id)' and d['message'].startswith(d['host']['os']['name'] + ' host $H-a (IP: ') and d['message'].rstrip('s').endswith(' minute')" "no state at the first start"
nsenter -u -t "$PLUGIN_PID" hostname "$H-b" || exit 99
sys_expect "$(ev hostname_changed) and d['event']['kind'] == 'event' and d['event']['type'] == ['change'] and d['host']['hostname'] == '$H-b' and d['message'].startswith('Hostname changed to $H-b (IP: ')" "a hostname change not seen"
sys_stop_plugin
[ "$(hostname)" != "$H-b" ] || sys_fail "the machine's hostname changed"
[ "$(sys_count "$(ev hostname_changed)")" = 1 ] || sys_fail "hostname change reported more than once"

# Changes made while the plugin was not running.
: > "$T/out.json"
sys_start_plugin env TZ=UTC unshare -u sh -c 'hostname "$0" && exec "$@"' "$H-c"
sys_expect "$(ev hostname_changed) and d['host']['hostname'] == '$H-c'" "a hostname change while stopped not reported"
sys_stop_plugin
[ "$(sys_count "d['event']['kind'] == 'state'")" = 0 ] || sys_fail "full state sent again before state.period"
: > "$T/out.json"
edit 's["boottime"] -= 3600'
sys_start_plugin env TZ=UTC unshare -u sh -c 'hostname "$0" && exec "$@"' "$H-c"
sys_expect "$(ev reboot) and d['event']['type'] == ['start'] and d['message'] == 'Host $H-c (IP: ' + d['host']['ip'][0] + ') restarted'" "a reboot while stopped not reported"
sys_stop_plugin
[ "$(sys_count "$(ev hostname_changed) or $(ev host_changed)")" = 0 ] || sys_fail "a change reported twice across restarts"
: > "$T/out.json"
sys_start_plugin env TZ=Europe/Paris unshare -u sh -c 'hostname "$0" && exec "$@"' "$H-c"
sys_expect "$(ev host_changed) and d['system']['audit']['host']['timezone']['name'] in ('CET', 'CEST') and d['system']['audit']['host']['timezone']['offset']['sec'] in (3600, 7200)" "a time zone change while stopped not reported"
sys_stop_plugin
: > "$T/out.json"
edit 's["id"] = "0123456789abcdef0123456789abcdef"'
sys_start_plugin env TZ=Europe/Paris unshare -u sh -c 'hostname "$0" && exec "$@"' "$H-c"
sys_expect "$(ev host_id_changed) and d['system']['audit']['host']['id'] == '0123456789abcdef0123456789abcdef' and d['system']['audit']['host'].get('new_id') == '$(cat /etc/machine-id)'" "the old host of an id change not reported"
sys_expect "$(ev host_id_changed) and d['system']['audit']['host'].get('old_id') == '0123456789abcdef0123456789abcdef'" "the new host of an id change not reported"
kill -0 "$PLUGIN_PID" || sys_fail "plugin died"
sys_stop_plugin
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"

# A kept state that does not check out is said, and a full state sent.
: > "$T/out.json"
echo '{"version": 1, "state_sent": "yesterday"}' > "$STATE"
sys_start_plugin env TZ=UTC
sys_expect "$(ev host) and d['event']['kind'] == 'state'" "no state after a bad kept state"
sys_stop_plugin
grep -q "host dataset: kept state not used.*host.json: state_sent: missing or not an integer" "$T/plugin.log" ||
	sys_fail "a bad kept state not reported"
sys_pass
