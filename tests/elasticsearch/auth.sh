#!/bin/bash
# Authentication with Elasticsearch: Basic (username/password) and API key
# ("Authorization: ApiKey base64(id:key)"), inline or from files of their
# own; secrets in files readable by others are refused by name.  Refused
# credentials (401) are reported with the host and the method and retried:
# once the configuration is fixed and SIGHUP'd, every document held in the
# spool meanwhile is delivered, exactly once.  403 (authenticated, not
# authorised to write) is reported the same way.
set -u
. "${srcdir:-.}/tests/elasticsearch/lib.sh"

expected "$CORPUS" "$T/expected.json"
INDEX=logs-audisp_ecs-default
ndocs=$(count_lines "$T/expected.json")

# all_stored NAME: server NAME holds as many documents as the corpus.
all_stored() { [ "$(es_control "$1" store | wc -l)" -ge "$ndocs" ]; }

# deliver NAME ES-SETTINGS: replay the corpus to server NAME; all of it
# must be indexed exactly once.
deliver() {
	rm -rf "$T/data"
	write_es_conf "$T/$1.conf" "hosts = [\"127.0.0.1:$(port_of "$1")\"]; $2"
	: >"$T/replay.log"
	replay "$T/$1.conf" "$CORPUS" || { show_log "$T/replay.log"; fail "$1: replay failed"; }
	server_stats "$1"
	es_docs "$1" "$T/$1.docs" "$INDEX" || fail "$1: wrong _id"
	compare_ids "$T/expected.json" "$T/$1.docs" --label "$1" || fail "$1: wrong documents"
}

# feed_plugin NAME ES-SETTINGS: plugin mode, from an empty data dir, with
# the output pointed at server NAME, fed the corpus (stdin stays open).
feed_plugin() {
	rm -rf "$T/data"
	write_es_conf "$T/$1.conf" "hosts = [\"127.0.0.1:$(port_of "$1")\"]; $2"
	: >"$T/plugin.log"
	plugin_start "$T/$1.conf"
	plugin_feed "$CORPUS"
}

# 1. Basic and API key, inline and from files.
start_server basic --data-stream-prefix logs- --username elastic --password 's3cr3t pass'
deliver basic 'username = "elastic"; password = "s3cr3t pass";'
[ "$(stat_of basic last_authorization_scheme)" = Basic ] || fail "basic: not Basic"
stop_server basic

start_server apikey --data-stream-prefix logs- --api-key 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw'
deliver apikey 'api_key = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";'
[ "$(stat_of apikey last_authorization_scheme)" = ApiKey ] || fail "apikey: not ApiKey"
printf 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw\n' >"$T/api.key"
chmod 600 "$T/api.key"
es_control apikey reset '{}' >/dev/null
deliver apikey "api_key_file = \"$T/api.key\";"
stop_server apikey
note "Basic and ApiKey (inline and from api_key_file) accepted"

# 2. Secrets readable by others are refused, naming the file.
printf 'secret\n' >"$T/pw"
chmod 644 "$T/pw"
write_es_conf "$T/badfile.conf" "hosts = [\"127.0.0.1:9\"]; username = \"u\"; password_file = \"$T/pw\";"
"$bin" test config -c "$T/badfile.conf" >"$T/badfile.log" 2>&1 && fail "a group/other-readable password_file was accepted"
grep -q "password_file: $T/pw is readable by group or others" "$T/badfile.log" ||
	{ cat "$T/badfile.log"; fail "no clear message for the readable password_file"; }
write_es_conf "$T/badconf.conf" 'hosts = ["127.0.0.1:9"]; username = "u"; password = "p";'
chmod 644 "$T/badconf.conf"
"$bin" test config -c "$T/badconf.conf" >"$T/badconf.log" 2>&1 && fail "a readable config with a password was accepted"
grep -q "holds output.elasticsearch.password but is readable by group or others" "$T/badconf.log" ||
	{ cat "$T/badconf.log"; fail "no clear message for the readable configuration"; }
write_es_conf "$T/both.conf" 'hosts = ["127.0.0.1:9"]; username = "u"; password = "p"; api_key = "a:b";'
"$bin" test config -c "$T/both.conf" >"$T/both.log" 2>&1 && fail "username and api_key together were accepted"
note "refused: $(head -1 "$T/badfile.log")"

# 3. Wrong password in plugin mode: 401 named, nothing lost; fixed and
# SIGHUP'd, everything arrives.
start_server locked --data-stream-prefix logs- --username elastic --password right
feed_plugin locked 'username = "elastic"; password = "wrong";'
wait_until 15 grep -q "authentication with username and password failed (HTTP 401)" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "locked: no 401 message naming the method"; }
grep "HTTP 401" "$T/plugin.log" | grep -q "127.0.0.1:$(port_of locked)" || fail "locked: the 401 message does not name the host"
[ -z "$(es_control locked store)" ] || fail "locked: documents stored without credentials"
write_es_conf "$T/locked.conf" "hosts = [\"127.0.0.1:$(port_of locked)\"]; username = \"elastic\"; password = \"right\";"
kill -HUP "$plugin_pid"
wait_until 30 all_stored locked ||
	{ show_log "$T/plugin.log"; fail "locked: not delivered after the fix and SIGHUP"; }
plugin_eof
plugin_wait 15 || fail "locked: the plugin did not exit at EOF"
server_stats locked
es_docs locked "$T/locked.docs" "$INDEX"
compare_ids "$T/expected.json" "$T/locked.docs" --label locked || fail "locked: wrong documents"
note "401: reported as '$(grep -o 'authentication with [^:]*' "$T/plugin.log" | head -1)', all delivered after SIGHUP"

# 4. 403: the bulk request is refused as a whole; named, retried.
start_server forbidden --data-stream-prefix logs- --forbid
feed_plugin forbidden ""
wait_until 15 grep -q "authentication with no credentials refused (HTTP 403)" "$T/plugin.log" ||
	{ show_log "$T/plugin.log"; fail "forbidden: no 403 message"; }
es_control forbidden faults '{}' >/dev/null	# the role is granted
wait_until 30 all_stored forbidden ||
	{ show_log "$T/plugin.log"; fail "forbidden: not delivered once allowed"; }
plugin_eof
plugin_wait 15 || fail "forbidden: the plugin did not exit at EOF"
note "403: reported and retried until allowed"
exit 0
