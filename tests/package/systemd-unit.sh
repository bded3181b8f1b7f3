#!/bin/sh
# The standalone mode's systemd unit, as "make install" writes it: systemd
# accepts it (systemd-analyze verify), it checks and then runs the
# installed configuration with the installed binary, keeps the hardening
# the README promises, and systemd rates its exposure 5.0 or better ("OK"
# or safer).
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
top_builddir=$(cd "$(dirname "$bin")" && pwd)
. "$srcdir/tests/package/lib.sh"
pkg_need systemd-analyze systemd
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail=0

if ! make -C "$top_builddir" -s install-systemd-unit DESTDIR="$dir/inst" \
    systemdunitdir=/unit sbindir=/usr/sbin sysconfdir=/etc \
    > "$dir/install.log" 2>&1; then
	echo "FAIL: make install-systemd-unit failed:"; cat "$dir/install.log"
	exit 1
fi
unit=$dir/inst/unit/audisp-ecs.service
[ -f "$unit" ] || { echo "FAIL: no unit installed"; exit 1; }

grep -qx 'ExecStart=/usr/sbin/audisp-ecs -f -c /etc/audisp-ecs/audisp-ecs.conf' \
    "$unit" || { echo "FAIL: ExecStart is '$(grep ^ExecStart= "$unit")'"; fail=1; }
grep -qx 'ExecStartPre=/usr/sbin/audisp-ecs test config -c /etc/audisp-ecs/audisp-ecs.conf' \
    "$unit" || { echo "FAIL: the unit does not check the configuration first"; fail=1; }
for want in ProtectSystem=strict ProtectHome=read-only NoNewPrivileges=yes \
    'ReadWritePaths=/var/lib/audisp-ecs /var/log/audisp-ecs' \
    'CapabilityBoundingSet=CAP_AUDIT_READ CAP_AUDIT_CONTROL CAP_SYS_PTRACE CAP_DAC_READ_SEARCH'; do
	grep -qx "$want" "$unit" || { echo "FAIL: the unit lacks $want"; fail=1; }
done

# verify wants the program to exist: the one just built stands in for it.
sed "s|^\(ExecStart[A-Za-z]*\)=/usr/sbin/audisp-ecs|\1=$top_builddir/audisp-ecs|" \
    "$unit" > "$dir/audisp-ecs.service"
if ! SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
    "$dir/audisp-ecs.service" > "$dir/verify.txt" 2>&1; then
	echo "FAIL: systemd-analyze verify:"; cat "$dir/verify.txt"; fail=1
fi
if ! systemd-analyze security --offline=yes --threshold=50 \
    "$dir/audisp-ecs.service" > "$dir/security.txt" 2>&1; then
	echo "FAIL: systemd rates the unit's exposure above 5.0:"
	tail -3 "$dir/security.txt"; fail=1
fi

[ $fail -eq 0 ] && echo "PASS: the unit verifies, is hardened," \
    "$(grep -o 'exposure level[^:]*: [0-9.]* [A-Z]*' "$dir/security.txt")"
exit $fail
