#!/bin/sh
# fim.hash_workers: a scan on 4 hashing threads gives exactly the documents
# of a scan on 1 (the order aside), with sha512 hashes equal to sha512sum's;
# so does the second scan after changes (updated, created, deleted, moved,
# attributes), each side from its own copy of the first baseline; and
# scan_rate_per_sec holds for the threads together.
. "$(dirname "$0")/lib.sh"
fim_init
command -v setfattr >/dev/null || fim_skip "setfattr not found (apt-get install attr)"
T2=$T/tree
python3 - "$T2" <<'PY'
import os, random, sys
top = sys.argv[1]
rnd = random.Random(42)
for d in range(20):
    os.makedirs(f"{top}/d{d}/sub")
    for f in range(100):
        # Mostly small, some of a few MB: threads finish out of order.
        n = rnd.choice([0, 1, 100, 4096, 70000]) if f % 25 else rnd.randint(1 << 20, 3 << 20)
        with open(f"{top}/d{d}/{'sub/' if f % 3 == 0 else ''}f{f}", "wb") as fh:
            fh.write(rnd.randbytes(n))
os.link(f"{top}/d0/f1", f"{top}/d1/hardlink")
os.symlink("f2", f"{top}/d0/symlink")
with open(f"{top}/too-large", "wb") as fh:
    fh.write(b"x" * (5 << 20))
PY
setfattr -n user.test -v 1 $T2/d3/f4
chmod 600 $T2/d5/f7

# scan N OUT STATE [TREE RATE]: fim-scan with hash_workers = N.
scan() {
	cat > "$T/conf$1" <<EOC
output: { file: { path = "$2"; rotate_every_kb = 4194304; }; };
path: { data = "$T/data"; };
logging: { metrics: { period = 0; }; };
fim: {
  paths = ["${4:-$T2}"];
  recursive = true;
  hash_types = ["sha512"];
  attributes = ["mode", "inode", "nlink", "uid", "gid", "size", "blocks", "mtime", "ctime", "acl", "xattrs", "hash"];
  max_file_size = "4 MiB";
  scan_rate_per_sec = "${5:-unlimited}";
  state_path = "$3";
  hash_workers = $1;
};
EOC
	timeout 120 "$bin" fim-scan -c "$T/conf$1" 2>"$T/scan$1.log" ||
		fim_fail "fim-scan with hash_workers = $1 exited $?: $(tail -n 3 "$T/scan$1.log")"
}

# same A B: the two outputs hold the same documents, up to order and the
# fields that differ by run.
same() {
	python3 - "$1" "$2" <<'PY' || fim_fail "hash_workers = 1 and 4 disagree: $1 $2"
import json, sys

def docs(path):
    out = []
    for line in open(path):
        d = json.loads(line)
        d.pop("@timestamp", None)
        d["event"].pop("id", None)
        d.get("agent", {}).pop("ephemeral_id", None)
        out.append(json.dumps(d, sort_keys=True))
    return sorted(out)

a, b = docs(sys.argv[1]), docs(sys.argv[2])
if a != b:
    for x in sorted(set(a) ^ set(b))[:5]:
        print("only in %s: %s" % (sys.argv[1] if x in a else sys.argv[2], x))
    sys.exit(1)
if len(a) == 0:
    sys.exit("no documents")
PY
}

scan 1 $T/one.json $T/state1
scan 4 $T/four.json $T/state4
same $T/one.json $T/four.json
n=$(python3 "$FIMQ" count "$T/four.json" 0 "act(d) == ['initial_scan']")
[ "$n" = 2044 ] || fim_fail "$n initial_scan documents, not 2044"
# Every regular file's sha512 as sha512sum says (the one too large: none).
find $T2 -type f ! -name too-large -print0 | xargs -0 sha512sum |
	sed 's/^\([0-9a-f]*\)  \(.*\)$/\2 \1/' | sort > $T/want
python3 - $T/four.json > $T/got <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["file"]["type"] == "file" and "hash" in d["file"]:
        print(d["file"]["path"], d["file"]["hash"]["sha512"])
PY
sort -o $T/got $T/got
cmp -s $T/want $T/got || fim_fail "sha512 differs from sha512sum: $(diff $T/want $T/got | head -n 4)"
[ "$(python3 "$FIMQ" count "$T/four.json" 0 "path(d).endswith('/too-large') and d['file_integrity'].get('too_large')")" = 1 ] ||
	fim_fail "too-large not reported as such"

# Changes while nothing runs; each side scans from its own baseline.
head -c 2000000 /dev/urandom > $T2/d2/f25
echo changed > $T2/d4/f5
rm $T2/d6/f7 $T2/d7/sub/f9
mv $T2/d8/f10 $T2/d9/moved
mv $T2/d10/f50 $T2/d10/sub/moved-big
chmod 640 $T2/d11/f11
setfattr -n user.other -v 2 $T2/d12/f13
mkdir $T2/new && echo new > $T2/new/file
scan 1 $T/one2.json $T/state1
scan 4 $T/four2.json $T/state4
same $T/one2.json $T/four2.json
for e in "path(d).endswith('/d2/f25') and 'updated' in act(d)" \
    "path(d).endswith('/d4/f5') and 'updated' in act(d)" \
    "path(d).endswith('/d6/f7') and 'deleted' in act(d)" \
    "path(d).endswith('/d9/moved') and 'moved' in act(d)" \
    "path(d).endswith('/d10/sub/moved-big') and 'moved' in act(d)" \
    "path(d).endswith('/d11/f11') and 'attributes_modified' in act(d)" \
    "path(d).endswith('/d12/f13') and 'attributes_modified' in act(d)" \
    "path(d).endswith('/new/file') and 'created' in act(d)"; do
	[ "$(python3 "$FIMQ" count "$T/four2.json" 0 "$e")" = 1 ] || fim_fail "not found: $e"
done

# The rate limit is for all threads together: 12 MiB at 4 MiB/s on 4
# threads cannot take less than 2 s.
mkdir $T/rate
for i in 1 2 3 4; do head -c 3145728 /dev/zero > $T/rate/f$i; done
t0=$(date +%s%N)
scan 4 $T/rate.json $T/state-rate $T/rate "4 MiB"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 1900 ] || fim_fail "12 MiB at 4 MiB/s on 4 threads took $ms ms"
[ "$(python3 "$FIMQ" count "$T/rate.json" 0 "'hash' in d['file']")" = 4 ] || fim_fail "rate-limited scan hashed $(python3 "$FIMQ" count "$T/rate.json" 0 True) files"
fim_pass "hash_workers 1 and 4 agree; rate limit held ($ms ms)"
