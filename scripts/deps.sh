#!/bin/sh
# Install what building and testing audisp-ecs needs on Debian 12 (root).
# Sourced by scripts/test.sh and scripts/run-demo.sh; safe to run again.
set -e
if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/deps.sh: run as root (it installs Debian packages)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
	build-essential autoconf automake libtool pkg-config \
	libauparse-dev libaudit-dev libjson-c-dev libconfig-dev \
	libcurl4-openssl-dev libssl-dev zlib1g-dev libcmocka-dev \
	auditd python3 zstd valgrind clang
