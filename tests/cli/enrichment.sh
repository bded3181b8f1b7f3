#!/bin/sh
# Enrichment, end to end through "audisp-ecs replay" of tests/corpus/diverse.log
# (669 events captured from a real kernel) and small hand-made logs:
# drop_event, documents for lost events, the process.args cap,
# include_raw_message, event.id, process.parent, host.* and agent.*.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
log=$srcdir/tests/corpus/diverse.log
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail=0

# Every configuration keeps agent.id in the test directory.
data="path: { data = \"$dir/data\"; };"

# replay NAME CONF LOG...: documents into $dir/NAME.json
replay() {
	name=$1 conf=$2
	shift 2
	if ! "$bin" replay -c "$conf" "$@" > "$dir/$name.json" \
	    2> "$dir/$name.err"; then
		echo "FAIL: replay $name exited non-zero:"
		cat "$dir/$name.err"
		fail=1
	fi
}

echo "$data" > "$dir/plain.conf"
replay all1 "$dir/plain.conf" "$log"
replay all2 "$dir/plain.conf" "$log"

# A second data directory that already holds an agent id.
mkdir "$dir/data2"
echo "12345678-1234-4234-8234-123456789abc" > "$dir/data2/agent-id"
echo 'path: { data = "'"$dir/data2"'"; };' > "$dir/data2.conf"
replay data2 "$dir/data2.conf" "$log"

# drop_event: one rule; two rules (OR), the second with two conditions (AND).
cat > "$dir/drop1.conf" <<EOC
$data
drop_event = ( { keys = ["exec"]; } );
EOC
cat > "$dir/drop2.conf" <<EOC
$data
drop_event = (
  { keys = ["exec"]; },
  { record_types = ["syscall"];
    success = false; }
);
EOC
replay drop1 "$dir/drop1.conf" "$log"
replay drop2 "$dir/drop2.conf" "$log"

out=$("$bin" test config -c "$dir/drop2.conf" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ "$out" != "$dir/drop2.conf: OK" ]; then
	echo "FAIL: test config refuses a valid drop_event (exit $rc): $out"
	fail=1
else
	echo "PASS: test config accepts drop_event with keys, record_types, success"
fi
cat > "$dir/bad.conf" <<'EOC'
drop_event = (
  { keys = ["exec"];
    succes = true; },
  { recordtypes = ["SYSCALL"]; }
);
EOC
"$bin" test config -c "$dir/bad.conf" > "$dir/bad.txt" 2>&1
rc=$?
bad_ok=1
[ $rc -eq 1 ] || { echo "FAIL: exit status $rc for a misspelled condition, want 1"; bad_ok=0; }
for want in \
	"$dir/bad.conf:3: drop_event.[0].succes: unknown condition" \
	"$dir/bad.conf:4: drop_event.[1].recordtypes: unknown condition"; do
	if ! grep -qF "$want" "$dir/bad.txt"; then
		echo "FAIL: missing: $want"; bad_ok=0
	fi
done
if [ $bad_ok -eq 1 ]; then
	echo "PASS: test config rejects misspelled conditions as FILE:LINE: drop_event.[N].name: unknown condition"
else
	cat "$dir/bad.txt"; fail=1
fi

# Lost events: the records of serials 300..339 and 500..501 taken out.
grep -v -E 'msg=audit\([0-9]+\.[0-9]+:(3[0-3][0-9]|50[01])\):' "$log" \
    > "$dir/gap.log"
replay gap "$dir/plain.conf" "$dir/gap.log"

# process.args capped at 100 bytes.
printf '%s\nauditd: { args_max_bytes = 100; };\n' "$data" > "$dir/cap.conf"
replay cap "$dir/cap.conf" "$log"

# event.original
printf '%s\nauditd: { include_raw_message = true; };\n' "$data" > "$dir/raw.conf"
replay raw "$dir/raw.conf" "$log"

# Parents, hand-made: pid 500 execs with 70 arguments, its child 501 execs;
# 600 fails to exec, its child 601 execs; 500 execs again, its child 502.
python3 - "$dir/parents.log" <<'PY'
import sys
ids = ("auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 "
       "egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=1")
def ev(serial, pid, ppid, exe, comm, args, ok=True):
    t = f"msg=audit(1700000000.{serial:03d}:{serial})"
    a = " ".join(f'a{i}="{v}"' for i, v in enumerate(args))
    return [f"type=SYSCALL {t}: arch=c000003e syscall=59 "
            f"success={'yes' if ok else 'no'} exit={0 if ok else -2} a0=1 "
            f"a1=2 a2=3 a3=4 items=0 ppid={ppid} pid={pid} {ids} "
            f'comm="{comm}" exe="{exe}" key="exec"',
            f"type=EXECVE {t}: argc={len(args)} {a}",
            f"type=EOE {t}:"]
lines = []
lines += ev(10, 500, 1, "/usr/bin/many", "many",
            ["many"] + [f"x{i}" for i in range(1, 70)])
lines += ev(11, 501, 500, "/usr/bin/true", "true", ["true"])
lines += ev(12, 600, 1, "/usr/bin/nope", "sh", ["nope"], ok=False)
lines += ev(13, 601, 600, "/usr/bin/true", "true", ["true", "b"])
lines += ev(14, 500, 1, "/usr/bin/again", "again", ["again", "-v"])
lines += ev(15, 502, 500, "/usr/bin/true", "true", ["true", "c"])
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
replay parents "$dir/plain.conf" "$dir/parents.log"

python3 - "$dir" "$log" <<'PY' || fail=1
import base64, calendar, collections, hashlib, json, os, re, socket, stat
import sys, time

d, logpath = sys.argv[1], sys.argv[2]
failed = False

def check(ok, what, detail=""):
    global failed
    if ok:
        print(f"PASS: {what}")
    else:
        failed = True
        print(f"FAIL: {what}" + (f": {detail}" if detail else ""))
    return ok

def load(name):
    with open(os.path.join(d, name + ".json"), encoding="utf-8") as f:
        return [json.loads(l) for l in f]

def seq(doc):
    return doc["event"].get("sequence")

def is_lost(doc):
    return doc["event"]["action"] == "audit-events-lost"

def strip_ephemeral(docs):
    out = []
    for doc in docs:
        doc = json.loads(json.dumps(doc))
        doc["agent"].pop("ephemeral_id", None)
        out.append(doc)
    return out

# The log: each serial's records in order, and its header time.
records, stamp = collections.OrderedDict(), {}
with open(logpath, encoding="utf-8", errors="surrogateescape") as f:
    for line in f.read().split("\n"):
        m = re.search(r"msg=audit\((\d+)\.(\d+):(\d+)\):", line)
        if not m:
            continue
        serial = int(m.group(3))
        stamp[serial] = (m.group(1), m.group(2))
        records.setdefault(serial, [])
        if not line.startswith("type=EOE "):
            records[serial].append(line.split("\x1d")[0])

all1, all2 = load("all1"), load("all2")
check(len(all1) == 669 and len(all2) == 669,
      "669 documents for diverse.log", f"{len(all1)}, {len(all2)}")
check(not any(is_lost(x) for x in all1),
      "no audit-events-lost document for the intact file")

# ---- drop_event
exec_tagged = [x for x in all1 if "exec" in x.get("tags", [])]
want1 = [seq(x) for x in all1 if "exec" not in x.get("tags", [])]
drop1 = load("drop1")
check(len(exec_tagged) == 308 and [seq(x) for x in drop1] == want1,
      f"drop_event keys=[\"exec\"]: exactly the {len(exec_tagged)} documents "
      f"tagged exec are gone, {len(drop1)} kept in order",
      f"{len(drop1)} documents, want {len(want1)}")
check(not any(is_lost(x) for x in drop1),
      "dropped events are not reported as lost")
kept = {seq(x): x for x in strip_ephemeral(all1)}
changed = [seq(x) for x in strip_ephemeral(drop1) if x != kept.get(seq(x))]
detail = ""
if changed:
    s = changed[0]
    a = kept[s].get("process", {}).get("parent")
    b = [x for x in drop1 if seq(x) == s][0].get("process", {}).get("parent")
    detail = (f"{len(changed)} of {len(drop1)} kept documents differ from "
              f"the unfiltered replay, first sequence {s}: "
              f"process.parent {b} instead of {a}")
check(not changed, "documents kept by drop_event are the same as without it",
      detail)

def dropped2(x):
    return ("exec" in x.get("tags", []) or
            (x["auditd"]["message_type"] == "syscall" and
             x["auditd"]["result"] == "fail"))
want2 = [seq(x) for x in all1 if not dropped2(x)]
by_rule2 = [x for x in all1 if "exec" not in x.get("tags", []) and dropped2(x)]
drop2 = load("drop2")
check(len(by_rule2) == 66 and [seq(x) for x in drop2] == want2,
      f"drop_event with two rules: {len(all1) - len(want2)} dropped "
      f"({len(by_rule2)} failed syscalls without the exec key), "
      f"{len(drop2)} kept",
      f"{len(drop2)} documents, want {len(want2)}")

# ---- lost events
gap = load("gap")
lost = [x for x in gap if is_lost(x)]
got = [(x["auditd"].get("lost"), x.get("message")) for x in lost]
want = [({"count": 40, "first_sequence": 300, "last_sequence": 339},
         "40 audit events lost (sequence 300 to 339)"),
        ({"count": 2, "first_sequence": 500, "last_sequence": 501},
         "2 audit events lost (sequence 500 to 501)")]
check(got == want,
      "one audit-events-lost document per gap, with count, first_sequence, "
      "last_sequence", f"got {got}")
check(all(x["event"]["kind"] == "event" and
          x["event"]["outcome"] == "failure" and
          x["event"]["category"] == ["host"] and
          x["event"]["type"] == ["info"] and
          x["auditd"]["message_type"] == "lost" and
          re.fullmatch(r"[A-Za-z0-9_-]{22}", x["event"]["id"]) for x in lost)
      and len(lost) == 2, "lost documents: kind, outcome, category, type, id")
removed = set(range(300, 340)) | {500, 501}
check([seq(x) for x in gap if not is_lost(x)] ==
      [seq(x) for x in all1 if seq(x) not in removed] and
      len(gap) == 669 - 42 + 2,
      f"the other events are all there ({len(gap)} documents)")
after = {seq(x): x["@timestamp"] for x in gap if not is_lost(x)}
got = [x["@timestamp"] for x in lost]
want = [after[340], after[502]]
check(got == want,
      "a lost document has the time of the event right after its gap",
      f"@timestamp {got}, the events after the gaps (340, 502) are {want}")

# ---- process.args cap
cap = load("cap")
check(len(cap) == len(all1), "args_max_bytes: same number of documents")
def nbytes(args):
    return sum(len(a.encode("utf-8", "surrogateescape")) for a in args)
problems, ncut = [], 0
for a, c in zip(all1, cap):
    pa, pc = a.get("process", {}), c.get("process", {})
    if "args" not in pa:
        continue
    if "args_truncated" in pa:
        problems.append(f"{seq(a)}: args_truncated without a cap")
    if nbytes(pa["args"]) <= 100:
        if pa != pc:
            problems.append(f"{seq(a)}: short args changed")
        continue
    ncut += 1
    full, cut = pa["args"], pc["args"]
    ok = (pc.get("args_truncated") is True and nbytes(cut) == 100 and
          pc["args_count"] == pa["args_count"] and len(cut) <= len(full) and
          cut[:-1] == full[:len(cut) - 1] and
          full[len(cut) - 1].startswith(cut[-1]))
    if not ok:
        problems.append(f"{seq(a)}: {nbytes(cut)} bytes, "
                        f"truncated={pc.get('args_truncated')}, "
                        f"args_count {pc['args_count']}")
check(not problems and ncut == 5,
      f"args_max_bytes = 100: {ncut} events cut to exactly 100 bytes of "
      "their arguments, args_truncated, args_count unchanged; others intact",
      "; ".join(problems[:5]))
by = {seq(x): x for x in all1}
byc = {seq(x): x for x in cap}
p = by[367]["process"]
check(p["args"] == ["/bin/echo", "x" * 12000] and p["args_count"] == 2 and
      "args_truncated" not in p,
      "uncapped: the 12,000-byte argument (sequence 367) is whole",
      f"lengths {[len(a) for a in p['args']]}")
p = byc[367]["process"]
check(p["args"] == ["/bin/echo", "x" * 91] and p["args_count"] == 2 and
      p.get("args_truncated") is True,
      "capped: sequence 367 has /bin/echo and 91 bytes of its argument",
      f"lengths {[len(a) for a in p['args']]}")
p = by[369]["process"]
check(p["args"] == ["/bin/true"] + [str(i) for i in range(1, 2001)] and
      p["args_count"] == 2001 and "args_truncated" not in p,
      "uncapped: the 2,001-argument exec (sequence 369) is whole",
      f"{len(p['args'])} args, args_count {p.get('args_count')}")
p = byc[369]["process"]
check(p["args_count"] == 2001 and nbytes(p["args"]) == 100 and
      p.get("args_truncated") is True,
      "capped: sequence 369 keeps args_count 2001",
      f"{len(p['args'])} args, {nbytes(p['args'])} bytes")

# ---- include_raw_message
raw = load("raw")
bad = [seq(x) for x in raw
       if x["event"].get("original") != records.get(seq(x))]
check(len(raw) == 669 and not bad,
      "event.original: each event's record lines in order, without the "
      "ENRICHED part after 0x1D (EOE, which only ends an event, is not one)",
      f"sequences {bad[:10]}")
check(not any("original" in x["event"] for x in all1),
      "no event.original without include_raw_message")

# ---- event.id
def eid(text):
    digest = hashlib.sha256(text.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
ids = [x["event"]["id"] for x in all1]
check(all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids) and
      len(set(ids)) == 669,
      "event.id: 22 base64url characters, unique across the 669 documents",
      f"{len(set(ids))} distinct")
check(ids == [x["event"]["id"] for x in all2],
      "event.id: identical in two replays")
host_id = all1[0]["host"].get("id", "")
wrong = [seq(x) for x in all1 if x["event"]["id"] != eid(
    "%s:%s.%s:%d" % (host_id, *stamp[seq(x)], seq(x)))]
check(not wrong, "event.id = SHA-256(HOST_ID:SECONDS.MILLIS:SERIAL), "
      "first 128 bits, base64url", f"sequences {wrong[:10]}")
wrong = []
for x in lost:
    ts = x["@timestamp"]
    sec = calendar.timegm(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S"))
    l = x["auditd"]["lost"]
    text = "%s:%d.%s:0:lost:%d-%d" % (host_id, sec, ts[20:23],
                                      l["first_sequence"], l["last_sequence"])
    if x["event"]["id"] != eid(text):
        wrong.append(text)
check(not wrong, "lost documents: event.id over ...:0:lost:FIRST-LAST",
      f"{wrong}")

# ---- process.parent
execs, checked, problems = {}, 0, []
for x in all1:
    p = x.get("process")
    if not p:
        continue
    parent = p.get("parent")
    if parent is not None:
        ppid = parent.get("pid")
        e = execs.get(ppid)
        want = {"pid": ppid}
        if e is not None:
            checked += 1
            want.update(e)
        if parent != want:
            problems.append(f"{seq(x)}: {parent} want {want}")
    if ("args" in p and x["event"]["outcome"] == "success" and
            x["event"]["action"] == "executed"):
        execs[p["pid"]] = {"name": p["name"], "executable": p["executable"],
                           "args": p["args"]}
check(checked > 500 and not problems,
      f"process.parent.{{pid,name,executable,args}} of {checked} events "
      "match the parent's earlier exec (only pid when none was seen)",
      "; ".join(problems[:3]))
p = by[367]["process"]["parent"]
check(p == {"pid": 5910, "name": "bash", "executable": "/usr/bin/bash",
            "args": ["bash", "/tmp/wk.5894/user.sh", "/tmp/wk.5894"]},
      "sequence 367: the parent is the user.sh shell", f"{p}")
par = {seq(x): x["process"] for x in load("parents")}
check(par[11]["parent"] == {"pid": 500, "name": "many",
                            "executable": "/usr/bin/many",
                            "args": par[10]["args"]},
      "a parent exec with 70 arguments: process.parent.args has all 70",
      f"{len(par[11]['parent'].get('args', []))} of "
      f"{len(par[10]['args'])} arguments")
check(par[13]["parent"] == {"pid": 600},
      "a failed exec does not name the parent", f"{par[13]['parent']}")
check(par[15]["parent"] == {"pid": 500, "name": "again",
                            "executable": "/usr/bin/again",
                            "args": ["again", "-v"]},
      "the parent's latest exec counts", f"{par[15]['parent']}")

# ---- host and agent
try:
    with open("/etc/machine-id") as f:
        machine_id = f.readline().rstrip("\n")
except OSError:
    machine_id = None
hosts = [x["host"].get("id") for x in all1]
if machine_id:
    check(all(h == machine_id for h in hosts),
          "host.id is /etc/machine-id in every document", f"{set(hosts)}")
else:
    check(all(h is None for h in hosts), "no host.id without /etc/machine-id")
check(all(x["host"]["hostname"] == socket.gethostname() for x in all1),
      "host.hostname is the host name")
uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
a1 = {x["agent"].get("id") for x in all1}
a2 = {x["agent"].get("id") for x in all2}
path = os.path.join(d, "data", "agent-id")
try:
    st = os.stat(path)
    with open(path) as f:
        stored = f.read()
except OSError as e:
    st, stored = None, str(e)
agent_id = next(iter(a1)) if len(a1) == 1 else None
check(agent_id is not None and a1 == a2 and re.fullmatch(uuid, agent_id),
      "agent.id: one UUID, the same in two runs", f"{a1} {a2}")
check(st is not None and stored == f"{agent_id}\n",
      "agent.id is kept in path.data/agent-id", f"{stored!r}")
check(st is not None and stat.S_IMODE(st.st_mode) & 0o137 == 0,
      "path.data/agent-id has mode 0640 or stricter",
      f"mode {stat.S_IMODE(st.st_mode):o}" if st else "missing")
check({x["agent"].get("id") for x in load("data2")} ==
      {"12345678-1234-4234-8234-123456789abc"},
      "an existing agent-id file is used")
e1 = {x["agent"].get("ephemeral_id") for x in all1}
e2 = {x["agent"].get("ephemeral_id") for x in all2}
check(len(e1) == 1 and len(e2) == 1 and e1 != e2 and
      re.fullmatch(uuid, next(iter(e1)) or "") and e1 != a1,
      "agent.ephemeral_id: one UUID per run, new for every run",
      f"{e1} {e2}")

sys.exit(1 if failed else 0)
PY
exit $fail
