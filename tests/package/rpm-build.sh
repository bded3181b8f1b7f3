#!/bin/bash
# rpm/audisp-ecs.spec builds a binary package from the "make dist" tree
# (rpmbuild -bb; --nodeps, as Debian has none of the RHEL build
# dependencies by their names), and the package holds exactly the files
# the plugin needs, the configuration files marked as such and with
# their modes.
set -u
srcdir=${srcdir:-.}
top_builddir=$(cd "$(dirname "${AUDISP_ECS:-./audisp-ecs}")" && pwd)
. "$srcdir/tests/package/lib.sh"
pkg_need rpmbuild rpm
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail=0

src=$(pkg_distdir "$dir") || exit 1
name=${src##*/}
mkdir -p "$dir/SOURCES"
tar -C "$dir" -czf "$dir/SOURCES/$name.tar.gz" "$name" || exit 99
if ! rpmbuild -bb --nodeps --define "_topdir $dir" \
    "$src/rpm/audisp-ecs.spec" > "$dir/rpmbuild.log" 2>&1; then
	echo "FAIL: rpmbuild -bb failed:"; tail -40 "$dir/rpmbuild.log"; exit 1
fi
rpm=$(find "$dir/RPMS" -name 'audisp-ecs-[0-9]*.rpm' | head -n 1)
if [ -z "$rpm" ]; then
	echo "FAIL: rpmbuild wrote no audisp-ecs package"; exit 1
fi

# Mode and path of every file, less the build-id links rpm adds.
rpm -qlvp "$rpm" | awk '$NF !~ /\.build-id/ && $1 !~ /^l/ {
	print substr($1, 2) " " $NF }' | sed 's/\.gz$//' | sort > "$dir/files"
sort > "$dir/want" <<'EOW'
rw------- /etc/audisp-ecs/audisp-ecs.conf
rw-r----- /etc/audit/plugins.d/audisp-ecs.conf
rw-r--r-- /usr/lib/systemd/system/audisp-ecs.service
rw-r--r-- /usr/share/man/man5/audisp-ecs.conf.5
rw-r--r-- /usr/share/man/man8/audisp-ecs.8
rwxr-x--- /var/lib/audisp-ecs
rwxr-x--- /var/log/audisp-ecs
rwxr-xr-x /etc/audisp-ecs
rwxr-xr-x /usr/sbin/audisp-ecs
rwxr-xr-x /usr/share/audisp-ecs
rwxr-xr-x /usr/share/audisp-ecs/rules.d
EOW
# The documentation directory's name has the version in it on some rpm
# versions; the rule sets are whatever rules.d holds.
grep -v -e ' /usr/share/doc/' -e ' /usr/share/audisp-ecs/rules.d/' \
    "$dir/files" > "$dir/files.core"
if ! diff -u "$dir/want" "$dir/files.core"; then
	echo "FAIL: the package's files differ (- expected, + in the package)"
	fail=1
fi
for doc in README.md selinux.md; do
	grep -q " /usr/share/doc/audisp-ecs[^/]*/$doc\$" "$dir/files" ||
	    { echo "FAIL: $doc is not in the package's documentation"; fail=1; }
done
for f in "$srcdir"/rules.d/*.rules; do
	[ -f "$f" ] || continue
	grep -q " /usr/share/audisp-ecs/rules.d/${f##*/}\$" "$dir/files" ||
	    { echo "FAIL: rules.d/${f##*/} is not in the package"; fail=1; }
done

# Both configuration files are %config(noreplace): an administrator's
# edits survive an upgrade.
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm" |
    awk '$2 ~ /^\/etc\// && $2 ~ /\.conf$/' | sort > "$dir/config"
printf '%s\n' "cn /etc/audisp-ecs/audisp-ecs.conf" \
    "cn /etc/audit/plugins.d/audisp-ecs.conf" > "$dir/config.want"
if ! diff -u "$dir/config.want" "$dir/config"; then
	echo "FAIL: the configuration files are not %config(noreplace)"
	fail=1
fi

# RHEL's names for the libraries, whatever rpm found in the binary.
rpm -qp --requires "$rpm" > "$dir/requires"
for dep in audit audit-libs json-c libconfig libcurl openssl-libs lmdb-libs \
    xxhash-libs; do
	grep -qx "$dep" "$dir/requires" ||
	    { echo "FAIL: the package does not require $dep"; fail=1; }
done
grep -q 'PASS: version' "$dir/rpmbuild.log" ||
    { echo "FAIL: the spec's %check did not run the version test"; fail=1; }

[ $fail -eq 0 ] && echo "PASS: $(basename "$rpm") holds" \
    "$(wc -l < "$dir/files") files and directories, configuration noreplace"
exit $fail
