#!/bin/sh
# The user dataset on this machine's own files: a user added, changed
# (usermod), its password changed (chpasswd) and removed while the plugin
# runs, then each of those made while it was stopped and found at the
# next start; the shadow hash never appears in a document or the state;
# the full state comes at the first start and again every state.period.
. "$(dirname "$0")/lib.sh"
sys_init
for t in useradd usermod chpasswd userdel groupdel; do
	command -v $t >/dev/null || sys_skip "$t not found (apt-get install passwd)"
done
U=ecst$$
V=ecsv$$
SYS_CLEANUP=remove_users
remove_users() {
	for u in $U $V; do
		userdel "$u" 2>/dev/null
		groupdel "$u" 2>/dev/null
	done
}
ev() { echo "d['event']['dataset'] == 'system.user' and d['event']['action'] == '$1' and d.get('user', {}).get('name') == '$2'"; }
sys_config 'datasets = ["user"];'

sys_start_plugin
sys_expect "$(ev existing_user root) and d['event']['kind'] == 'state' and d['event']['type'] == ['info'] and d['system']['audit']['user']['uid'] == '0'" "no state at the first start"

useradd -M -s /usr/sbin/nologin "$U" || exit 99
sys_expect "$(ev user_added $U) and d['event']['kind'] == 'event' and d['event']['category'] == ['iam'] and d['event']['type'] == ['creation'] and d['system']['audit']['user']['group'][0]['name'] == '$U' and d['user']['id'] == '$(id -u $U)'" "useradd not seen"
sys_expect "d['event']['action'] == 'group_added' and d['group']['name'] == '$U'" "the new user's group not seen"
usermod -c "Test Person" "$U" || exit 99
sys_expect "$(ev user_changed $U) and d['system']['audit']['user']['user_information'] == 'Test Person' and d['event']['type'] == ['change']" "usermod not seen"
echo "$U:Secret-$$-pw" | chpasswd || exit 99
sys_expect "$(ev password_changed $U) and d['system']['audit']['user']['password']['type'] == 'shadow_password'" "chpasswd not seen"
hash=$(awk -F: -v u="$U" '$1 == u { print $2 }' /etc/shadow)
[ ${#hash} -gt 20 ] || sys_fail "no hash in /etc/shadow for $U"
userdel "$U" || exit 99
sys_expect "$(ev user_removed $U) and d['event']['type'] == ['deletion']" "userdel not seen"
sys_expect "d['event']['action'] == 'group_removed' and d['group']['name'] == '$U'" "the removed user's group not seen"
[ "$(sys_count "$(ev user_changed $U) or $(ev password_changed $U)")" = 2 ] ||
	sys_fail "a change reported more than once"
sys_stop_plugin
grep -qF "$hash" "$T/out.json" "$T/data/system/user.json" && sys_fail "the shadow hash was written"
grep -q '"pw_digest":"[0-9a-f]\{64\}"' "$T/data/system/user.json" || sys_fail "no digests kept"
[ "$(stat -c %a "$T/data/system/user.json")" = 600 ] || sys_fail "state file not 0600"

# Changes made while the plugin was not running.
: > "$T/out.json"
useradd -M -s /usr/sbin/nologin "$V" || exit 99
sys_start_plugin
sys_expect "$(ev user_added $V)" "a user added while stopped not reported"
sys_stop_plugin
[ "$(sys_count "d['event']['kind'] == 'state'")" = 0 ] || sys_fail "full state sent again before state.period"
: > "$T/out.json"
usermod -s /bin/sh "$V" || exit 99
echo "$V:Other-$$-pw" | chpasswd || exit 99
sys_start_plugin
sys_expect "$(ev user_changed $V) and d['system']['audit']['user']['shell'] == '/bin/sh'" "a usermod while stopped not reported"
sys_expect "$(ev password_changed $V)" "a chpasswd while stopped not reported"
sys_stop_plugin
: > "$T/out.json"
userdel "$V" || exit 99
sys_start_plugin
sys_expect "$(ev user_removed $V)" "a user removed while stopped not reported"
sys_stop_plugin
[ "$(sys_count "$(ev user_added $V) or $(ev user_changed $V)")" = 0 ] || sys_fail "a change reported twice across restarts"

# The full state again once state.period has passed.
: > "$T/out.json"
sys_config 'datasets = ["user"]; state: { period = "2s"; };'
sys_start_plugin
sys_expect "$(ev existing_user root)" "no state after state.period at start"
n=0
while [ "$(sys_count "$(ev existing_user root)")" -lt 2 ] && [ $n -lt 60 ]; do
	sleep 0.1; n=$((n + 1))
done
[ $n -lt 60 ] || sys_fail "no state every state.period"
kill -0 "$PLUGIN_PID" || sys_fail "plugin died"
sys_stop_plugin
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"
sys_pass
