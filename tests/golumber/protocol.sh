#!/bin/bash
# The Logstash output against Elastic's own Lumberjack v2 server
# (go-lumber), not only against this repository's test server
# (tests/logstash/protocol.sh, tls.sh): a replay of the corpus arrives
# whole, each event once, acknowledged window by window, plain, zlib
# compressed, with four windows in flight of at most 50 events, over TLS
# with the server verified against the test CA, and with mutual TLS.
set -u
. "${srcdir:-.}/tests/golumber/lib.sh"

expected "$CORPUS" "$T/expected.json"
ndocs=$(count_lines "$T/expected.json")

# run_case NAME LOGSTASH-SETTINGS [HOST] [RECEIVER-OPTIONS...]: a fresh
# receiver and data dir, one replay of the corpus, then the ids compared
# and the receiver's counters checked.
run_case() {
	local name=$1 settings=$2 host=${3:-127.0.0.1}
	shift 2
	[ $# -gt 0 ] && shift
	rm -rf "$T/data"
	start_server "$name" "$@"
	write_conf "$T/$name.conf" "hosts = [\"$host:$(port_of "$name")\"]; $settings"
	chmod 600 "$T/$name.conf"
	deliver_corpus "$name" "$T/$name.conf"
	compare_ids "$T/expected.json" "$T/$name.out" --label "$name" || {
		show_log "$T/$name.log"; fail "$name: wrong documents"; }
	[ "$(stat_of "$name" events)" = "$ndocs" ] ||
		fail "$name: the receiver acked $(stat_of "$name" events) events, $ndocs sent"
	[ "$(stat_of "$name" duplicates)" = 0 ] || fail "$name: duplicates"
	[ "$(stat_of "$name" invalid_json)" = 0 ] || fail "$name: events that are not JSON"
	grep -qi "error\|fail" "$T/replay.log" &&
		{ show_log "$T/replay.log"; fail "$name: the plugin reported errors"; }
	note "$name: $ndocs events in $(stat_of "$name" windows) windows (largest $(stat_of "$name" max_window)) over $(stat_of "$name" connections) connection(s)"
}

run_case plain "compression_level = 0;"
[ "$(stat_of plain bytes_received)" -gt "$(stat_of plain payload_bytes)" ] ||
	fail "plain: fewer bytes on the wire than JSON with compression_level 0"
run_case zlib "compression_level = 3;"
b=$(stat_of zlib bytes_received)
p=$(stat_of zlib payload_bytes)
[ "$b" -lt "$p" ] || fail "zlib: $b bytes on the wire for $p bytes of JSON"
note "zlib: $b bytes on the wire for $p bytes of JSON"
run_case pipe "compression_level = 3; pipelining = 4; bulk_max_size = 50;"
[ "$(stat_of pipe max_window)" -le 50 ] || fail "pipe: a window of $(stat_of pipe max_window) events (bulk_max_size 50)"
[ "$(stat_of pipe windows)" -ge $((ndocs / 50)) ] || fail "pipe: only $(stat_of pipe windows) windows"

tls_certs
run_case tls "ssl: { $CA verification_mode = \"full\"; };" localhost \
	--tls-cert "$C/server.pem" --tls-key "$C/server.key"
[ "$(stat_of tls tls_handshakes)" -ge 1 ] || fail "tls: no TLS handshake seen by the receiver"
note "tls: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tls_versions"])' "$T/tls.stats")"
run_case mutual "ssl: { $CA certificate = \"$C/client.pem\"; key = \"$C/client.key\"; };" localhost \
	--tls-cert "$C/server.pem" --tls-key "$C/server.key" --tls-ca "$C/ca.pem"
[ "$(stat_of mutual client_certificates)" -ge 1 ] || fail "mutual: no client certificate seen by the receiver"

echo "PASS: $TEST_NAME"
