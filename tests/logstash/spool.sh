#!/bin/bash
# The spool keeps what Logstash has not acknowledged across restarts:
# (a) with the server down, plugin mode spools everything it reads; at the
#     end of its input it exits 0 within about 5 s, leaving the documents
#     in the spool; once the server is up the next run sends the spooled
#     documents first, then its own: every document arrives once;
# (b) a record torn by a crash mid-write (the newest segment cut short) is
#     reported and skipped, not fatal; every document of the intact
#     records arrives.
set -u
. "${srcdir:-.}/tests/logstash/lib.sh"

bugs=0
free_port P
CONF=$T/spool.conf
write_conf "$CONF" "hosts = [\"127.0.0.1:$P\"]; backoff: { init = \"100ms\"; max = \"500ms\"; };"
split_log "$CORPUS" "$T/part1.log" "$T/part2.log" 60
expected "$CORPUS" "$T/expected.json"
expected "$T/part1.log" "$T/expected1.json"
n1=$(count_lines "$T/expected1.json")

# segments DIR: "COUNT BYTES" of the segment files in DIR
segments() {
	find "$1" -name '*.seg' -size +0c -printf '%s\n' 2>/dev/null |
		awk '{ n++; s += $1 } END { print n + 0, s + 0 }'
}

# spool_while_down FILE: plugin mode with the server down reads FILE,
# spools every document of it, then stops (EOF, or SIGTERM if EOF does
# not end it in 8 s).
spool_while_down() {
	local want
	want=$("$bin" replay "$1" | wc -l)
	: >"$T/plugin.log"
	plugin_start "$CONF"
	plugin_feed "$1"
	wait_until 20 sh -c "kill -USR1 $plugin_pid; sleep 0.2; grep -q '\"spooled\":$want,' '$T/data/stats.json' 2>/dev/null" || {
		show_log "$T/plugin.log"; fail "the plugin did not spool $want documents"; }
	plugin_stats
	[ "$(pstat written)" = 0 ] && [ "$(pstat dropped)" = 0 ] ||
		fail "server down: written $(pstat written), dropped $(pstat dropped)"
	note "server down: stats.json says spooled $(pstat spooled), written 0, dropped 0; spool: $(segments "$T/data/spool") (segments, bytes)"
	[ "$(segments "$T/data/spool" | cut -d' ' -f1)" -ge 1 ] || fail "no segment file in the spool"

	# End of input: drain for at most ~5 s, then exit 0, the documents
	# staying in the spool.
	t0=$(date +%s)
	plugin_eof
	if plugin_wait 8; then
		note "EOF: the plugin exited $plugin_rc after $(($(date +%s) - t0)) s"
	else
		echo "BUG: $TEST_NAME: at EOF of stdin with the server down, the plugin is still running after 8 s (README: exits within 5 s); stopping it with SIGTERM"
		bugs=$((bugs + 1))
		plugin_stop
		note "SIGTERM: the plugin exited $plugin_rc after $(($(date +%s) - t0)) s"
	fi
	[ "$plugin_rc" = 0 ] || { show_log "$T/plugin.log"; fail "the plugin exited $plugin_rc with documents left in the spool"; }
	grep -q "exiting: .* $want spooled" "$T/plugin.log" ||
		{ show_log "$T/plugin.log" 3; fail "the exit line does not count $want spooled documents"; }
	[ "$(segments "$T/data/spool" | cut -d' ' -f1)" -ge 1 ] ||
		fail "the spool is empty after the exit"
}

# ---- (a) spooled while down, sent first once the server is up
rm -rf "$T/data"
spool_while_down "$T/part1.log"
start_server A --port "$P"
: >"$T/replay.log"
replay "$CONF" "$T/part2.log" || { show_log "$T/replay.log"; fail "(a): replay failed"; }
stop_server A
grep -q "spool: $n1 documents not yet acknowledged from the last run are sent first" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "(a): no message about the $n1 recovered documents"; }
compare_ids "$T/expected.json" "$T/A.out" --label "(a) spooled + new" || fail "(a): wrong documents"
python3 - "$T/A.out" "$T/expected1.json" <<'PY' || fail "(a): spooled documents were not sent first"
import json, sys
first = {json.loads(l)["event"]["id"] for l in open(sys.argv[2])}
got = [json.loads(l)["event"]["id"] in first for l in open(sys.argv[1])]
n = sum(got)
if got[:n] != [True] * n:
    sys.exit(f"a new document arrived before the last spooled one")
print(f"(a): the {n} spooled documents arrived first, then {len(got) - n} new ones")
PY
# Everything is acknowledged: nothing is sent again by the next run.
: >"$T/replay.log"
start_server A2 --port "$P"
replay "$CONF" /dev/null || { show_log "$T/replay.log"; fail "(a): second replay failed"; }
stop_server A2
[ "$(count_lines "$T/A2.out")" = 0 ] ||
	fail "(a): $(count_lines "$T/A2.out") acknowledged documents were sent again"

# ---- (b) a torn record at the end of the newest segment
rm -rf "$T/data"
spool_while_down "$CORPUS"
python3 - "$T/data/spool" "$T/intact.json" <<'PY' || fail "(b): cannot tear the spool"
# Records: 16-byte header (magic "AESR", payload length, document count,
# CRC-32, little endian) and the payload, one JSON document per line; with
# the magic "AESM", the documents are followed by a mark and its length
# (2 bytes).
import glob, json, os, struct, sys, zlib
spool, out = sys.argv[1:]
segs = sorted(p for p in glob.glob(os.path.join(spool, "*.seg")) if os.path.getsize(p))
last = segs[-1]
data = open(last, "rb").read()
recs, off = [], 0
while off + 16 <= len(data):
    magic, ln, nd, crc = struct.unpack_from("<IIII", data, off)
    payload = data[off + 16: off + 16 + ln]
    if magic not in (0x52534541, 0x4d534541) or len(payload) != ln or zlib.crc32(payload) != crc:
        sys.exit(f"{last}: bad record at {off} before tearing")
    if magic == 0x4d534541:
        payload = payload[:ln - 2 - int.from_bytes(payload[-2:], "little")]
    recs.append((off, ln, nd, payload))
    off += 16 + ln
if len(recs) < 2:
    sys.exit(f"{last}: only {len(recs)} record(s); cannot tear one and keep others")
# Cut the last record in the middle of its payload (a crash mid-write).
cut_off, cut_len, cut_n, _ = recs[-1]
size = cut_off + 16 + cut_len // 2
os.truncate(last, size)
with open(out, "w") as f:
    for p in [r[3] for r in recs[:-1]]:
        f.write(p.decode())
print(f"(b): {len(recs)} records in {os.path.basename(last)}; the last one "
      f"({cut_n} documents, {16 + cut_len} bytes) cut to {16 + cut_len // 2} bytes")
PY
[ "$(find "$T/data/spool" -name '*.seg' -size +0c | wc -l)" = 1 ] ||
	fail "(b): the corpus filled more than one segment (the test assumes one)"
start_server B --port "$P"
: >"$T/replay.log"
replay "$CONF" /dev/null || { show_log "$T/replay.log"; fail "(b): replay after the tear failed (exit $?)"; }
stop_server B
grep -q "torn" "$T/replay.log" || { show_log "$T/replay.log"; fail "(b): the torn record was not reported"; }
note "(b): logged: $(grep -m1 torn "$T/replay.log")"
compare_ids "$T/intact.json" "$T/B.out" --label "(b) intact records" ||
	fail "(b): not exactly the documents of the intact records"

[ "$bugs" = 0 ] || fail "$bugs bug(s) found (see BUG lines above)"
echo "PASS: $TEST_NAME"
