#!/bin/sh
# The test command: on a fresh Debian 12 machine, as root, installs the
# dependencies, builds audisp-ecs and runs every test, the real-auditd
# integration tests included.
#   sudo scripts/test.sh
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
./bootstrap
./configure --enable-werror
make -j"$(nproc)"
make check
