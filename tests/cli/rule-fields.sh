#!/bin/sh
# Documents carry ECS rule.* looked up from their rule key in the shipped
# key table (rules.d/keys.tsv): a STIG key, a second key of several (the
# kernel joins them with 0x01 and hex-encodes the field), an unknown key
# and no key.  A bad table is refused whole, naming FILE:LINE, and the
# documents are still written, without rule.*.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# event SERIAL KEY_FIELD: one SYSCALL event (a write to /etc/group)
event() {
	printf 'type=SYSCALL msg=audit(1795300644.202:%s): arch=c000003e syscall=257 success=yes exit=5 a0=ffffff9c a1=55ba53786a00 a2=20902 a3=0 items=1 ppid=5894 pid=5896 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=3 comm="useradd" exe="/usr/sbin/useradd" key=%s\n' "$1" "$2"
	printf 'type=PATH msg=audit(1795300644.202:%s): item=0 name="/etc/group" inode=409607 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n' "$1"
	printf 'type=EOE msg=audit(1795300644.202:%s):\n' "$1"
}
# "local-x" 0x01 "cis-6.2.3.8", as the kernel writes two keys
two=$(printf 'local-x\001cis-6.2.3.8' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
{
	event 1 '"stig-RHEL-09-654225"'
	event 2 "$two"
	event 3 '"local-only"'
	event 4 '(null)'
} > "$dir/keyed.log"

printf 'rules: { keys_file = "%s/rules.d/keys.tsv"; };\n' "$srcdir" > "$dir/good.conf"
"$bin" replay -c "$dir/good.conf" "$dir/keyed.log" > "$dir/out.ndjson" 2> "$dir/err" ||
	fail "replay exited $?: $(cat "$dir/err")"
python3 - "$dir/out.ndjson" <<'PY' || fail "wrong rule.* fields"
import json, sys
docs = {d["auditd"]["sequence"]: d for d in map(json.loads, open(sys.argv[1]))}
assert sorted(docs) == [1, 2, 3, 4], sorted(docs)
r = docs[1]["rule"]
assert r == {"ruleset": "DISA STIG Red Hat Enterprise Linux 9", "id": "RHEL-09-654225",
             "name": "Audit all account creations, modifications, disabling and termination events that affect /etc/group",
             "reference": "https://public.cyber.mil/stigs/downloads/"}, r
r = docs[2]["rule"]
assert r["ruleset"] == "CIS Debian Linux 12 Benchmark v1.1.0 Level 2" and r["id"] == "6.2.3.8", r
assert "cis-6.2.3.8" in docs[2]["tags"], docs[2]["tags"]
assert "rule" not in docs[3] and docs[3]["tags"] == ["local-only"], docs[3]
assert "rule" not in docs[4] and "tags" not in docs[4], docs[4]
PY

# a table with a bad line: refused whole, said with FILE:LINE
sed '12s/\t[^\t]*$//' "$srcdir/rules.d/keys.tsv" > "$dir/bad.tsv"
printf 'rules: { keys_file = "%s/bad.tsv"; };\n' "$dir" > "$dir/bad.conf"
"$bin" replay -c "$dir/bad.conf" "$dir/keyed.log" > "$dir/out.ndjson" 2> "$dir/err" ||
	fail "replay with a bad table exited $?"
grep -q "bad.tsv:12: 4 field(s)" "$dir/err" || fail "no FILE:LINE for the bad table: $(cat "$dir/err")"
[ "$(wc -l < "$dir/out.ndjson")" = 4 ] || fail "documents missing with a bad table"
grep -q '"rule"' "$dir/out.ndjson" && fail "rule.* written from a table that was refused"
echo "PASS: rule.* from the rule key table"
