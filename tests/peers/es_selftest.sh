#!/bin/bash
# es_selftest.sh - checks es_server.py itself, with curl and python3.
#
# Starts the server on free loopback ports (127.0.0.1 only) in several
# configurations and checks what a client sees: cluster info and headers,
# bulk results, conflicts, filter_path, gzip and chunked bodies, request
# errors, data streams, every fault, Basic and ApiKey authentication, TLS
# and mutual TLS (certificates from make-certs.sh), templates, ILM, single
# document APIs, the control endpoints and the files written at exit.
#
# Exit status: 0 all passed, 1 a check failed (the message says which),
# 77 curl, python3 or openssl is missing.  KEEP=1 keeps the temp dir after
# a failure; VERBOSE=1 prints every check.
set -u

here=$(cd "$(dirname "$0")" && pwd)
SERVER=$here/es_server.py
NAME=es_selftest

for tool in curl python3 openssl; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "SKIP: $NAME: $tool not found"
		exit 77
	}
done

T=$(mktemp -d "${TMPDIR:-/tmp}/es-selftest.XXXXXX") || exit 99
server_pids=
checks=0

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in $server_pids; do	# only the servers this script started
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ "$rc" != 0 ] && [ -n "${KEEP:-}" ]; then
		echo "$NAME: kept $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $NAME: $*"
	if [ -f "$T/resp.body" ]; then
		echo "--- last response: HTTP $(cat "$T/resp.code" 2>/dev/null)"
		head -c 2000 "$T/resp.body"
		echo
	fi
	for log in "$T"/*.log; do
		[ -s "$log" ] || continue
		echo "--- ${log#"$T"/} (last 10 lines)"
		tail -n 10 "$log" | sed 's/^/  /'
	done
	exit 1
}

ok() {
	checks=$((checks + 1))
	[ -z "${VERBOSE:-}" ] || echo "ok $checks - $*"
}

# start NAME [server options...]: start es_server.py on an ephemeral port;
# sets NAME_port and NAME_pid, and PORT to the port.
start() {
	local name=$1 port= p
	shift
	python3 "$SERVER" --listen 127.0.0.1:0 --port-file "$T/$name.port" \
		--out "$T/$name.store" --stats "$T/$name.stats" "$@" \
		>"$T/$name.stdout" 2>"$T/$name.log" &
	p=$!
	server_pids="$server_pids $p"
	for _ in $(seq 1 100); do
		port=$(sed -n 's/^LISTENING \([0-9][0-9]*\)$/\1/p' "$T/$name.stdout")
		[ -n "$port" ] && break
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$port" ] || fail "server $name did not start"
	[ "$(cat "$T/$name.port")" = "$port" ] || fail "$name: --port-file differs from LISTENING"
	eval "${name}_port=$port ${name}_pid=$p"
	PORT=$port
}

# stop NAME: SIGTERM and wait (the --out/--stats files are then final).
stop() {
	local p
	eval "p=\${${1}_pid}"
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	local rc=$?
	[ "$rc" = 0 ] || fail "server $1 exited with status $rc after SIGTERM"
}

# req METHOD PATH [curl options...]: one request to $BASE; the status goes
# to $T/resp.code, headers to $T/resp.headers, the body to $T/resp.body;
# curl's exit status is returned.
req() {
	local method=$1 path=$2
	shift 2
	rm -f "$T/resp.body" "$T/resp.headers" "$T/resp.code"
	curl -sS --max-time 15 -X "$method" -o "$T/resp.body" -D "$T/resp.headers" \
		-w '%{http_code}' "$@" "$BASE$path" >"$T/resp.code" 2>"$T/curl.err"
}

# bulk PATH FILE [curl options...]: POST an NDJSON file to PATH.
bulk() {
	local path=$1 file=$2
	shift 2
	req POST "$path" -H 'Content-Type: application/x-ndjson' --data-binary "@$file" "$@"
}

# expect_status CODE WHAT
expect_status() {
	[ "$(cat "$T/resp.code")" = "$1" ] ||
		fail "$2: HTTP $(cat "$T/resp.code"), expected $1"
	ok "$2"
}

# jpy EXPR [FILE]: a Python expression over the JSON in FILE (default the
# last response body) as d; prints the result (JSON for dicts and lists).
jpy() {
	python3 - "$1" "${2:-$T/resp.body}" <<'PY'
import json, sys
with open(sys.argv[2], "rb") as f:
    d = json.loads(f.read() or b"null")
v = eval(sys.argv[1], {"d": d, "json": json})
print(json.dumps(v, separators=(",", ":")) if isinstance(v, (dict, list)) else v)
PY
}

# expect WHAT EXPR WANT [FILE]: jpy EXPR must print WANT.
expect() {
	local got
	got=$(jpy "$2" "${4:-}") || fail "$1: cannot evaluate $2"
	[ "$got" = "$3" ] || fail "$1: $2 is [$got], expected [$3]"
	ok "$1"
}

# expect_body WHAT WANT: the response body, byte for byte.
expect_body() {
	local got
	got=$(cat "$T/resp.body")
	[ "$got" = "$1" ] || fail "$2: body is [$got], expected [$1]"
	ok "$2"
}

header() { # header NAME: value of a response header (last one), CR removed
	sed -n "s/^$1: //Ip" "$T/resp.headers" | tr -d '\r' | tail -n 1
}

faults() { # faults JSON: replace the fault settings of the server at $BASE
	req POST /_test/faults -H 'Content-Type: application/json' -d "$1"
	expect_status 200 "set faults $1"
}

stat() { # stat KEY: a counter from /_test/stats (a.b for nested ones)
	curl -sS --max-time 10 "$BASE/_test/stats" >"$T/stats.json" || fail "GET /_test/stats"
	python3 - "$T/stats.json" "$1" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else 0
print(v)
PY
}

expect_stat() { # expect_stat KEY WANT
	local got
	got=$(stat "$1")
	[ "$got" = "$2" ] || fail "stats $1 is $got, expected $2"
	ok "stats $1 = $2"
}

# ndjson FILE ACTION INDEX ID...: a bulk body, one small document per id
# ("-" for no _id).
ndjson() {
	local file=$1 action=$2 index=$3 id
	shift 3
	: >"$file"
	for id in "$@"; do
		if [ "$id" = - ]; then
			printf '{"%s":{"_index":"%s"}}\n' "$action" "$index" >>"$file"
		else
			printf '{"%s":{"_index":"%s","_id":"%s"}}\n' "$action" "$index" "$id" >>"$file"
		fi
		printf '{"@timestamp":"2024-05-01T00:00:00Z","event":{"id":"%s"},"message":"m %s"}\n' \
			"$id" "$id" >>"$file"
	done
}

# ---------------------------------------------------------------------------

t_cluster_info() {
	req GET /
	expect_status 200 "GET /"
	[ "$(header X-Elastic-Product)" = Elasticsearch ] || fail "GET /: no X-Elastic-Product header"
	case $(header Content-Type) in application/json*) ;; *) fail "GET /: Content-Type $(header Content-Type)" ;; esac
	expect "GET / version" 'd["version"]["number"]' 8.15.0
	expect "GET / flavor" 'd["version"]["build_flavor"]' default
	expect "GET / tagline" 'd["tagline"]' "You Know, for Search"
	req HEAD / -I
	expect_status 200 "HEAD /"
	! grep -q "{" "$T/resp.body" || fail "HEAD / has a body"
	# keep-alive: two requests in one curl run share one connection
	local before after
	before=$(stat connections)
	curl -sS --max-time 10 -o /dev/null -o /dev/null "$BASE/" "$BASE/" || fail "two GET / on one connection"
	after=$(stat connections)
	# +1 for the two requests, +1 for the stat call in between
	[ $((after - before)) = 2 ] || fail "keep-alive: $((after - before - 1)) connections for 2 requests"
	ok "keep-alive"
}

t_bulk_create_conflict() {
	ndjson "$T/b1" create t-a a1 a2
	bulk /_bulk "$T/b1"
	expect_status 200 "bulk create"
	expect "bulk create result" '[d["errors"]] + [i["create"]["status"] for i in d["items"]]' '[false,201,201]'
	expect "bulk create fields" '[d["items"][0]["create"][k] for k in ("_index","_id","_version","result")]' \
		'["t-a","a1",1,"created"]'
	bulk /_bulk "$T/b1"
	expect "bulk create again: 409" '[d["errors"]] + [i["create"]["status"] for i in d["items"]]' '[true,409,409]'
	expect "409 error" 'd["items"][0]["create"]["error"]["type"] + " " + d["items"][0]["create"]["error"]["reason"]' \
		"version_conflict_engine_exception [a1]: version conflict, document already exists (current version [1])"
	# index: created then updated; default index from the URL; generated ids
	printf '{"index":{"_id":"i1"}}\n{"x":1}\n{"index":{"_id":"i1"}}\n{"x":2}\n{"index":{}}\n{"x":3}\n' >"$T/b2"
	bulk /t-b/_bulk "$T/b2"
	expect "index ops" '[(i["index"]["_index"], i["index"]["status"], i["index"]["result"]) for i in d["items"]]' \
		'[["t-b",201,"created"],["t-b",200,"updated"],["t-b",201,"created"]]'
	expect "generated _id" 'len(d["items"][2]["index"]["_id"])' 20
	# delete, update
	printf '{"delete":{"_index":"t-b","_id":"i1"}}\n{"delete":{"_index":"t-b","_id":"nope"}}\n{"update":{"_index":"t-a","_id":"a1"}}\n{"doc":{"extra":1}}\n' >"$T/b3"
	req PUT /_bulk -H 'Content-Type: application/json' --data-binary "@$T/b3"
	expect "delete/update" '[d["errors"]] + [list(i.values())[0]["result"] for i in d["items"]]' \
		'[false,"deleted","not_found","updated"]'
	expect_stat conflicts_409 2
}

t_filter_path() {
	ndjson "$T/f1" create t-f f1
	bulk "/_bulk?filter_path=errors,items.*.error,items.*.status" "$T/f1"
	expect_body '{"errors":false,"items":[{"create":{"status":201}}]}' "filter_path errors,items.*.error,items.*.status"
	bulk "/_bulk?filter_path=errors,items.*.error,items.*.status" "$T/f1"
	expect "filter_path with an error" 'sorted(d["items"][0]["create"])' '["error","status"]'
	ndjson "$T/f2" create t-f f2
	bulk "/_bulk?filter_path=items.*._id" "$T/f2"
	expect_body '{"items":[{"create":{"_id":"f2"}}]}' "filter_path items.*._id"
}

t_gzip_chunked() {
	ndjson "$T/g1" create t-g g1 g2 g3
	gzip -c "$T/g1" >"$T/g1.gz"
	bulk /_bulk "$T/g1.gz" -H 'Content-Encoding: gzip'
	expect "gzip body" '[i["create"]["status"] for i in d["items"]]' '[201,201,201]'
	expect_stat gzip_requests 1
	ndjson "$T/c1" create t-g c1 c2
	bulk /_bulk "$T/c1" -H 'Transfer-Encoding: chunked'
	expect "chunked body" '[i["create"]["status"] for i in d["items"]]' '[201,201]'
	expect_stat chunked_requests 1
	# a gzipped response when asked (ES does that without TLS)
	ndjson "$T/c2" create t-g c3
	bulk /_bulk "$T/c2" --compressed
	[ "$(header Content-Encoding)" = gzip ] || fail "no gzip response to Accept-Encoding: gzip"
	expect "gzip response" 'd["items"][0]["create"]["status"]' 201
}

t_request_errors() {
	printf '{"create":{"_index":"t-e","_id":"e1"}}\n{"x":1}' >"$T/e1"
	bulk /_bulk "$T/e1"
	expect_status 400 "no final newline"
	expect "no final newline error" 'd["error"]["type"] + ": " + d["error"]["reason"]' \
		'illegal_argument_exception: The bulk request must be terminated by a newline [\n]'
	req POST /_bulk -H 'Content-Type: text/plain' --data-binary "@$T/b1"
	expect_status 406 "Content-Type text/plain"
	expect "406 body" 'd["error"]' "Content-Type header [text/plain] is not supported"
	printf '{"frobnicate":{"_index":"t-e"}}\n{}\n' >"$T/e2"
	bulk /_bulk "$T/e2"
	expect_status 400 "unknown action"
	expect "unknown action error" 'd["error"]["type"]' illegal_argument_exception
	printf 'not json\n{}\n' >"$T/e3"
	bulk /_bulk "$T/e3"
	expect_status 400 "malformed action line"
	expect "malformed action line error" 'd["error"]["type"]' x_content_parse_exception
	printf '{"create":{"_id":"x"}}\n{}\n' >"$T/e4"
	bulk /_bulk "$T/e4"
	expect_status 400 "no index"
	expect "no index error" 'd["error"]["reason"]' "Validation Failed: 1: index is missing;"
	req GET /_nothing/here/at/all
	expect_status 400 "unknown endpoint"
	req GET /_bulk
	expect_status 405 "GET /_bulk"
	expect_stat request_errors_by_status.400 5
}

t_data_streams() {
	req PUT /_index_template/ds-t -H 'Content-Type: application/json' \
		-d '{"index_patterns":["logs-test-*"],"data_stream":{},"priority":200}'
	expect_status 200 "PUT data stream template"
	ndjson "$T/d1" create logs-test-a d1
	bulk /_bulk "$T/d1"
	expect "create in a data stream" 'd["items"][0]["create"]["status"]' 201
	expect "backing index" 'd["items"][0]["create"]["_index"].startswith(".ds-logs-test-a-")' True
	ndjson "$T/d2" index logs-test-a d2
	bulk /_bulk "$T/d2"
	expect "index in a data stream" 'd["items"][0]["index"]["status"]' 400
	expect "index in a data stream error" 'd["items"][0]["index"]["error"]["reason"]' \
		"only write ops with an op_type of create are allowed in data streams"
	printf '{"create":{"_index":"logs-test-a"}}\n{"message":"no timestamp"}\n' >"$T/d3"
	bulk /_bulk "$T/d3"
	expect "data stream without @timestamp" 'd["items"][0]["create"]["status"]' 400
	req GET /_data_stream/logs-test-a
	expect "GET data stream" '[s["name"] for s in d["data_streams"]]' '["logs-test-a"]'
	req PUT /_data_stream/plain-name
	expect_status 400 "PUT data stream without template"
	req PUT /_data_stream/logs-test-new
	expect_status 200 "PUT data stream"
}

t_faults() {
	# item 429 on the first attempt of every 2nd new item; the retry works
	faults '{"item_429_every":2}'
	ndjson "$T/q1" create t-q q1 q2 q3 q4
	bulk "/_bulk?filter_path=errors,items.*.error,items.*.status" "$T/q1"
	expect "item_429_every 2" '[d["errors"]] + [i["create"]["status"] for i in d["items"]]' '[true,201,429,201,429]'
	expect "item 429 type" 'd["items"][1]["create"]["error"]["type"]' es_rejected_execution_exception
	ndjson "$T/q2" create t-q q2 q4
	bulk /_bulk "$T/q2"
	expect "retry of 429 items" '[d["errors"]] + [i["create"]["status"] for i in d["items"]]' '[false,201,201]'
	expect_stat retried_items 2
	faults '{"item_500_every":1}'
	ndjson "$T/q3" create t-q q5
	bulk /_bulk "$T/q3"
	expect "item_500_every 1" 'd["items"][0]["create"]["status"]' 500
	bulk /_bulk "$T/q3"
	expect "retry of a 500 item" 'd["items"][0]["create"]["status"]' 201

	# whole-request 429 and 503, once each
	faults '{"request_429":1,"request_503":1}'
	ndjson "$T/r1" create t-r r1
	bulk /_bulk "$T/r1"
	expect_status 429 "request_429"
	expect "request 429 error" 'd["error"]["type"]' es_rejected_execution_exception
	bulk /_bulk "$T/r1"
	expect_status 503 "request_503"
	bulk /_bulk "$T/r1"
	expect_status 200 "after request faults"
	expect "request faults applied nothing" 'd["items"][0]["create"]["status"]' 201

	# reset: the connection is reset after the body is read
	faults '{"reset":1}'
	ndjson "$T/r2" create t-r r2
	local rc=0
	bulk /_bulk "$T/r2" || rc=$?
	case $rc in 52 | 56) ;; *) fail "reset: curl exit status $rc, expected 52 or 56 ($(cat "$T/curl.err"))" ;; esac
	ok "reset (curl $rc)"
	bulk /_bulk "$T/r2"
	expect "after reset: the body was not applied" 'd["items"][0]["create"]["status"]' 201
	expect_stat resets 1

	# 413, with the body sent and with Expect: 100-continue
	faults '{"max_content_length":100}'
	ndjson "$T/m1" create t-m m1 m2 m3
	bulk /_bulk "$T/m1"
	expect_status 413 "max_content_length"
	[ ! -s "$T/resp.body" ] || fail "413 has a body"
	bulk /_bulk "$T/m1" -H 'Expect: 100-continue'
	expect_status 413 "max_content_length with Expect: 100-continue"
	req GET /
	expect_status 200 "small request under max_content_length"

	# mapping-like rejections: per item, 400
	faults '{"reject_field":["bad.field"],"reject_substring":["POISON"]}'
	printf '%s\n' '{"create":{"_index":"t-x","_id":"x1"}}' '{"bad":{"field":1}}' \
		'{"create":{"_index":"t-x","_id":"x2"}}' '{"bad.field":2}' \
		'{"create":{"_index":"t-x","_id":"x3"}}' '{"msg":"POISON here"}' \
		'{"create":{"_index":"t-x","_id":"x4"}}' '{"good":1}' >"$T/x1"
	bulk /_bulk "$T/x1"
	expect "reject_field/substring" '[i["create"]["status"] for i in d["items"]]' '[400,400,400,201]'
	expect "reject_field error" 'd["items"][0]["create"]["error"]["type"]' document_parsing_exception
	expect "reject_field reason" 'd["items"][0]["create"]["error"]["reason"].split(" of type")[0]' \
		"[1:2] failed to parse field [bad.field]"

	# delay
	faults '{"delay_ms":400}'
	ndjson "$T/w1" create t-w w1
	local t0 t1
	t0=$(date +%s%N)
	bulk /_bulk "$T/w1"
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -ge 400 ] || fail "delay_ms 400: answered in $(((t1 - t0) / 1000000)) ms"
	ok "delay_ms"

	# fail_after: 2 documents, then 503 until the faults change
	faults '{"fail_after":2}'
	ndjson "$T/v1" create t-v v1 v2
	bulk /_bulk "$T/v1"
	expect_status 200 "fail_after: first documents"
	ndjson "$T/v2" create t-v v3
	bulk /_bulk "$T/v2"
	expect_status 503 "fail_after: then 503"
	bulk /_bulk "$T/v2"
	expect_status 503 "fail_after: still 503"
	faults '{}'
	bulk /_bulk "$T/v2"
	expect_status 200 "fail_after cleared"

	req POST /_test/faults -H 'Content-Type: application/json' -d '{"no_such_fault":1}'
	expect_status 400 "unknown fault refused"
}

# The answers of a broken proxy or another product.
t_hostile() {
	local fp="filter_path=errors,items.*.error,items.*.status"
	faults '{"malformed_item_every":2}'
	ndjson "$T/h1" create t-h h1 h2 h3 h4
	bulk "/_bulk?$fp" "$T/h1"
	expect "malformed_item_every 2" 'd["items"]' '[{"create":{"status":201}},null,{"create":{"status":201}},1]'
	bulk "/_bulk?$fp" "$T/h1"
	expect "malformed items were not applied" '[d["items"][1]["create"]["status"], d["items"][3]["create"]["status"]]' '[201,201]'
	faults '{"truncated_response":1,"bad_response":2}'
	bulk /_bulk "$T/h1"
	expect_status 200 "truncated_response"
	expect_body '{"took":1,"errors":false' "truncated_response body"
	bulk /_bulk "$T/h1"
	expect "bad_response: one item short" 'len(d["items"])' 3
	bulk /_bulk "$T/h1"
	expect "bad_response: one item too many" 'len(d["items"])' 5
	expect_stat faults_fired.bad_response 2
	faults '{"no_product_header":true,"cluster_info":{"version":{"number":"7.10.2"},"tagline":null}}'
	req GET /
	[ -z "$(header X-Elastic-Product)" ] || fail "no_product_header sends X-Elastic-Product"
	expect "cluster_info merged" '[d["version"]["number"], d["version"]["build_flavor"], d["tagline"]]' '["7.10.2","default",null]'
	faults '{"resource_answer":"[1]","huge_other":1}'
	req GET /_ilm/policy/x
	expect_status 200 "huge_other"
	[ "$(wc -c <"$T/resp.body")" -gt $((1 << 20)) ] || fail "huge_other: body of $(wc -c <"$T/resp.body") bytes"
	ok "huge_other body"
	req GET /_index_template/x
	expect_body '[1]' "resource_answer"
	req POST /_test/faults -H 'Content-Type: application/json' -d '{"cluster_info":[]}'
	expect_status 400 "cluster_info must be an object"
	faults '{}'
}

t_auth() {
	local B=$BASE
	start auth --username elastic --password secret --api-key kid:kval
	BASE=http://127.0.0.1:$PORT
	req GET /
	expect_status 401 "no credentials"
	expect "401 error" 'd["error"]["type"]' security_exception
	grep -qi '^WWW-Authenticate: Basic realm="security" charset="UTF-8"' "$T/resp.headers" ||
		fail "401 without the Basic challenge"
	grep -qi 'ApiKey' "$T/resp.headers" || fail "401 without the ApiKey challenge"
	req GET / -u elastic:wrong
	expect_status 401 "wrong password"
	req GET / -u elastic:secret
	expect_status 200 "Basic auth"
	ndjson "$T/au1" create t-auth au1
	bulk /_bulk "$T/au1" -H "Authorization: ApiKey $(printf kid:kval | base64)"
	expect_status 200 "ApiKey auth"
	expect_stat last_authorization_scheme ApiKey
	bulk /_bulk "$T/au1" -H "Authorization: ApiKey $(printf kid:bad | base64)"
	expect_status 401 "wrong ApiKey"
	expect_stat auth_failures 3
	req GET /_test/stats
	expect_status 200 "control endpoints need no credentials"
	faults '{"forbid":true}'
	ndjson "$T/au2" create t-auth au2
	bulk /_bulk "$T/au2" -u elastic:secret
	expect_status 403 "forbid"
	expect "403 reason" 'd["error"]["reason"].split(" with")[0]' \
		"action [indices:data/write/bulk] is unauthorized for user [elastic]"
	stop auth
	BASE=$B
}

t_tls() {
	local B=$BASE
	sh "$here/make-certs.sh" "$T/certs" >"$T/make-certs.log" 2>&1 || fail "make-certs.sh failed"
	start tls --tls-cert "$T/certs/server.pem" --tls-key "$T/certs/server.key"
	BASE=https://127.0.0.1:$PORT
	req GET / --cacert "$T/certs/ca.pem"
	expect_status 200 "https"
	ndjson "$T/t1" create t-tls t1
	bulk /_bulk "$T/t1" --cacert "$T/certs/ca.pem" --compressed
	expect "https bulk" 'd["items"][0]["create"]["status"]' 201
	[ -z "$(header Content-Encoding)" ] || fail "https: response compressed (ES does not by default)"
	local rc=0
	req GET / || rc=$?
	[ "$rc" = 60 ] || fail "https with an unknown CA: curl $rc, expected 60"
	ok "https refused by a client without the CA"
	stop tls

	start mtls --tls-cert "$T/certs/server.pem" --tls-key "$T/certs/server.key" \
		--tls-ca "$T/certs/ca.pem" --tls-min-version 1.2
	BASE=https://127.0.0.1:$PORT
	rc=0
	req GET / --cacert "$T/certs/ca.pem" || rc=$?
	[ "$rc" != 0 ] || fail "mTLS: a client without a certificate got in"
	ok "mTLS refuses a client without a certificate (curl $rc)"
	rc=0
	req GET / --cacert "$T/certs/ca.pem" --cert "$T/certs/untrusted-client.pem" \
		--key "$T/certs/untrusted-client.key" || rc=$?
	[ "$rc" != 0 ] || fail "mTLS: an untrusted client certificate got in"
	ok "mTLS refuses an untrusted client certificate (curl $rc)"
	req GET / --cacert "$T/certs/ca.pem" --cert "$T/certs/client.pem" --key "$T/certs/client.key"
	expect_status 200 "mTLS with a client certificate"
	# the server counts a failed handshake a moment after the client sees it
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		req GET /_test/stats --cacert "$T/certs/ca.pem" --cert "$T/certs/client.pem" \
			--key "$T/certs/client.key"
		[ "$(jpy 'd["tls_handshake_failures"]')" = 2 ] && break
		sleep 0.2
	done
	expect "TLS handshake failures counted" 'd["tls_handshake_failures"]' 2
	expect "TLS versions counted" 'sum(d["tls_versions"].values())' 2
	stop mtls
	BASE=$B
}

t_templates_ilm() {
	req PUT /_index_template/tpl1 -H 'Content-Type: application/json' \
		-d '{"index_patterns":["audisp-*"],"template":{"settings":{"index.lifecycle.name":"pol1"}},"priority":100}'
	expect_status 200 "PUT template"
	expect "PUT template answer" 'd' '{"acknowledged":true}'
	req GET /_index_template/tpl1
	expect "GET template" '[(t["name"], t["index_template"]["index_patterns"]) for t in d["index_templates"]]' \
		'[["tpl1",["audisp-*"]]]'
	req HEAD /_index_template/tpl1 -I
	expect_status 200 "HEAD template"
	req GET /_index_template/missing
	expect_status 404 "GET missing template"
	expect "missing template error" 'd["error"]["type"]' resource_not_found_exception
	req PUT /_index_template/bad -H 'Content-Type: application/json' -d '{"template":{}}'
	expect_status 400 "template without index_patterns"
	req DELETE /_index_template/tpl1
	expect_status 200 "DELETE template"
	req GET /_index_template/tpl1
	expect_status 404 "template deleted"
	req PUT /_component_template/comp1 -H 'Content-Type: application/json' -d '{"template":{"mappings":{}}}'
	expect_status 200 "PUT component template"

	req PUT /_ilm/policy/pol1 -H 'Content-Type: application/json' \
		-d '{"policy":{"phases":{"hot":{"actions":{"rollover":{"max_age":"1d"}}}}}}'
	expect_status 200 "PUT ILM policy"
	req GET /_ilm/policy/pol1
	expect "GET ILM policy" '[d["pol1"]["version"], "modified_date" in d["pol1"], list(d["pol1"]["policy"]["phases"])]' \
		'[1,true,["hot"]]'
	req PUT /_ilm/policy/pol1 -H 'Content-Type: application/json' -d '{"policy":{"phases":{}}}'
	req GET /_ilm/policy/pol1
	expect "ILM policy version" 'd["pol1"]["version"]' 2
	req GET /_ilm/policy/nope
	expect_status 404 "GET missing ILM policy"
}

t_single_docs() {
	req PUT /t-s/_create/s1 -H 'Content-Type: application/json' -d '{"a":1}'
	expect_status 201 "PUT _create"
	expect "PUT _create answer" '[d["_index"], d["_id"], d["result"], d["_version"]]' '["t-s","s1","created",1]'
	req PUT /t-s/_create/s1 -H 'Content-Type: application/json' -d '{"a":2}'
	expect_status 409 "PUT _create again"
	expect "409 error" 'd["error"]["type"]' version_conflict_engine_exception
	req POST /t-s/_doc -H 'Content-Type: application/json' -d '{"b":1}'
	expect_status 201 "POST _doc"
	expect "POST _doc id" 'len(d["_id"])' 20
	req GET /t-s/_doc/s1
	expect_status 200 "GET _doc"
	expect "GET _doc answer" '[d["found"], d["_source"]]' '[true,{"a":1}]'
	req GET /t-s/_doc/nope
	expect_status 404 "GET missing _doc"
	expect "GET missing _doc answer" 'd["found"]' False
	req GET /no-such-index/_doc/x
	expect_status 404 "GET _doc of a missing index"
	expect "missing index error" 'd["error"]["type"]' index_not_found_exception
	req DELETE /t-s/_doc/s1
	expect_status 200 "DELETE _doc"
	expect "DELETE _doc answer" 'd["result"]' deleted
	req DELETE /t-s/_doc/s1
	expect_status 404 "DELETE missing _doc"
	expect "DELETE missing _doc answer" 'd["result"]' not_found
}

t_control() {
	req POST /_test/reset
	expect_status 200 "reset"
	printf '%s\n' '{"create":{"_index":"t-c","_id":"c1","pipeline":"p1"}}' '{"k":"v1"}' \
		'{"create":{"_index":"t-c","_id":"c2"}}' '{"k":"v2"}' >"$T/ctl"
	bulk "/_bulk?pipeline=p0&refresh=false" "$T/ctl" -A "selftest-agent/1.0"
	expect "bulk after reset" '[i["create"]["status"] for i in d["items"]]' '[201,201]'
	req GET /_test/store
	expect_status 200 "GET /_test/store"
	python3 - "$T/resp.body" <<'PY' || fail "store content"
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
want = [{"_index": "t-c", "_id": "c1", "pipeline": "p1", "source": {"k": "v1"}},
        {"_index": "t-c", "_id": "c2", "pipeline": "p0", "source": {"k": "v2"}}]
if docs != want:
    sys.exit(f"store is {docs}")
PY
	ok "store content"
	req GET /_test/stats
	for key in requests bulk_requests bulk_items created conflicts_409 item_errors_by_status \
		request_errors_by_status gzip_requests auth_failures resets bytes_in content_types \
		user_agents last_authorization_scheme max_items_per_request; do
		expect "stats has $key" "\"$key\" in d" True
	done
	expect "stats after reset" '[d["bulk_requests"], d["bulk_items"], d["created"], d["max_items_per_request"]]' '[1,2,2,2]'
	expect "stats user agent" 'd["user_agents"]' '{"selftest-agent/1.0":1}'
	expect "stats content types" 'd["content_types"]' '{"application/x-ndjson":1}'
	req GET /_test/requests
	expect "request log" '[(r["method"], r["path"].split("?")[0], r["status"], r["items"]) for r in d["requests"]]' \
		'[["POST","/_bulk",200,2]]'
	req GET /_test/faults
	expect "GET faults" 'd["item_429_every"]' 0
}

t_exit_files() {
	stop main
	[ "$(wc -l <"$T/main.store")" = 2 ] || fail "--out: $(wc -l <"$T/main.store") lines, expected 2"
	expect "--out file" 'd["source"]' '{"k":"v1"}' <(head -n 1 "$T/main.store")
	expect "--stats file" 'd["created"]' 2 "$T/main.stats"
}

t_not_elastic() {
	start other --not-elastic
	BASE=http://127.0.0.1:$PORT
	req GET /
	expect_status 200 "--not-elastic GET /"
	[ -z "$(header X-Elastic-Product)" ] || fail "--not-elastic sends X-Elastic-Product"
	expect "--not-elastic body" '"tagline" in d' False
	ndjson "$T/n1" create x n1
	bulk /_bulk "$T/n1"
	expect_status 404 "--not-elastic bulk"
	stop other
}

t_es7() {
	start seven --es-version 7.17.22
	BASE=http://127.0.0.1:$PORT
	req GET /
	expect "--es-version" 'd["version"]["number"]' 7.17.22
	ndjson "$T/s1" create x s1
	bulk /_bulk "$T/s1"
	expect "7.x item has _type" 'd["items"][0]["create"]["_type"]' _doc
	stop seven
}

start main
BASE=http://127.0.0.1:$PORT
t_cluster_info
t_bulk_create_conflict
t_filter_path
t_gzip_chunked
t_request_errors
t_data_streams
t_faults
faults '{}'
t_hostile
t_templates_ilm
t_single_docs
t_control
t_exit_files
t_auth
t_tls
t_not_elastic
t_es7
echo "PASS: $NAME: $checks checks"
