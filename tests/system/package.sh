#!/bin/sh
# The package dataset on this machine's dpkg database: a package built
# with dpkg-deb installed, upgraded and removed while the plugin runs,
# then each of those made while it was stopped and found at the next
# start.  The package has a unique name and is purged on exit.
. "$(dirname "$0")/lib.sh"
sys_init
for t in dpkg dpkg-deb; do
	command -v $t >/dev/null || sys_skip "$t not found (a Debian system)"
done
P=ecs-test-pkg-$$
SYS_CLEANUP=purge
purge() { dpkg_retry -P "$P" >/dev/null 2>&1; }
# dpkg refuses at once when another dpkg holds its lock: try a while.
dpkg_retry() {
	_n=0
	until dpkg "$@"; do
		_n=$((_n + 1))
		[ $_n -lt 30 ] || return 1
		sleep 1
	done
}
# build VERSION: $T/P_VERSION.deb
build() {
	mkdir -p "$T/pkg-$1/DEBIAN" "$T/pkg-$1/usr/share/doc/$P"
	echo "version $1" > "$T/pkg-$1/usr/share/doc/$P/README"
	cat > "$T/pkg-$1/DEBIAN/control" <<EOC
Package: $P
Version: $1
Architecture: all
Maintainer: Test <test@example.invalid>
Installed-Size: 4
Homepage: https://example.invalid/$P
Description: test package of the package dataset
 It is installed and removed by tests/system/package.sh.
EOC
	dpkg-deb --build --root-owner-group "$T/pkg-$1" "$T/${P}_$1.deb" >/dev/null || exit 99
}
ev() { echo "d['event']['dataset'] == 'system.package' and d['event']['action'] == '$1' and d['package']['name'] == '$2'"; }
build 1.0
build 2.0
sys_config 'datasets = ["package"];'

sys_start_plugin
sys_expect "$(ev existing_package dpkg) and d['event']['kind'] == 'state' and d['event']['category'] == ['package'] and d['event']['type'] == ['info'] and d['package']['type'] == 'dpkg'" "no state at the first start" 20
dpkg_retry -i "$T/${P}_1.0.deb" >/dev/null || exit 99
sys_expect "$(ev package_installed $P) and d['event']['kind'] == 'event' and d['event']['type'] == ['installation'] and d['package']['version'] == '1.0' and d['package']['architecture'] == 'all' and d['package']['description'] == 'test package of the package dataset' and d['package']['reference'] == 'https://example.invalid/$P' and d['package']['size'] == 4 and d['package']['installed'].endswith('Z') and d['system']['audit']['package']['version'] == '1.0' and d['message'] == 'Package $P (1.0) installed'" "dpkg -i not seen"
dpkg_retry -i "$T/${P}_2.0.deb" >/dev/null || exit 99
sys_expect "$(ev package_updated $P) and d['event']['type'] == ['change'] and d['package']['version'] == '2.0'" "the upgrade not seen"
dpkg_retry -r "$P" >/dev/null || exit 99
sys_expect "$(ev package_removed $P) and d['event']['type'] == ['deletion'] and d['package']['version'] == '2.0'" "dpkg -r not seen"
sys_stop_plugin
[ "$(sys_count "$(ev package_installed $P) or $(ev package_updated $P) or $(ev package_removed $P)")" = 3 ] ||
	sys_fail "a change reported more than once"

# Changes made while the plugin was not running.
: > "$T/out.json"
dpkg_retry -i "$T/${P}_1.0.deb" >/dev/null || exit 99
sys_start_plugin
sys_expect "$(ev package_installed $P) and d['package']['version'] == '1.0'" "an install while stopped not reported" 20
sys_stop_plugin
[ "$(sys_count "d['event']['kind'] == 'state'")" = 0 ] || sys_fail "full state sent again before state.period"
: > "$T/out.json"
dpkg_retry -i "$T/${P}_2.0.deb" >/dev/null || exit 99
sys_start_plugin
sys_expect "$(ev package_updated $P) and d['package']['version'] == '2.0'" "an upgrade while stopped not reported" 20
sys_stop_plugin
: > "$T/out.json"
dpkg_retry -P "$P" >/dev/null || exit 99
sys_start_plugin
sys_expect "$(ev package_removed $P)" "a purge while stopped not reported" 20
kill -0 "$PLUGIN_PID" || sys_fail "plugin died"
sys_stop_plugin
[ "$(sys_count "$(ev package_installed $P) or $(ev package_updated $P)")" = 0 ] || sys_fail "a change reported twice across restarts"
grep -q "exiting:" "$T/plugin.log" || sys_fail "no clean exit"
sys_pass
