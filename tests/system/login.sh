#!/bin/sh
# The login dataset on test copies of wtmp and btmp (the config keys point
# at them; the machine's files are never touched): a boot, a login with
# its source address, its logout, a failed login, a shutdown; then the
# wtmp rotated and a login in the new file (nothing reported twice);
# records appended while the plugin was stopped, found at the next start
# once; a truncated file read again from its start.
. "$(dirname "$0")/lib.sh"
sys_init
W=$T/logs/wtmp
B=$T/logs/btmp
mkdir -p "$T/logs"
: > "$W"
: > "$B"
WRITER="$(cd "$(dirname "$0")" && pwd)/utmp_writer.py"
rec() { python3 "$WRITER" "$@" || exit 99; }
ev() { echo "d['event']['dataset'] == 'system.login' and d['event']['action'] == '$1'"; }
sys_config "datasets = [\"login\"]; login: { wtmp_file_pattern = \"$W*\"; btmp_file_pattern = \"$B*\"; };"

sys_start_plugin
rec "$W" 2 reboot "~" 0 6.1.0 "" 1700000000
sys_expect "$(ev boot) and d['event']['category'] == ['host'] and d['event']['type'] == ['start'] and d['@timestamp'] == '2023-11-14T22:13:20.000Z' and d['event']['origin'] == '$W' and d['message'] == 'System boot'" "a boot not seen"
rec "$W" 7 root pts/7 4242 client.example 192.0.2.9 1700000100
sys_expect "$(ev user_login) and d['event']['outcome'] == 'success' and d['event']['category'] == ['authentication'] and d['user'] == {'name': 'root', 'id': '0', 'terminal': 'pts/7'} and d['process']['pid'] == 4242 and d['source'] == {'ip': '192.0.2.9', 'domain': 'client.example'} and d['related'] == {'user': ['root'], 'ip': ['192.0.2.9']} and d['message'] == 'Login by user root (UID: 0) on pts/7 (PID: 4242) from client.example (IP: 192.0.2.9)'" "a login not seen"
rec "$W" 8 "" pts/7 4242 "" "" 1700000200
sys_expect "$(ev user_logout) and d['user']['name'] == 'root' and d['event']['type'] == ['end'] and 'outcome' not in d['event']" "a logout not seen"
rec "$B" 6 nosuchuser ssh:notty 5151 203.0.113.7 203.0.113.7 1700000300
sys_expect "$(ev user_login) and d['event']['outcome'] == 'failure' and d['user']['name'] == 'nosuchuser' and 'id' not in d['user'] and d['source'] == {'ip': '203.0.113.7'} and d['event']['origin'] == '$B'" "a failed login not seen"
rec "$W" 1 shutdown "~~" 0 6.1.0 "" 1700000400
sys_expect "$(ev shutdown) and d['event']['type'] == ['end']" "a shutdown not seen"

# Rotation: the old file keeps its place, the new one is read from 0.
mv "$W" "$W.1"
: > "$W"
rec "$W" 7 root tty1 777 "" "" 1700000500
sys_expect "$(ev user_login) and d['user']['terminal'] == 'tty1' and d['event']['origin'] == '$W'" "a login in the new wtmp not seen"
sleep 1.2
[ "$(sys_count "$(ev boot)")" = 1 ] || sys_fail "the rotated wtmp read again"
sys_stop_plugin

# While the plugin was not running.
: > "$T/out.json"
rec "$W" 8 "" tty1 777 "" "" 1700000600
rec "$B" 6 root ssh:notty 5252 198.51.100.1 198.51.100.1 1700000700
sys_start_plugin
sys_expect "$(ev user_logout) and d['user'] == {'name': 'root', 'id': '0', 'terminal': 'tty1'}" "a logout while stopped not reported (or without its user)"
sys_expect "$(ev user_login) and d['event']['outcome'] == 'failure' and d['source']['ip'] == '198.51.100.1'" "a failed login while stopped not reported"
sleep 1.2
sys_stop_plugin
[ "$(wc -l < "$T/out.json")" = 2 ] || sys_fail "records reported again after a restart"

# A truncated file is read again from its start.
: > "$T/out.json"
: > "$W"
sys_start_plugin
sleep 1.2
rec "$W" 7 root pts/9 999 "" "" 1700000800
sys_expect "$(ev user_login) and d['user']['terminal'] == 'pts/9'" "a login in a truncated wtmp not seen"
kill -0 "$PLUGIN_PID" || sys_fail "plugin died"
sys_stop_plugin
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"
sys_pass
