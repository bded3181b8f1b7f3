#!/bin/bash
# The Debian package as a new user meets it: built with dpkg-buildpackage
# from the "make dist" tree (lintian clean), installed with apt into a
# fresh Debian 12 root (debootstrap, with auditd, as on an audited host),
# where the drop-in is set active and auditd started: a document for a
# message sent to the kernel arrives in /var/log/audisp-ecs/events.json.
# Purging the package then leaves nothing of it behind.
#
# The root's debootstrap is downloaded once and kept as a tarball in
# build-pkgcache/ of the build tree (AUDISP_ECS_PKG_CACHE elsewhere), with
# the packages apt fetched.  Only the auditd part holds the machine-wide
# lock of the integration tests (tests/integration/lib.sh), which restores
# the kernel's audit state afterwards; the chroot's auditd is ours and is
# stopped before anything is unmounted.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
top_builddir=$(cd "$(dirname "$bin")" && pwd)
. "$srcdir/tests/package/lib.sh"
. "$srcdir/tests/integration/lib.sh"
ITEST_NAME=deb-install

if pkg_sanitized "$bin"; then
	echo "SKIP: $ITEST_NAME: this is the sanitizer build; the package is" \
	    "built from the sources with Debian's flags, so the normal build's" \
	    "run of this test covers it"
	exit 77
fi
itest_require_root
pkg_need dpkg-buildpackage dpkg-dev
pkg_need dh debhelper
pkg_need lintian lintian
pkg_need debootstrap debootstrap
pkg_need chroot coreutils

cache=${AUDISP_ECS_PKG_CACHE:-$top_builddir/build-pkgcache}
work=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-deb.XXXXXX") || exit 99
chmod 0755 "$work"
root=$work/root
locked=0

# Everything mounted under the root, deepest first.
root_mounts() {
	awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' \
	    /proc/mounts | sort -r
}

deb_cleanup() {
	local m
	[ -n "$AUDITD_PID" ] && itest_stop_auditd 15
	for m in $(root_mounts); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -n "$(root_mounts)" ]; then
		echo "WARNING: still mounted under $root; kept $work" >&2
		return 1
	fi
	rm -rf "$work"
}

on_exit() {
	local status=$?
	deb_cleanup || [ "$status" -ne 0 ] || status=99
	if [ "$locked" = 1 ]; then
		(exit "$status")
		itest_cleanup	# restores the kernel's audit state, exits
	fi
	exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "FAIL: $ITEST_NAME: $*"; exit 1; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
# "mode owner:group" of a path in the root.
root_stat() { stat -c '%a %U:%G' "$root$1" 2>/dev/null; }

# ---- build
src=$(pkg_distdir "$work") || exit 1
version=${src##*/audisp-ecs-}
itest_msg "building the package from $src"
if ! (cd "$src" && dpkg-buildpackage -b -us -uc) > "$work/build.log" 2>&1; then
	tail -40 "$work/build.log"; fail "dpkg-buildpackage -b failed"
fi
deb=$(ls "$work"/audisp-ecs_"$version"-*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no audisp-ecs_${version}-*_amd64.deb was built"
ls "$work"/audisp-ecs-dbgsym_"$version"-*_amd64.deb >/dev/null 2>&1 ||
    fail "no -dbgsym package was built"
if ! lintian --fail-on error,warning "$work"/audisp-ecs_"$version"-*.changes \
    > "$work/lintian.log" 2>&1; then
	cat "$work/lintian.log"; fail "lintian found errors or warnings"
fi
conffiles=$(dpkg-deb --info "$deb" conffiles | sort | tr '\n' ' ')
[ "$conffiles" = "/etc/audisp-ecs/audisp-ecs.conf /etc/audit/plugins.d/audisp-ecs.conf " ] ||
    fail "conffiles are '$conffiles'"

# ---- a fresh Debian 12 root, from the cache after the first time
mkdir -p "$cache/archives" || exit 99
if [ ! -s "$cache/bookworm-minbase.tar" ]; then
	mirror=$(pkg_host_mirror)
	itest_msg "debootstrap bookworm from $mirror (kept in $cache)"
	if ! debootstrap --variant=minbase bookworm "$work/boot" "$mirror" \
	    > "$work/debootstrap.log" 2>&1; then
		tail -20 "$work/debootstrap.log"; fail "debootstrap failed"
	fi
	tar -C "$work/boot" -cf "$cache/bookworm-minbase.tar.tmp" . &&
	    mv "$cache/bookworm-minbase.tar.tmp" "$cache/bookworm-minbase.tar" ||
	    { rm -f "$cache/bookworm-minbase.tar.tmp"; exit 99; }
	rm -rf "$work/boot"
fi
mkdir "$root" && tar -C "$root" -xf "$cache/bookworm-minbase.tar" || exit 99

# The host's apt sources and name servers; no service may start inside.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null
grep -qs '^deb ' /etc/apt/sources.list && cp /etc/apt/sources.list "$root/etc/apt/"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# policy-rc.d refuses every service action and notes it, so the test can
# tell that the package's maintainer scripts never asked for one.
printf '#!/bin/sh\necho "$*" >> /var/log/policy-rc.d.calls\nexit 101\n' \
    > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc" || exit 99
mount --bind "$cache/archives" "$root/var/cache/apt/archives" || exit 99

itest_msg "installing auditd, then the package, with apt in the root"
in_root apt-get update -q > "$work/apt.log" 2>&1 &&
    in_root apt-get install -y -q auditd >> "$work/apt.log" 2>&1 ||
    { tail -20 "$work/apt.log"; fail "apt-get could not install auditd in the root"; }
# What the root holds before the package, less what apt, dpkg and the
# audit daemon change by themselves.
snapshot() {
	in_root find / -xdev \( -path /proc -o -path /tmp -o -path /run \
	    -o -path /var/cache/apt -o -path /var/lib/apt -o -path /var/lib/dpkg \
	    -o -path /var/cache/debconf -o -path /var/log/apt \
	    -o -path /var/log/audit -o -path /var/log/dpkg.log \
	    -o -path /var/log/alternatives.log -o -path /usr/sbin/policy-rc.d \
    -o -path /var/log/policy-rc.d.calls \) \
	    -prune -o -printf '%M %u:%g %p\n' | sort
}
rm -f "$root/var/log/policy-rc.d.calls"
snapshot > "$work/before.txt"
packages() { in_root dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' |
    awk '$1 == "ii" { print $2 }' | sort; }
packages > "$work/packages-before.txt"
cp "$deb" "$root/tmp/" || exit 99
if ! in_root apt-get install -y -q "/tmp/${deb##*/}" > "$work/install.log" 2>&1; then
	tail -30 "$work/install.log"; fail "apt-get install of ${deb##*/} failed"
fi
grep -q 'the auditd plugin is installed but not active' "$work/install.log" ||
    fail "the installation did not say how to turn the plugin on"

# ---- what the package installed
for want in "/etc/audisp-ecs/audisp-ecs.conf 600 root:root" \
    "/etc/audit/plugins.d/audisp-ecs.conf 640 root:root" \
    "/var/lib/audisp-ecs 750 root:root" "/var/log/audisp-ecs 750 root:root" \
    "/usr/sbin/audisp-ecs 755 root:root" \
    "/usr/share/man/man8/audisp-ecs.8.gz 644 root:root" \
    "/usr/share/man/man5/audisp-ecs.conf.5.gz 644 root:root" \
    "/lib/systemd/system/audisp-ecs.service 644 root:root"; do
	set -- $want
	[ "$(root_stat "$1")" = "$2 $3" ] ||
	    fail "$1 is '$(root_stat "$1")', want '$2 $3'"
done
[ -e "$root/etc/systemd/system/multi-user.target.wants/audisp-ecs.service" ] &&
    fail "the standalone unit was enabled"
grep -qx 'ExecStart=/usr/sbin/audisp-ecs -f -c /etc/audisp-ecs/audisp-ecs.conf' \
    "$root/lib/systemd/system/audisp-ecs.service" ||
    fail "the unit does not run /usr/sbin/audisp-ecs with /etc/audisp-ecs/audisp-ecs.conf"
grep -qx 'active = no' "$root/etc/audit/plugins.d/audisp-ecs.conf" ||
    fail "the drop-in is not shipped with 'active = no'"
[ "$(in_root audisp-ecs -V)" = "audisp-ecs $version" ] ||
    fail "audisp-ecs -V in the root says '$(in_root audisp-ecs -V 2>&1)'"
in_root audisp-ecs test config > "$work/test-config.txt" 2>&1 ||
    { cat "$work/test-config.txt"; fail "the packaged configuration is refused"; }

# ---- auditd in the root, with the plugin active
itest_init deb-install
locked=1
trap on_exit EXIT
sed -i 's/^active = no$/active = yes/' "$root/etc/audit/plugins.d/audisp-ecs.conf"
AUDISP_ECS_BIN=$root/usr/sbin/audisp-ecs	# as /proc shows the plugin
ITEST_AUDIT_LOG=$root/var/log/audit/audit.log	# for the failure report
itest_require_no_other_auditd
setsid chroot "$root" /sbin/auditd -n > "$work/auditd.stdout" \
    2> "$work/auditd.stderr" < /dev/null {ITEST_LOCK_FD}<&- &
AUDITD_PID=$!
for _ in $(seq 100); do
	[ "$(itest_status_field pid)" = "$AUDITD_PID" ] && break
	kill -0 "$AUDITD_PID" 2>/dev/null ||
	    { AUDITD_PID=""; cat "$work/auditd.stderr"; fail "auditd in the root exited"; }
	sleep 0.1
done
[ "$(itest_status_field pid)" = "$AUDITD_PID" ] ||
    fail "auditd in the root did not register with the kernel within 10 s"
PLUGIN_PID=$(itest_find_plugin_pid 10) ||
    fail "auditd in the root did not start the packaged plugin"
itest_msg "auditd pid $AUDITD_PID, plugin pid $PLUGIN_PID, in $root"

marker="audisp-ecs-deb-install-$$-$RANDOM"
auditctl -m "$marker" > /dev/null || itest_error "auditctl -m failed"
events=$root/var/log/audisp-ecs/events.json
for _ in $(seq 150); do
	grep -qs -F "$marker" "$events" && break
	sleep 0.2
done
doc=$(grep -s -F "$marker" "$events" | head -n 1)
[ -n "$doc" ] || fail "no document for the message '$marker' in $events within 30 s"
ITEST_DOC=$doc python3 - "$marker" "$version" <<'PY' || fail "the document is wrong: $doc"
import json, os, sys
d = json.loads(os.environ["ITEST_DOC"])
marker, version = sys.argv[1], sys.argv[2]
assert d["event"]["module"] == "auditd", d["event"]
assert d["auditd"]["data"]["text"] == marker, d["auditd"]
assert d["agent"]["version"] == version, d["agent"]
PY
[ "$(root_stat /var/log/audisp-ecs/events.json)" = "600 root:root" ] ||
    fail "events.json is '$(root_stat /var/log/audisp-ecs/events.json)', want 600 root:root"

# An upgrade while the plugin is active leaves auditd and the running
# plugin alone, and says how to start the new one.
if ! in_root apt-get install -y -q --reinstall "/tmp/${deb##*/}" \
    > "$work/reinstall.log" 2>&1; then
	tail -20 "$work/reinstall.log"; fail "apt-get install --reinstall failed"
fi
grep -q 'auditd keeps running the previous plugin' "$work/reinstall.log" ||
    fail "the upgrade did not say that auditd runs the previous plugin"
[ "$(itest_status_field pid)" = "$AUDITD_PID" ] && kill -0 "$PLUGIN_PID" ||
    fail "auditd or the plugin did not survive the upgrade"
itest_stop_auditd_and_plugin "$PLUGIN_PID" || exit 1

# ---- purge: nothing of the package is left
if ! in_root apt-get purge -y -q --autoremove audisp-ecs > "$work/purge.log" 2>&1; then
	tail -20 "$work/purge.log"; fail "apt-get purge failed"
fi
# What apt keeps of what came with the package (packages another one
# recommends stay after --autoremove) is not the package's: purge it too,
# then the root must be as before.
packages | comm -13 "$work/packages-before.txt" - > "$work/kept.txt"
if [ -s "$work/kept.txt" ]; then
	itest_msg "apt kept $(tr '\n' ' ' < "$work/kept.txt")(brought in with" \
	    "the package); purging them before the comparison"
	in_root apt-get purge -y -q $(cat "$work/kept.txt") >> "$work/purge.log" 2>&1 ||
	    { tail -20 "$work/purge.log"; fail "apt-get purge of what apt kept failed"; }
fi
snapshot > "$work/after.txt"
if [ -s "$root/var/log/policy-rc.d.calls" ]; then
	sed 's/^/  policy-rc.d /' "$root/var/log/policy-rc.d.calls"
	fail "the maintainer scripts asked for service actions"
fi
if ! diff -u "$work/before.txt" "$work/after.txt" > "$work/left.txt"; then
	cat "$work/left.txt"
	fail "the purge left the root different from before the installation"
fi
state=$(in_root dpkg-query -W -f '${db:Status-Abbrev}' audisp-ecs 2>/dev/null)
case $state in ''|un*) ;; *) fail "dpkg still knows audisp-ecs: '$state'" ;; esac

echo "PASS: $ITEST_NAME: ${deb##*/} built lintian-clean, installed in" \
    "Debian 12, wrote a document under auditd, and purged without a trace"
exit 0
