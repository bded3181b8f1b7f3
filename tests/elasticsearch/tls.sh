#!/bin/bash
# The Elasticsearch output over https, with certificates from
# tests/peers/make-certs.sh and tests/peers/es_server.py as the cluster:
# the corpus delivered once with the server verified against a CA (https://
# in the host, and protocol = "https" with a bare host:port), with mutual
# TLS, and with verification_mode none against a CA that did not sign the
# server's certificate (which must warn); and the refusals of `audisp-ecs
# test output`, each with exit status 1 and a message that says why: a
# certificate from another CA, no client certificate for a server that
# requires one, a client certificate from another CA, a protocol version
# the server does not speak.
set -u
. "${srcdir:-.}/tests/elasticsearch/lib.sh"

tls_certs
expected "$CORPUS" "$T/expected.json"
OTHER_CA="certificate_authorities = [\"$C/other-ca.pem\"];"
CLIENT="certificate = \"$C/client.pem\"; key = \"$C/client.key\";"
# --tls-ca: client certificates required, verified against the test CA
MUTUAL="$SERVER_TLS --tls-ca $C/ca.pem"

# tls_conf FILE HOSTS-SETTINGS SSL-SETTINGS (mode 0600, see write_es_conf)
tls_conf() {
	write_es_conf "$1" "$2 timeout = \"10s\"; ssl: { $3 };"
}

# deliver NAME HOSTS-SETTINGS SSL-SETTINGS SERVER-OPTIONS...: replay the
# corpus to a fresh https server (@PORT@ in HOSTS-SETTINGS is its port);
# every document must be stored once, and no handshake may have failed.
deliver() {
	local name=$1 hosts=$2 ssl=$3
	shift 3
	rm -rf "$T/data"
	start_server "$name" "$@"
	tls_conf "$T/$name.conf" "${hosts//@PORT@/$(port_of "$name")}" "$ssl"
	deliver_corpus "$name" "$T/$name.conf"
	es_docs "$name" "$T/$name.json" || fail "$name: wrong _id"
	compare_ids "$T/expected.json" "$T/$name.json" --label "$name" ||
		{ show_log "$T/replay.log"; fail "$name: wrong documents"; }
	[ "$(stat_of "$name" tls_handshake_failures)" = 0 ] ||
		fail "$name: TLS handshake failures on the server"
	[ "$(stat_of "$name" conflicts_409)" = 0 ] ||
		fail "$name: $(stat_of "$name" conflicts_409) documents sent twice (409)"
	grep -q '"TLSv1\.[23]"' "$T/$name.stats" || fail "$name: no TLS connection counted"
}

# refused NAME EXPECTED-TEXT HOSTS-SETTINGS SSL-SETTINGS SERVER-OPTIONS...:
# `test output` must fail (exit 1), store nothing and say EXPECTED-TEXT
# (an ERE).
refused() {
	local name=$1 want=$2 hosts=$3 ssl=$4
	shift 4
	start_server "$name" "$@"
	tls_conf "$T/$name.conf" "${hosts//@PORT@/$(port_of "$name")}" "$ssl"
	test_output_refused "$name" "$want" created "the server stored documents"
}

URL='hosts = ["https://localhost:@PORT@"];'
BARE='hosts = ["localhost:@PORT@"]; protocol = "https";'

# 1. the server verified against the CA (full mode): https:// in the host,
# then a bare host:port with protocol = "https"
deliver url "$URL" "$CA" $SERVER_TLS
grep -q "https://localhost:$(port_of url) is Elasticsearch" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "url: no \"https://localhost:PORT is Elasticsearch\" in the log"; }
deliver bare "$BARE" "$CA verification_mode = \"full\";" $SERVER_TLS
grep -q "https://localhost:$(port_of bare) is Elasticsearch" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "bare: not https://localhost:PORT"; }
note "full verification: delivered with https:// hosts and with protocol https ($(stat_of bare tls_versions))"

# 2. a server certificate from another CA
refused wrongca "certificate problem: unable to get local issuer certificate|certificate verify failed" \
	"$URL" "$OTHER_CA" $SERVER_TLS
grep -q "TLS handshake failed" "$T/wrongca.log" ||
	fail "wrongca: the server saw no failed handshake"
refused wrongca_bare "certificate problem: unable to get local issuer certificate|certificate verify failed" \
	"$BARE" "$OTHER_CA" $SERVER_TLS

# 3. mutual TLS: with a client certificate it works ...
deliver mutual "$URL" "$CA $CLIENT" $MUTUAL
# ... without one it is refused; with TLS 1.2 the server says so in the
# handshake:
refused nocert12 "alert handshake failure|certificate required" "$URL" "$CA" \
	$MUTUAL --tls-max-version 1.2
grep -q "PEER_DID_NOT_RETURN_A_CERTIFICATE\|did not return a certificate" "$T/nocert12.log" ||
	fail "nocert12: the server did not refuse for lack of a client certificate"
# with TLS 1.3 the client finishes its handshake before the server checks
# for its certificate: the refusal is an alert that curl reads as such
# ("tlsv13 alert certificate required") only when it reads before the
# connection is torn down; otherwise it reports the dead connection
# (getpeername(): Transport endpoint is not connected, a reset, an empty
# reply): accepted as a refusal, with a warning.
VAGUE="getpeername\(\) failed|Connection reset by peer|Recv failure|Send failure|Empty reply from server|SSL_ERROR_SYSCALL"
refused nocert "alert certificate required|alert handshake failure" "$URL" "$CA" $MUTUAL
grep -q "PEER_DID_NOT_RETURN_A_CERTIFICATE\|did not return a certificate" "$T/nocert.log" ||
	fail "nocert: the server did not refuse for lack of a client certificate"
refused untrusted_client "alert unknown ca|alert bad certificate|alert handshake failure" "$URL" \
	"$CA certificate = \"$C/untrusted-client.pem\"; key = \"$C/untrusted-client.key\";" \
	$MUTUAL --tls-max-version 1.2
VAGUE=

# 4. TLS 1.3 only against a server that stops at TLS 1.2; TLS 1.2 works
refused tls13only "protocol version|unsupported protocol|no protocols available" "$URL" \
	"$CA supported_protocols = [\"TLSv1.3\"];" $SERVER_TLS --tls-max-version 1.2
deliver tls12 "$URL" "$CA supported_protocols = [\"TLSv1.2\"];" $SERVER_TLS --tls-max-version 1.2
grep -q '"TLSv1.2"' "$T/tls12.stats" || fail "tls12: not TLS 1.2: $(stat_of tls12 tls_versions)"

# 5. verification_mode none: a certificate from another CA is accepted,
# with a warning that the server's certificate is not checked
deliver none "$URL" "$OTHER_CA verification_mode = \"none\";" $SERVER_TLS
start_server none_test $SERVER_TLS
tls_conf "$T/none_test.conf" "${URL//@PORT@/$(port_of none_test)}" "$OTHER_CA verification_mode = \"none\";"
rc=0
timeout 30 "$bin" test output -c "$T/none_test.conf" >"$T/none.test" 2>&1 || rc=$?
stop_server none_test
[ "$rc" = 0 ] || { show_log "$T/none.test"; fail "none: test output exited $rc"; }
WARN="verification_mode is none|certificate is not (checked|verified)|not (checking|verifying) the server"
grep -Eiq "$WARN" "$T/replay.log" ||
	{ show_log "$T/replay.log"; fail "none: delivered, but no warning that the server's certificate is not checked"; }
note "none: $(grep -Ei -m1 "$WARN" "$T/replay.log")"

echo "PASS: $TEST_NAME"
