#!/bin/sh
# The file output: mode 0600, size-based rotation keeping number_of_files
# files, whole documents in every file, the newest documents kept.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
cat > "$dir/conf" <<EOC
output: { file: {
  path = "$dir/out/events.json";
  rotate_every_kb = 64;
  number_of_files = 3;
}; };
EOC
"$bin" replay -c "$dir/conf" "$srcdir/tests/corpus/diverse.log" > "$dir/stdout" ||
	{ echo "FAIL: replay exited $?"; exit 1; }
"$bin" replay "$srcdir/tests/corpus/diverse.log" > "$dir/all.json"
python3 - "$dir" <<'PY'
import json, os, stat, sys
d = sys.argv[1]
out = os.path.join(d, "out")
names = sorted(os.listdir(out))
if names != ["events.json", "events.json.1", "events.json.2"]:
    sys.exit(f"FAIL: files {names}")
if os.path.getsize(os.path.join(d, "stdout")) != 0:
    sys.exit("FAIL: replay with a file output wrote to stdout")
kept = []
for name in reversed(names):               # oldest first
    path = os.path.join(out, name)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode != 0o600:
        sys.exit(f"FAIL: {name} has mode {mode:o}")
    size = os.path.getsize(path)
    if size > 64 * 1024:
        sys.exit(f"FAIL: {name} is {size} bytes, over rotate_every_kb")
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines[-1] != "":
        sys.exit(f"FAIL: {name} ends inside a document")
    kept += [json.loads(l) for l in lines[:-1]]
every = [json.loads(l) for l in open(os.path.join(d, "all.json"))]
for doc in kept + every:            # new for every run
    doc["agent"].pop("ephemeral_id", None)
if kept != every[-len(kept):]:
    sys.exit("FAIL: the files do not hold the newest documents in order")
print(f"PASS: 3 files of at most 64 KiB, mode 0600, the newest {len(kept)} of {len(every)} documents")
PY
