#!/bin/sh
# Bad input between good events: garbage bytes, a truncated record, a
# 200 kB record, unparsable timestamps, an unknown record type, invalid
# UTF-8, a NUL byte, a last line without newline.  The good events must all
# come out as valid JSON, the bad lines must be reported by file:line, and
# nothing may crash.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT

python3 - "$dir/input.log" <<'PY'
import sys
good = lambda serial, extra="": (
    f'type=SYSCALL msg=audit(1700000000.{serial % 1000:03d}:{serial}): arch=c000003e '
    f'syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid={serial} '
    f'auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 '
    f'ses=3 comm="true" exe="/usr/bin/true" key="bad_input"{extra}\n'
    f'type=EXECVE msg=audit(1700000000.{serial % 1000:03d}:{serial}): argc=2 a0="true" a1="{serial}"\n'
    f'type=PROCTITLE msg=audit(1700000000.{serial % 1000:03d}:{serial}): proctitle=7472756500{serial:x}\n'
    f'type=EOE msg=audit(1700000000.{serial % 1000:03d}:{serial}): \n').encode()
out = open(sys.argv[1], "wb")
out.write(good(101))
out.write(b"\x00\xff\xfe garbage \x01\x02 bytes\n")             # garbage
out.write(good(102))
out.write(b"type=SYSCALL msg=audit(1700000000.103:10")             # truncated
out.write(b"\n")
out.write(good(104))
out.write(b"type=PATH msg=audit(1700000000.105:105): name=" + b"41" * 100000 + b"\n")  # 200 kB
out.write(good(106))
out.write(b"type=SYSCALL msg=audit(17000x0000.107:107): arch=c000003e\n")  # bad timestamp
out.write(b"type=SYSCALL msg=audit(1700000000.5000:108): arch=c000003e\n")  # ms > 999
out.write(good(109))
out.write(b"type=UNKNOWN[1999] msg=audit(1700000000.110:110): foo=bar baz=1\n")  # unknown type
out.write(good(111, ' cwd=2F746D702FFF'))                            # invalid UTF-8 (hex)
out.write(b"type=USER_CMD msg=audit(1700000000.112:112): pid=1 uid=0 auid=0 ses=1 msg='cwd=\"/\" cmd=2F62696E2F6C73C3 terminal=pts/0 res=success'\n")
out.write(b"type=SYSCALL msg=audit(1700000000.113:113): arch=c000003e\x00 syscall=2\n")  # NUL
out.write(good(114))
out.write(b"no type here at all\n")
out.write(good(115)[:-1])                                            # no final newline
PY

"$bin" replay "$dir/input.log" > "$dir/out.json" 2> "$dir/err.txt"
rc=$?
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
check "replay exits 0 (was $rc)" '[ $rc -eq 0 ]'
python3 - "$dir/out.json" <<'PY' || fail=1
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
# The serials of the rejected records are reported as lost events.
lost = [d["auditd"]["lost"] for d in docs
        if d["event"]["action"] == "audit-events-lost"]
docs = [d for d in docs if d["event"]["action"] != "audit-events-lost"]
if not lost:
    sys.exit("FAIL: no audit-events-lost document for the rejected serials")
seqs = sorted(d["auditd"]["sequence"] for d in docs)
want = [101, 102, 104, 106, 109, 110, 111, 112, 114, 115]
if seqs != want:
    sys.exit(f"FAIL: sequences {seqs}, want {want}")
by = {d["auditd"]["sequence"]: d for d in docs}
if by[101]["process"]["args"] != ["true", "101"]:
    sys.exit(f"FAIL: args {by[101]['process']['args']}")
if by[110]["auditd"]["message_type"] != "unknown[1999]":
    sys.exit(f"FAIL: unknown type became {by[110]['auditd']['message_type']}")
cmd = by[112]["auditd"]["data"]["cmd"]
if cmd != "/bin/ls\\xC3":
    sys.exit(f"FAIL: invalid UTF-8 not escaped recoverably: {cmd!r}")
if "auditd.data.cmd" not in " ".join(by[112].get("error", {}).get("message", [])):
    sys.exit(f"FAIL: escaped field not named: {by[112].get('error')}")
if by[115]["process"]["args"] != ["true", "115"]:
    sys.exit("FAIL: last event without final newline lost")
print("PASS: the 10 good events came out, valid JSON")
PY
for line in 5 10 15 20 21 32 37; do
	check "line $line reported" "grep -q 'input.log:$line:' '$dir/err.txt'"
done
check "200 kB record named by type and serial" \
	"grep -q 'type=PATH serial 105 (200[0-9]* bytes) rejected' '$dir/err.txt'"
if [ $fail -ne 0 ]; then
	echo "--- stderr:"; cat "$dir/err.txt"
	exit 1
fi
echo "PASS: bad lines reported by file:line"
