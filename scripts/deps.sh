#!/bin/sh
# Install what building and testing audisp-ecs needs on Debian 12 (root).
# Used by scripts/test.sh and scripts/run-demo.sh; safe to run again.
# Beyond the libraries: curl (the Elasticsearch tests talk to their test
# server with it, and skip without it), openssl (the test certificates),
# procps and iproute2 (pgrep and ss in the integration tests), attr, acl
# and xxhash (the file integrity tests); a minimal Debian 12 has none of
# them.  The test peers need only Python's standard library.
#
# Installing the auditd package would start the system's auditd.service at
# once, and then neither the tests nor the demo could start their own audit
# daemon (only one can hold the kernel's audit socket).  When auditd is not
# installed yet, the standard Debian policy-rc.d hook keeps it from starting
# during the install; the service stays enabled for the next boot.
set -e
if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/deps.sh: run as root (it installs Debian packages)" >&2
	exit 1
fi
policy=/usr/sbin/policy-rc.d
if ! dpkg -s auditd >/dev/null 2>&1 && [ ! -e "$policy" ]; then
	trap 'rm -f "$policy"' EXIT
	printf '#!/bin/sh\n# temporary, from audisp-ecs scripts/deps.sh\nexit 101\n' > "$policy"
	chmod 0755 "$policy"
	echo "scripts/deps.sh: auditd will be installed but not started now" \
	    "(its service is enabled for the next boot)"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
	build-essential autoconf automake libtool pkg-config \
	libauparse-dev libaudit-dev libjson-c-dev libconfig-dev \
	libcurl4-openssl-dev libssl-dev zlib1g-dev libdeflate-dev libcmocka-dev \
	liblmdb-dev libxxhash-dev libcap-ng-dev attr acl xxhash aide \
	auditd python3 python3-yaml libnss-wrapper zstd valgrind clang libclang-rt-14-dev time \
	curl openssl procps iproute2 \
	laurel

# The real engines the tests use as peers, never shipped: OpenSearch
# (tests/opensearch: Java 17 and Maven) and Elastic's go-lumber
# (tests/golumber: Go).  Only what is missing: a toolchain the machine
# already has is kept.
peer_tools=
command -v javac >/dev/null 2>&1 || peer_tools="$peer_tools default-jdk-headless"
command -v mvn >/dev/null 2>&1 || peer_tools="$peer_tools maven"
command -v go >/dev/null 2>&1 || peer_tools="$peer_tools golang-go"
if [ -n "$peer_tools" ]; then
	# shellcheck disable=SC2086  # a list of package names
	apt-get install -y -q --no-install-recommends $peer_tools
fi

# Packaging: building the .deb (debhelper, lintian) and the .rpm (rpm on
# Debian), the fresh Debian 12 root of tests/package/deb-install.sh
# (debootstrap), and systemd-analyze for the unit's test (systemd).
apt-get install -y -q --no-install-recommends \
	debhelper dpkg-dev lintian rpm debootstrap systemd
