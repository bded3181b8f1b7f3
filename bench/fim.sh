#!/bin/bash
# File integrity monitoring benchmark: audisp-ecs fim-scan vs AIDE vs the
# coreutils hashers, then memory on many small files and the latency of
# the plugin from close() of a modified file to its document.
#
# 1. Initial scan, sha256, of each of FIM_TREES (default /usr/bin and
#    /usr/lib), one tree at a time:
#      audisp-ecs fim-scan   fresh state_path every run, initial_scan =
#                            "state" (one document per path) into a file
#                            output, hash_workers = "auto" (one hashing
#                            thread per CPU), scan_rate_per_sec = "unlimited",
#                            max_file_size = "1 TiB" (AIDE hashes every
#                            file), attributes = AIDE's p+i+n+u+g+s+m+c
#      aide --init           private aide.conf, rule p+i+n+u+g+s+m+c+sha256,
#                            database uncompressed in the temp dir
#      sha256sum             find TREE -type f -print0 | xargs -0 sha256sum
# 2. The same over all of FIM_TREES at once with DISA STIG's AIDE selection,
#    p+i+n+u+g+s+b+acl+xattrs+sha512 (audisp-ecs: mode, inode, nlink, uid,
#    gid, size, blocks, acl, xattrs, hash with sha512), against sha512sum.
# 3. Peak RSS of audisp-ecs fim-scan over a generated tree of MANY_FILES
#    (default 100,000) small files in 100 directories.
# 4. The plugin running as auditd runs it (stdin held open, -f), watching a
#    small tree: LATENCY_MODS (default 20) appends to distinct files, each
#    timed from the return of close() to the moment its "updated" document
#    can be read from the file output (polled every millisecond).
#
# Every tool makes one untimed pass over every tree first, so all of them
# are measured with a warm page cache; then RUNS timed runs per tool,
# round-robin over the tools, and the median of each column.
#
# Environment:
#   RUNS          timed runs per tool and tree; the median is reported (3)
#   AUDISP_ECS    audisp-ecs binary (default: <repo>/audisp-ecs)
#   AIDE          aide binary (default: aide in PATH, else /usr/bin/aide)
#   AIDE_WORKERS  if set, aide.conf num_workers (default: AIDE's own, 1 in
#                 0.18, where audisp-ecs fim-scan hashes on one thread per
#                 CPU; compare with HASH_WORKERS=1 for one thread each)
#   HASH_WORKERS  if set, audisp-ecs fim.hash_workers (default 0: auto)
#   FIM_TREES     space-separated directories for sections 1 and 2
#                 ("/usr/bin /usr/lib")
#   MANY_FILES    files in the generated tree of section 3 (100000)
#   LATENCY_MODS  modifications timed in section 4 (20)
#   KEEP=1        keep the temp dir (configs, outputs, databases, logs)
#
# Needs: bash >= 5, GNU time (/usr/bin/time), python3, aide (Debian
# package aide), coreutils, findutils. Root is not needed for /usr/bin and
# /usr/lib (a tree with files only root can read would need it).
# Installs nothing.
set -euo pipefail
export LC_ALL=C # "." as decimal point in EPOCHREALTIME and printf

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

RUNS=${RUNS:-3}
AUDISP_ECS=${AUDISP_ECS:-$repo/audisp-ecs}
AIDE=${AIDE:-$(command -v aide || echo /usr/bin/aide)}
FIM_TREES=${FIM_TREES:-/usr/bin /usr/lib}
MANY_FILES=${MANY_FILES:-100000}
LATENCY_MODS=${LATENCY_MODS:-20}
read -r -a trees <<<"$FIM_TREES"

die() { echo "fim.sh: $*" >&2; exit 1; }

# ---- preflight: say everything that is missing, then stop ----
missing=()
[ -n "${EPOCHREALTIME:-}" ] || missing+=("bash >= 5 (EPOCHREALTIME)")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
command -v python3 >/dev/null 2>&1 || missing+=("python3 (apt-get install python3)")
[ -x "$AIDE" ] || missing+=("aide: $AIDE (apt-get install aide, or set AIDE)")
for t in sha256sum sha512sum; do
	command -v $t >/dev/null 2>&1 || missing+=("$t (apt-get install coreutils)")
done
for t in find xargs; do
	command -v $t >/dev/null 2>&1 || missing+=("$t (apt-get install findutils)")
done
[ -x "$AUDISP_ECS" ] || missing+=("audisp-ecs: $AUDISP_ECS (build it, or set AUDISP_ECS)")
if [ ${#missing[@]} -gt 0 ]; then
	for m in "${missing[@]}"; do echo "fim.sh: missing: $m" >&2; done
	exit 1
fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $MANY_FILES =~ ^[1-9][0-9]*$ ]] || die "MANY_FILES must be a positive integer"
[[ $LATENCY_MODS =~ ^[1-9][0-9]*$ ]] || die "LATENCY_MODS must be a positive integer"
[ ${#trees[@]} -gt 0 ] || die "FIM_TREES is empty"
for d in "${trees[@]}"; do
	[[ $d == /* ]] || die "FIM_TREES: $d is not an absolute path"
	if [ ! -d "$d" ] || [ ! -r "$d" ]; then die "FIM_TREES: $d is not a readable directory"; fi
done
[[ ${AIDE_WORKERS:-1} =~ ^[0-9]+%?$ ]] || die "AIDE_WORKERS must be a number or a percentage"
[[ ${HASH_WORKERS:-0} =~ ^[0-9]+$ ]] || die "HASH_WORKERS must be a number"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/audisp-ecs-fimbench.XXXXXX")
plugin_pid=
holder_pid=
cleanup() {
	stop_plugin
	if [ "${KEEP:-0}" = 1 ]; then
		echo "fim.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
stop_plugin() {
	if [ -n "$plugin_pid" ]; then
		kill -TERM "$plugin_pid" 2>/dev/null || true
		wait "$plugin_pid" 2>/dev/null || true
		plugin_pid=
	fi
	if [ -n "$holder_pid" ]; then
		kill "$holder_pid" 2>/dev/null || true
		wait "$holder_pid" 2>/dev/null || true
		holder_pid=
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir -p "$tmp/res"

# ---- measurement helper ----
# measure KEY CMD...: one run; appends "wall user sys maxrss_kb" to
# $tmp/res/KEY.times.  CPU and peak RSS come from GNU time (it counts the
# children it waits for: the whole find | xargs pipeline, and for
# ru_maxrss the largest of them).  GNU time's %e is in 10 ms steps only,
# so wall time is taken from bash's microsecond clock instead.
measure() {
	local key=$1 t0 t1 rc=0
	shift
	t0=$EPOCHREALTIME
	/usr/bin/time -o "$tmp/rusage" -f '%e %U %S %M' "$@" </dev/null \
		>"$tmp/$key.out" 2>"$tmp/$key.err" || rc=$?
	t1=$EPOCHREALTIME
	if [ "$rc" != 0 ]; then
		echo "--- stderr of $key:" >&2
		tail -n 20 "$tmp/$key.err" >&2
		die "$key failed with status $rc: $*"
	fi
	if [ "${WARM:-0}" = 0 ]; then
		echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$tmp/rusage" | cut -d' ' -f2-)" \
			>>"$tmp/res/$key.times"
	fi
}

# ---- configurations ----
# ecs_conf NAME HASH ATTRS DIR...: $tmp/NAME.conf, output $tmp/NAME.json,
# baseline $tmp/NAME.state (removed before each run).
ecs_conf() {
	local name=$1 hash=$2 attrs=$3 paths="" d
	shift 3
	for d in "$@"; do paths+="${paths:+, }\"$d\""; done
	cat >"$tmp/$name.conf" <<EOF
output: { file: { path = "$tmp/$name.json"; rotate_every_kb = 4194304; }; };
path: { data = "$tmp/$name.data"; };
logging: { metrics: { period = 0; }; };
fim: {
  paths = [$paths];
  recursive = true;
  hash_types = ["$hash"];
  attributes = [$attrs];
  max_file_size = "1 TiB";
  scan_rate_per_sec = "unlimited";
  state_path = "$tmp/$name.state";
  initial_scan = "state";
  hash_workers = ${HASH_WORKERS:-0};
};
EOF
}
# aide_conf NAME RULE DIR...: $tmp/NAME.aide.conf, database $tmp/NAME.aide.db.
aide_conf() {
	local name=$1 rule=$2 d
	shift 2
	{
		echo "database_out=file:$tmp/$name.aide.db"
		echo "gzip_dbout=no"
		echo "report_url=stdout"
		[ -z "${AIDE_WORKERS:-}" ] || echo "num_workers=$AIDE_WORKERS"
		echo "BENCHRULE = $rule"
		# Selection lines are regular expressions matching a prefix:
		# "/usr/lib" alone would also take /usr/lib64 and /usr/libexec.
		for d in "$@"; do
			echo "$(printf '%s' "$d" | sed 's/[][\\.*^$+?(){}|]/\\&/g')(/|\$) BENCHRULE"
		done
	} >"$tmp/$name.aide.conf"
	"$AIDE" -D -c "$tmp/$name.aide.conf" >"$tmp/$name.aide.check" 2>&1 ||
		{ cat "$tmp/$name.aide.check" >&2; die "aide rejects $tmp/$name.aide.conf"; }
}

ATTR_S1='"mode", "inode", "nlink", "uid", "gid", "size", "mtime", "ctime", "hash"'
RULE_S1='p+i+n+u+g+s+m+c+sha256'
ATTR_S2='"mode", "inode", "nlink", "uid", "gid", "size", "blocks", "acl", "xattrs", "hash"'
RULE_S2='p+i+n+u+g+s+b+acl+xattrs+sha512'

# One section-1 "tree" per directory, and the section-2 union.
s1_keys=()
for i in "${!trees[@]}"; do
	k=s1t$i
	s1_keys+=("$k")
	ecs_conf "$k.ecs" sha256 "$ATTR_S1" "${trees[$i]}"
	aide_conf "$k" "$RULE_S1" "${trees[$i]}"
done
ecs_conf s2.ecs sha512 "$ATTR_S2" "${trees[@]}"
aide_conf s2 "$RULE_S2" "${trees[@]}"

# run_tool KEY TOOL HASHER DIR...: one run (timed unless WARM=1).
run_tool() {
	local key=$1 tool=$2 hasher=$3
	shift 3
	case $tool in
	ecs)
		rm -rf "$tmp/$key.ecs.state" "$tmp/$key.ecs.data" "$tmp/$key.ecs.json"
		measure "$key.ecs" "$AUDISP_ECS" fim-scan -c "$tmp/$key.ecs.conf"
		;;
	aide)
		rm -f "$tmp/$key.aide.db"
		measure "$key.aide" "$AIDE" --init -c "$tmp/$key.aide.conf"
		;;
	sum)
		# shellcheck disable=SC2016  # expanded by the inner sh
		measure "$key.sum" sh -c 'h=$1; shift; find "$@" -type f -print0 | xargs -0 -r "$h" >/dev/null' \
			sh "$hasher" "$@"
		;;
	esac
}

# counts KEY DIR...: regular files and their bytes (what sha*sum hashes).
counts() {
	local key=$1
	shift
	find "$@" -type f -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d %d %.0f\n", n, n, b }' \
		>"$tmp/res/$key.sum.counts"
}
for i in "${!trees[@]}"; do counts "s1t$i" "${trees[$i]}"; done
counts s2 "${trees[@]}"

# ---- sections 1 and 2: warm pass, then RUNS round-robin ----
for pass in warm $(seq 1 "$RUNS"); do
	[ "$pass" = warm ] && WARM=1 || WARM=0
	for i in "${!trees[@]}"; do
		for tool in ecs aide sum; do
			run_tool "s1t$i" $tool sha256sum "${trees[$i]}"
		done
	done
	for tool in ecs aide sum; do
		run_tool s2 $tool sha512sum "${trees[@]}"
	done
done
WARM=0

# Counts and checks from the last run: audisp-ecs from its summary line
# and its documents; aide from its database, whose hashes are checked
# against hashlib on a sample of files (so aide really hashed).
ecs_counts() {
	local key=$1 line
	line=$(grep 'fim-scan: .* files, .* hashed' "$tmp/$key.ecs.err" | tail -n 1)
	[ -n "$line" ] || die "$key: no summary line from audisp-ecs fim-scan"
	echo "$line" | sed 's/.*fim-scan: \([0-9]*\) files, \([0-9]*\) hashed (\([0-9]*\) bytes).*/\1 \2 \3/' \
		>"$tmp/res/$key.ecs.counts"
	wc -l <"$tmp/$key.ecs.json" >"$tmp/res/$key.ecs.docs"
}
aide_counts() {
	local key=$1 algo=$2
	[ -s "$tmp/$key.aide.db" ] || die "$key: aide wrote no database"
	python3 - "$tmp/$key.aide.db" "$algo" >"$tmp/res/$key.aide.counts" <<'EOF' ||
import base64, hashlib, os, sys
db, algo = sys.argv[1], sys.argv[2]
cols, n, hashed, nbytes, sample = None, 0, 0, 0, []
for line in open(db, encoding="utf-8", errors="replace"):
    if line.startswith("@@db_spec"):
        cols = line.split()[1:]
        continue
    if not line.startswith("/") or cols is None:
        continue
    f = dict(zip(cols, line.split()))
    n += 1
    if f.get(algo, "0") not in ("0", ""):
        hashed += 1
        nbytes += int(f.get("size", "0"))
        if len(sample) < 200 and "%" not in f["name"]:
            sample.append((f["name"], f[algo]))
if cols is None or algo not in cols:
    sys.exit("no %s column in the aide database" % algo)
if hashed == 0:
    sys.exit("the aide database holds no %s hash" % algo)
step = max(1, len(sample) // 20)
for name, b64 in sample[::step]:
    with open(name, "rb") as fh:
        want = hashlib.new(algo, fh.read()).digest()
    if base64.b64decode(b64) != want:
        sys.exit("aide's %s of %s does not match hashlib" % (algo, name))
print(n, hashed, nbytes)
EOF
		die "$key: aide database check failed"
}
for k in "${s1_keys[@]}"; do
	ecs_counts "$k"
	aide_counts "$k" sha256
done
ecs_counts s2
aide_counts s2 sha512

# ---- section 3: peak RSS on many small files ----
many=$tmp/many
python3 - "$many" "$MANY_FILES" <<'EOF'
import os, sys
top, total = sys.argv[1], int(sys.argv[2])
os.mkdir(top)
dirs = 100
for i in range(total):
    d = "%s/d%d" % (top, i % dirs)
    if i < dirs:
        os.mkdir(d)
    with open("%s/f%d" % (d, i // dirs), "w") as fh:
        fh.write("%d\n" % i)
EOF
ecs_conf s3.ecs sha256 '"inode", "mode", "nlink", "uid", "gid", "size", "mtime", "acl", "xattrs", "hash"' "$many"
for pass in warm $(seq 1 "$RUNS"); do
	[ "$pass" = warm ] && WARM=1 || WARM=0
	run_tool s3 ecs sha256sum "$many"
done
WARM=0
ecs_counts s3

# ---- section 4: latency in plugin mode ----
lat=$tmp/lat
mkdir -p "$lat/tree"
for ((i = 0; i < LATENCY_MODS; i++)); do echo "file $i" >"$lat/tree/f$i"; done
# The plugin's defaults (quiet_period 250ms, scan rate 50 MiB/s), one tree.
cat >"$lat/conf" <<EOF
output: { file: { path = "$lat/out.json"; rotate_every_kb = 4194304; }; };
path: { data = "$lat/data"; };
logging: { metrics: { period = 0; }; };
fim: { paths = ["$lat/tree"]; recursive = true; };
EOF
mkfifo "$lat/stdin"
sleep 100000 >"$lat/stdin" &
holder_pid=$!
"$AUDISP_ECS" -f -c "$lat/conf" <"$lat/stdin" 2>"$lat/plugin.log" &
plugin_pid=$!
python3 - "$lat/tree" "$lat/out.json" "$LATENCY_MODS" >"$tmp/res/latency" <<'EOF' ||
import json, os, sys, time
tree, out, mods = sys.argv[1], sys.argv[2], int(sys.argv[3])
pos, buf = 0, b""

def new_docs():
    global pos, buf
    try:
        with open(out, "rb") as f:
            f.seek(pos)
            data = f.read()
    except FileNotFoundError:
        return []
    pos += len(data)
    buf += data
    *lines, buf = buf.split(b"\n")
    return [json.loads(l) for l in lines if l]

# The scan at start: one initial_scan document per file and the directory.
seen, deadline = 0, time.monotonic() + 30
while seen < mods + 1:
    seen += sum(1 for d in new_docs() if "initial_scan" in d["event"]["action"])
    if time.monotonic() > deadline:
        sys.exit("no initial scan within 30 s (%d documents)" % seen)
    time.sleep(0.01)
time.sleep(0.5)
new_docs()
for i in range(mods):
    path = "%s/f%d" % (tree, i)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    os.write(fd, b"modified\n")
    os.close(fd)
    t0 = time.monotonic()
    found = False
    while time.monotonic() - t0 < 10:
        for d in new_docs():
            if d.get("file", {}).get("path") == path and "updated" in d["event"]["action"]:
                found = True
        if found:
            break
        time.sleep(0.001)
    if not found:
        sys.exit("no document for %s within 10 s" % path)
    print("%.6f" % (time.monotonic() - t0))
    time.sleep(0.3)  # let the quiet period of this change pass
EOF
	{ cat "$lat/plugin.log" >&2; die "latency measurement failed"; }
kill -0 "$plugin_pid" 2>/dev/null || die "the plugin died: $(tail -n 3 "$lat/plugin.log")"
stop_plugin

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "audisp-ecs file integrity monitoring benchmark"
echo
echo "machine:  $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, Linux $(uname -r), uid $(id -u)"
echo "versions: $("$AUDISP_ECS" -V </dev/null 2>/dev/null | head -n 1 || echo 'audisp-ecs ?')" \
	"(git $(git -C "$repo" describe --always --dirty --tags 2>/dev/null || echo 'no commit')),"
echo "          $("$AIDE" --version 2>&1 | head -n 1) (num_workers ${AIDE_WORKERS:-default}),"
echo "          audisp-ecs fim.hash_workers ${HASH_WORKERS:-0} (0: auto, one per CPU for fim-scan),"
echo "          $(sha256sum --version | head -n 1), $(find --version | head -n 1)"
echo "runs:     $RUNS per tool and tree, round-robin, median of each column"
echo "cache:    warm: every tool made one untimed pass over every tree first"
echo "limits:   audisp-ecs scan_rate_per_sec = \"unlimited\", max_file_size = \"1 TiB\";" \
	"fresh state_path and an empty aide database every run"
echo

python3 - "$tmp/res" "$RUNS" "$MANY_FILES" "${trees[@]}" <<'EOF'
import statistics, sys
res, runs, many, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
med = statistics.median
failed = []

def row(key):
    r = [list(map(float, l.split())) for l in open("%s/%s.times" % (res, key))]
    wall, user, sys_, rss = (med(c) for c in zip(*r))
    files, hashed, nbytes = map(int, open("%s/%s.counts" % (res, key)).read().split())
    return dict(wall=wall, cpu=user + sys_, rss=rss / 1024, files=files, hashed=hashed,
                nbytes=nbytes)

def table(key, labels):
    rows = {t: row("%s.%s" % (key, t)) for t in ("ecs", "aide", "sum")}
    print("%-22s %8s %8s %13s %8s %8s %10s %8s" % ("tool", "wall s", "CPU s", "peak RSS MiB",
          "paths", "hashed", "MB hashed", "MB/s"))
    for t in ("ecs", "aide", "sum"):
        r = rows[t]
        print("%-22s %8.3f %8.3f %13.1f %8d %8d %10.1f %8.1f" % (labels[t], r["wall"], r["cpu"],
              r["rss"], r["files"], r["hashed"], r["nbytes"] / 1e6, r["nbytes"] / 1e6 / r["wall"]))
    docs = int(open("%s/%s.ecs.docs" % (res, key)).read())
    e, a, s = rows["ecs"], rows["aide"], rows["sum"]
    print("(paths: audisp-ecs files scanned (%d documents), aide database entries,"
          " regular files for %s)" % (docs, labels["hasher"]))
    if docs != e["files"]:
        failed.append("%s: %d audisp-ecs documents for %d paths" % (key, docs, e["files"]))
    for t, r in (("ecs", e), ("aide", a)):
        if r["hashed"] != s["hashed"] or r["nbytes"] != s["nbytes"]:
            failed.append("%s: %s hashed %d files (%d bytes), %s %d (%d bytes)"
                          % (key, labels[t], r["hashed"], r["nbytes"], labels["sum"],
                             s["hashed"], s["nbytes"]))
    ra, rs = a["wall"] / e["wall"], e["wall"] / s["wall"]
    print("AIDE wall / audisp-ecs wall:      %5.2f   target >= 2:    %s"
          % (ra, "met" if ra >= 2 else "NOT met"))
    print("audisp-ecs wall / %-15s %5.2f   target <= 1.25: %s"
          % (labels["hasher"] + " wall:", rs, "met" if rs <= 1.25 else "NOT met"))
    q = lambda x, y: "%.2f" % (x / y) if y > 0 else "-"
    print("CPU: AIDE / audisp-ecs %s, audisp-ecs / %s %s"
          % (q(a["cpu"], e["cpu"]), labels["hasher"], q(e["cpu"], s["cpu"])))

print("1. Initial scan, sha256 (aide rule p+i+n+u+g+s+m+c+sha256; audisp-ecs attributes")
print("   mode inode nlink uid gid size mtime ctime hash)")
for i, t in enumerate(trees):
    print()
    print("   %s" % t)
    table("s1t%d" % i, {"ecs": "audisp-ecs fim-scan", "aide": "aide --init",
                        "sum": "find|xargs sha256sum", "hasher": "sha256sum"})
print()
print("2. Initial scan of %s together, STIG selection with sha512" % " + ".join(trees))
print("   (aide rule p+i+n+u+g+s+b+acl+xattrs+sha512; audisp-ecs attributes mode inode")
print("   nlink uid gid size blocks acl xattrs hash, hash_types sha512)")
print()
table("s2", {"ecs": "audisp-ecs fim-scan", "aide": "aide --init", "sum": "find|xargs sha512sum", "hasher": "sha512sum"})
print()
r = row("s3.ecs")
docs = int(open("%s/s3.ecs.docs" % res).read())
print("3. audisp-ecs fim-scan of %d small files in 100 directories (sha256, default attributes)"
      % many)
print()
print("   wall %.3f s, CPU %.3f s, peak RSS %.1f MiB, %d paths, %d hashed, %d documents"
      % (r["wall"], r["cpu"], r["rss"], r["files"], r["hashed"], docs))
print("   target: peak RSS < 64 MB (61.0 MiB): %s (%.1f MB)"
      % ("met" if r["rss"] * 1048576 < 64e6 else "NOT met", r["rss"] * 1048576 / 1e6))
if docs != many + 101 or r["hashed"] != many:
    failed.append("s3: %d documents and %d hashed for %d files in 100 directories"
                  % (docs, r["hashed"], many))
print()
lat = [float(l) * 1000 for l in open("%s/latency" % res)]
print("4. Plugin mode (audisp-ecs -f, default quiet_period): close() of a modified file")
print("   to its \"updated\" document readable in the file output, %d modifications" % len(lat))
print()
print("   median %.1f ms, min %.1f ms, max %.1f ms" % (med(lat), min(lat), max(lat)))
print("   target: < 1 s (every one): %s" % ("met" if max(lat) < 1000 else "NOT met"))
if failed:
    print()
    for f in failed:
        print("CHECK FAILED: " + f)
    sys.exit(2)
print()
print("checks: OK (document and hash counts agree across the tools; aide's hashes match hashlib)")
EOF
