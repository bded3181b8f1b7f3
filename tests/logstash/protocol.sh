#!/bin/bash
# The Logstash output speaks Lumberjack v2 as Logstash's beats input expects:
# every document of a replay arrives once (checked by event.id against a
# plain replay), with compression or without, with many windows in flight,
# with ACK 0 keepalives holding a window longer than the timeout, with
# partial acks; every document carries @metadata {beat, type, version};
# escape_html writes < > & as \u003c \u003e \u0026 on the wire.
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

expected "$CORPUS" "$T/expected.json"
version=$("$bin" -V </dev/null | awk '{print $2; exit}')

# run_case NAME LOGSTASH-SETTINGS SERVER-OPTIONS...: a fresh server and
# data dir, one replay of the corpus, then the ids compared.
run_case() {
	local name=$1 settings=$2
	shift 2
	rm -rf "$T/data"
	start_server "$name" "$@"
	write_conf "$T/$name.conf" "hosts = [\"127.0.0.1:$(port_of "$name")\"]; $settings"
	: >"$T/replay.log"
	if ! replay "$T/$name.conf" "$CORPUS"; then
		show_log "$T/replay.log"
		show_log "$T/$name.log"
		fail "$name: replay failed"
	fi
	stop_server "$name"
	compare_ids "$T/expected.json" "$T/$name.out" --label "$name" || {
		show_log "$T/$name.log"; fail "$name: wrong documents"; }
	[ "$(stat_of "$name" duplicates)" = 0 ] ||
		fail "$name: the server saw duplicates"
	[ "$(stat_of "$name" protocol_errors)" = 0 ] ||
		fail "$name: protocol errors: $(grep -i 'protocol error' "$T/$name.log" | head -3)"
	[ "$(stat_of "$name" sequence_warnings)" = 0 ] ||
		fail "$name: sequence warnings (seq not 1..n in a window)"
	[ "$(stat_of "$name" json_duplicate_keys)" = 0 ] ||
		fail "$name: JSON objects with duplicate keys"
}

# 1. plain: no compression, no TLS
run_case plain "compression_level = 0;"
[ "$(stat_of plain compressed_frames)" = 0 ] ||
	fail "plain: compression_level 0 sent compressed frames"
[ "$(stat_of plain connections)" = 1 ] ||
	fail "plain: $(stat_of plain connections) connections, expected 1"

# 2. compression level 3: one C frame per window
run_case zlib "compression_level = 3;"
c=$(stat_of zlib compressed_frames)
w=$(stat_of zlib windows)
[ "$c" -ge 1 ] && [ "$c" = "$w" ] ||
	fail "zlib: $c compressed frames for $w windows, expected one per window"
# On the wire: compressed is smaller than the payload.
b=$(stat_of zlib bytes_received)
p=$(stat_of zlib payload_bytes)
[ "$b" -lt "$p" ] || fail "zlib: $b bytes on the wire for $p bytes of JSON"
note "zlib: $w windows, $c compressed frames, $b bytes on the wire for $p bytes of JSON"

# 3. pipelining 4, windows of 50: many windows, at most 50 events each
run_case pipe "compression_level = 3; pipelining = 4; bulk_max_size = 50;"
w=$(stat_of pipe windows)
[ "$w" -ge 14 ] || fail "pipe: $w windows for 669 events with bulk_max_size 50"
[ "$(stat_of pipe window_restarts)" = 0 ] ||
	fail "pipe: a window started before the last one was complete"
note "pipe: $w windows"

# 4. a slow server: each window's ack is held 3 s, with ACK 0 every 0.5 s;
# the 2 s timeout runs from the last ack or keepalive, so nothing times out.
run_case slow "timeout = \"2s\";" --slow 3 --keepalive-every 0.5
k=$(stat_of slow keepalives_sent)
[ "$k" -ge 4 ] || fail "slow: only $k keepalives sent"
[ "$(stat_of slow connections)" = 1 ] ||
	fail "slow: $(stat_of slow connections) connections: the client timed out despite the keepalives ($(grep -i -m1 'time' "$T/replay.log"))"
note "slow: $k keepalives, one connection, no resend"

# 5. partial acks every 7 events
run_case partial "bulk_max_size = 100;" --partial-acks 7
pa=$(stat_of partial partial_acks)
[ "$pa" -ge 10 ] || fail "partial: only $pa partial acks"
[ "$(stat_of partial connections)" = 1 ] ||
	fail "partial: $(stat_of partial connections) connections after partial acks"
note "partial: $pa partial acks"

# 6. @metadata on every document (index from the config), first member
run_case meta "index = \"audit-test\";"
python3 - "$T/meta.out" "$version" <<'PY' || fail "meta: @metadata wrong"
import json, sys
path, version = sys.argv[1:]
want = {"beat": "audit-test", "type": "_doc", "version": version}
n = 0
for line in open(path, encoding="utf-8"):
    if not line.startswith('{"@metadata":'):
        sys.exit(f"@metadata is not the first member: {line[:80]}")
    d = json.loads(line)
    if d["@metadata"] != want:
        sys.exit(f"@metadata {d['@metadata']} != {want}")
    if d.get("agent", {}).get("version") != version:
        sys.exit(f"agent.version {d.get('agent', {}).get('version')} != {version}")
    n += 1
print(f"meta: {n} documents with @metadata {json.dumps(want)}")
PY

# 7. escape_html: an EXECVE argument with < > & in it
cat >"$T/html.log" <<'LOG'
type=SYSCALL msg=audit(1795300644.202:900001): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 ppid=1 pid=4242 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm="echo" exe="/usr/bin/echo" key="exec"
type=EXECVE msg=audit(1795300644.202:900001): argc=3 a0="echo" a1="<script>" a2="a&b"
type=EOE msg=audit(1795300644.202:900001):
LOG
expected "$T/html.log" "$T/html-expected.json"
for mode in true false; do
	rm -rf "$T/data"
	start_server html_$mode
	write_conf "$T/html.conf" "hosts = [\"127.0.0.1:$(port_of "html_$mode")\"]; escape_html = $mode;"
	replay "$T/html.conf" "$T/html.log" || { show_log "$T/replay.log"; fail "html: replay failed"; }
	stop_server html_$mode
	compare_ids "$T/html-expected.json" "$T/html_$mode.out" --label "escape_html $mode" ||
		fail "escape_html $mode: wrong documents"
done
python3 - "$T/html_true.out" "$T/html_false.out" <<'PY' || fail "escape_html"
import json, sys
esc, plain = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
if "<" in esc or ">" in esc or "&" in esc:
    sys.exit("escape_html true: a literal < > or & on the wire")
for s in ("\\u003cscript\\u003e", "a\\u0026b"):
    if s not in esc:
        sys.exit(f"escape_html true: {s} not on the wire")
if "<script>" not in plain or "a&b" not in plain:
    sys.exit("escape_html false: the argument is not sent as it is")
a = [json.loads(l) for l in esc.splitlines()]
b = [json.loads(l) for l in plain.splitlines()]
if [d["process"]["args"] for d in a] != [d["process"]["args"] for d in b]:
    sys.exit("escape_html changes the decoded documents")
print("escape_html: true sends \\u003cscript\\u003e and a\\u0026b, false sends them as they are; "
      f"the decoded args are the same: {a[0]['process']['args']}")
PY

echo "PASS: $TEST_NAME"
