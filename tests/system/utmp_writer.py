#!/usr/bin/env python3
"""Appends utmp(5) records (the C library's struct utmp on Linux, 384
bytes) to a wtmp or btmp file, for the login dataset's tests.

utmp_writer.py FILE TYPE USER TTY PID HOST IP SECONDS

TYPE is a number (2 BOOT_TIME, 1 RUN_LVL, 7 USER_PROCESS, 8 DEAD_PROCESS,
6 LOGIN_PROCESS); IP is "" or an IPv4 or IPv6 address.
"""
import ipaddress
import struct
import sys

FORMAT = "=hxxi32s4s32s256shhiii4i20s"


def record(ut_type, user, tty, pid, host, ip, seconds):
    addr = [0, 0, 0, 0]
    if ip:
        packed = ipaddress.ip_address(ip).packed
        addr = list(struct.unpack("=4i", packed.ljust(16, b"\0")))
    return struct.pack(FORMAT, ut_type, pid, tty.encode(), tty[-4:].encode(),
                       user.encode(), host.encode(), 0, 0, 0,
                       seconds, 0, *addr, b"")


def main():
    path, ut_type, user, tty, pid, host, ip, seconds = sys.argv[1:9]
    data = record(int(ut_type), user, tty, int(pid), host, ip, int(seconds))
    assert len(data) == 384, len(data)
    with open(path, "ab") as f:
        f.write(data)


sys.exit(main())
