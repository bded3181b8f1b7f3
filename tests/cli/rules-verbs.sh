#!/bin/sh
# rules list / install / check on temporary directories (no kernel, no
# /etc): install copies profiles and never replaces an administrator's
# file; the generated privileged profile names exactly the setuid and
# setgid programs found; check says what is missing from a saved
# "auditctl -l" and an auditd.conf, exits 1 then and 0 when all is in
# force; --documents writes state documents with rule.*.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
profiles=$srcdir/rules.d
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
rules() { verb=$1; shift; "$bin" rules "$verb" --profiles-dir "$profiles" "$@"; }
rd=$dir/rules.d
mkdir "$rd"

# list: every shipped profile and the generated one, none installed
rules list --rules-dir "$rd" > "$dir/list" || fail "rules list exited $?"
for p in base-config stig cis pci-dss-v4 ospp privileged finalize; do
	grep -q "^$p .*not installed" "$dir/list" || fail "list: no '$p' not installed: $(cat "$dir/list")"
done

# install: a typo installs nothing
rules install --rules-dir "$rd" stig no-such-profile > "$dir/out" 2>&1 &&
	fail "install of an unknown profile succeeded"
grep -q "no profile 'no-such-profile'" "$dir/out" || fail "install: $(cat "$dir/out")"
[ -z "$(ls "$rd")" ] || fail "install of an unknown profile installed $(ls "$rd")"

rules install --rules-dir "$rd" stig cis > "$dir/out" 2>&1 || fail "install: $(cat "$dir/out")"
cmp -s "$profiles/30-stig.rules" "$rd/30-stig.rules" || fail "30-stig.rules not copied as is"
[ "$(stat -c %a "$rd/30-stig.rules")" = 600 ] || fail "30-stig.rules mode $(stat -c %a "$rd/30-stig.rules")"
grep -q "augenrules --load" "$dir/out" || fail "install did not say how to load: $(cat "$dir/out")"
rules install --rules-dir "$rd" stig > "$dir/out" 2>&1 || fail "second install: $(cat "$dir/out")"
grep -q "already installed" "$dir/out" || fail "second install: $(cat "$dir/out")"

# an administrator's file of the same name stays, and the status says so
echo "-w /etc/my -p wa -k mine" > "$rd/30-ospp.rules"
rules install --rules-dir "$rd" ospp > "$dir/out" 2>&1 && fail "install over an admin's file succeeded"
grep -q "never replaced" "$dir/out" || fail "install over an admin's file: $(cat "$dir/out")"
[ "$(cat "$rd/30-ospp.rules")" = "-w /etc/my -p wa -k mine" ] || fail "the admin's file was changed"
rules list --rules-dir "$rd" | grep -q "^ospp .*differs" || fail "list does not show the admin's file as differing"

# privileged: generated from the directory scanned
scan=$dir/scan
mkdir -p "$scan/sub" "$scan/plain"
cp /bin/true "$scan/su-prog"; chmod 4755 "$scan/su-prog"
cp /bin/true "$scan/sub/sg-prog"; chmod 2755 "$scan/sub/sg-prog"
cp /bin/true "$scan/plain/normal"; chmod 0755 "$scan/plain/normal"
cp /bin/true "$scan/sub/not-exec"; chmod 4644 "$scan/sub/not-exec"
ln -s "$scan/su-prog" "$scan/link"
rules install --rules-dir "$rd" --scan-dir "$scan" privileged > "$dir/out" 2>&1 ||
	fail "install privileged: $(cat "$dir/out")"
grep -E '^-a' "$rd/31-privileged.rules" | sed 's/.*path=\([^ ]*\) .*/\1/' > "$dir/paths"
printf '%s\n' "$scan/su-prog" "$scan/sub/sg-prog" > "$dir/want"
cmp -s "$dir/paths" "$dir/want" || fail "privileged paths: $(cat "$dir/paths")"
grep -q -- '-F perm=x -F auid>=1000 -F auid!=unset -k cis-6.2.3.6$' "$rd/31-privileged.rules" ||
	fail "privileged rule: $(grep -E '^-a' "$rd/31-privileged.rules" | head -1)"

# check: one STIG rule and one CIS key missing, one auditd.conf setting wrong
cat > "$dir/auditd.conf" <<'CONF'
# comment
disk_full_action = HALT
disk_error_action = syslog
space_left_action = email
admin_space_left_action = single
max_log_file_action = ROTATE
name_format = hostname
overflow_action = SYSLOG
action_mail_acct = root
local_events = yes
log_format = RAW
write_logs = yes
CONF
grep -hE '^-(a|w)' "$rd/30-stig.rules" "$rd/30-cis.rules" "$rd/31-privileged.rules" |
	grep -v -- '-k cis-6.2.3.14$' | sed '/-k stig-RHEL-09-654245$/d' |
	sed 's/ -k \([^ ]*\)$/ -F key=\1/' > "$dir/loaded"
rules check --rules-dir "$rd" --loaded "$dir/loaded" --auditd-conf "$dir/auditd.conf" \
	stig cis privileged > "$dir/out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "check with missing rules exited $rc: $(cat "$dir/out")"
grep -q "^missing: stig: key stig-RHEL-09-654245: 0 of 1 rules loaded" "$dir/out" || fail "check: $(cat "$dir/out")"
grep -q "^missing: cis: key cis-6.2.3.14: 0 of 2 rules loaded" "$dir/out" || fail "check: $(cat "$dir/out")"
grep -q "log_format is \"RAW\", want ENRICHED (stig-RHEL-09-653100)" "$dir/out" || fail "check: $(cat "$dir/out")"
[ "$(grep -c '^missing:' "$dir/out")" = 3 ] || fail "check: not 3 missing lines: $(cat "$dir/out")"

# all in force: exit 0; without operands the installed profiles are checked
# (the admin's ospp file has its own key, which is loaded too)
grep -hE '^-(a|w)' "$rd"/*.rules > "$dir/loaded"
sed -i 's/^log_format = RAW/log_format = enriched/' "$dir/auditd.conf"
rules check --rules-dir "$rd" --loaded "$dir/loaded" --auditd-conf "$dir/auditd.conf" > "$dir/out" 2>&1 ||
	fail "check with everything loaded exited $?: $(cat "$dir/out")"
grep -q "^in force" "$dir/out" || fail "check: $(cat "$dir/out")"
for p in stig cis privileged ospp; do
	grep -q "^$p: .* keys checked" "$dir/out" || fail "check did not check $p: $(cat "$dir/out")"
done

# --documents: state documents, rule.* from the key table
printf 'rules: { keys_file = "%s/keys.tsv"; };\npath: { data = "%s"; };\n' "$profiles" "$dir" > "$dir/c.conf"
sed -i '/-k stig-RHEL-09-654245$/d' "$dir/loaded"
rules check --rules-dir "$rd" --loaded "$dir/loaded" --auditd-conf "$dir/auditd.conf" \
	--documents -c "$dir/c.conf" stig > "$dir/docs.ndjson" 2> "$dir/err"
rc=$?
[ "$rc" = 1 ] || fail "check --documents with a missing rule exited $rc: $(cat "$dir/err")"
python3 - "$dir/docs.ndjson" <<'PY' || fail "check --documents: wrong documents"
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
rules = [d for d in docs if d["event"]["action"] == "audit-rules-checked"]
confs = [d for d in docs if d["event"]["action"] == "auditd-config-checked"]
assert len(rules) == 50 and len(confs) == 11, (len(rules), len(confs))
for d in docs:
    assert d["event"]["kind"] == "state" and d["event"]["category"] == ["configuration"], d
    assert d["rule"]["ruleset"] == "DISA STIG Red Hat Enterprise Linux 9", d
    assert d["rule"]["id"] == d["tags"][0][len("stig-"):], d
    assert d["host"]["name"] and d["agent"]["type"] == "audisp-ecs", d
bad = [d for d in docs if d["event"]["outcome"] == "failure"]
assert [d["rule"]["id"] for d in bad] == ["RHEL-09-654245"], [d["message"] for d in bad]
c = bad[0]["audisp_ecs"]["compliance"]
assert c == {"profile": "stig", "key": "stig-RHEL-09-654245", "rules_expected": 1, "rules_loaded": 0}, c
PY
# hostile input: an overlong line, a -k without its key; named, exit 1
python3 -c 'print("-a always,exit -F path=/x" + " -F a0=1" * 2000 + " -k x")' > "$dir/long"
rules check --rules-dir "$rd" --loaded "$dir/long" --auditd-conf "$dir/auditd.conf" stig > "$dir/out" 2>&1 &&
	fail "check accepted an overlong listing"
grep -q "long:1: longer than" "$dir/out" || fail "overlong listing: $(cat "$dir/out")"
printf -- '-w /etc/passwd -p wa -k\n' > "$dir/nokey"
rules check --rules-dir "$rd" --loaded "$dir/nokey" --auditd-conf "$dir/auditd.conf" stig > "$dir/out" 2>&1 &&
	fail "check accepted a -k without a key"
grep -q "nokey:1: a rule's key is missing" "$dir/out" || fail "-k without a key: $(cat "$dir/out")"
python3 -c 'print("log_format = " + "x" * 5000)' > "$dir/long.conf"
rules check --rules-dir "$rd" --loaded "$dir/loaded" --auditd-conf "$dir/long.conf" stig > "$dir/out" 2>&1 &&
	fail "check accepted an overlong auditd.conf line"
grep -q "long.conf:1: longer than" "$dir/out" || fail "overlong auditd.conf: $(cat "$dir/out")"
echo "PASS: rules list, install and check"
