#!/bin/sh
# Conformance with Auditbeat's and go-libaudit's published test vectors; see
# compare.py.  The expected documents were made on a machine with its own
# accounts (the table in users.passwd and users.group), so names are looked
# up there, through nss_wrapper, instead of in this machine's database.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
wrapper=$(find /usr/lib /lib -name libnss_wrapper.so 2>/dev/null | head -n 1)
if [ -z "$wrapper" ]; then
	echo "SKIP: nss_wrapper not installed (apt-get install libnss-wrapper)"
	exit 77
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP: PyYAML not installed (apt-get install python3-yaml)"
	exit 77
fi
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
# The vectors were made with Auditbeat's include_raw_message on.
printf 'auditd: { include_raw_message = true; };\n' > "$dir/conf"
LD_PRELOAD=$wrapper \
NSS_WRAPPER_PASSWD=$srcdir/tests/conformance/users.passwd \
NSS_WRAPPER_GROUP=$srcdir/tests/conformance/users.group \
	python3 "$srcdir/tests/conformance/compare.py" "$bin" "$dir/conf" \
	    "$srcdir/docs/compat.md" "$@"
