#!/bin/sh
# The version has one source, AC_INIT in configure.ac: the program
# (audisp-ecs -V), the Debian changelog's newest entry and the RPM spec
# must all say the same, so no package is built with a stale number.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
fail=0

want=$(sed -n 's/^AC_INIT(\[audisp-ecs\], *\[\([^]]*\)\].*/\1/p' \
    "$srcdir/configure.ac")
if [ -z "$want" ]; then
	echo "FAIL: no version in configure.ac's AC_INIT"; exit 1
fi

check() {	# what, version found
	if [ "$2" != "$want" ]; then
		echo "FAIL: $1 says '$2', configure.ac says '$want'"
		fail=1
	fi
}

check "audisp-ecs -V" "$("$bin" -V | sed -n 's/^audisp-ecs //p')"
# "audisp-ecs (0.1.0-1) bookworm; ...": the upstream part of the newest.
check "debian/changelog" "$(sed -n '1s/^audisp-ecs (\([^)-]*\)-[^)]*).*/\1/p' \
    "$srcdir/debian/changelog")"
check "rpm/audisp-ecs.spec Version" "$(sed -n 's/^Version: *//p' \
    "$srcdir/rpm/audisp-ecs.spec")"
# "* Thu Dec 03 2026 Name <mail> - 0.1.0-1": the newest changelog entry.
check "rpm/audisp-ecs.spec %changelog" "$(sed -n '/^%changelog/,$p' \
    "$srcdir/rpm/audisp-ecs.spec" | sed -n 's/^\*.* - \([^-]*\)-[^-]*$/\1/p' |
    head -n 1)"

[ $fail -eq 0 ] && echo "PASS: version $want everywhere"
exit $fail
