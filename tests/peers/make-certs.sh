#!/bin/sh
# make-certs.sh DIR - test certificates for the Lumberjack (beats) test peer.
#
# Creates in DIR (made if missing; existing files are replaced):
#   ca.pem ca.key                 test CA that signs everything below
#   server.pem server.key         server, SAN IP:127.0.0.1 + DNS:localhost
#   expired.pem expired.key       same names, validity 2020-01-01..2020-01-02
#   wrongname.pem wrongname.key   SAN DNS:not-this-host.example only
#   client.pem client.key         client certificate (clientAuth), key PKCS#8
#   client-traditional.key        same key, traditional RSA PEM
#                                 ("BEGIN RSA PRIVATE KEY")
#   client-encrypted.key          same key, encrypted PKCS#8, passphrase
#                                 "test-passphrase"
#   other-ca.pem other-ca.key     a second CA nobody trusts
#   untrusted.pem untrusted.key   server cert with the right names, signed by
#                                 other-ca (a client must refuse it)
#   untrusted-client.pem untrusted-client.key
#                                 client cert signed by other-ca (a server
#                                 with --require-client-cert must refuse it)
# Keys are RSA 2048, mode 0600.  Needs only the openssl command (3.0+).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
mkdir -p "$dir"
# Keys must never be readable by others, even for a moment.
umask 077

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

newkey() { # newkey FILE: RSA 2048 key in PKCS#8 PEM ("BEGIN PRIVATE KEY")
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -out "$1" 2>/dev/null
    chmod 600 "$1"
}

# leaf SECTION USAGE [SAN]: the extensions of a certificate the CA signs
leaf() {
    echo
    echo "[$1]"
    echo "basicConstraints = critical, CA:FALSE"
    echo "keyUsage = critical, digitalSignature, keyEncipherment"
    echo "extendedKeyUsage = $2"
    if [ $# -ge 3 ]; then
        echo "subjectAltName = $3"
    fi
    echo "subjectKeyIdentifier = hash"
    echo "authorityKeyIdentifier = keyid"
}

# extensions for the certificates we sign (one section per kind)
{
    cat <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
    leaf server serverAuth "IP:127.0.0.1, DNS:localhost"
    leaf wrongname serverAuth "DNS:not-this-host.example"
    leaf client clientAuth
} >"$work/ext.cnf"

mkca() { # mkca NAME CN: self-signed CA NAME.pem/NAME.key, 10 years
    newkey "$dir/$2.key"
    openssl req -new -x509 -key "$dir/$2.key" -out "$dir/$2.pem" -days 3650 \
        -subj "/O=audisp-ecs tests/CN=$1" -sha256 \
        -config "$work/ext.cnf" -extensions ca 2>/dev/null
}

sign() { # sign NAME CN SECTION CA: NAME.pem/NAME.key signed by CA, 2 years
    newkey "$dir/$1.key"
    openssl req -new -key "$dir/$1.key" -out "$work/$1.csr" \
        -subj "/O=audisp-ecs tests/CN=$2" 2>/dev/null
    openssl x509 -req -in "$work/$1.csr" -CA "$dir/$4.pem" -CAkey "$dir/$4.key" \
        -CAcreateserial -CAserial "$work/$4.srl" -days 730 -sha256 \
        -extfile "$work/ext.cnf" -extensions "$3" -out "$dir/$1.pem" 2>/dev/null
}

mkca "audisp-ecs test CA" ca
mkca "audisp-ecs untrusted test CA" other-ca

sign server localhost server ca
sign wrongname not-this-host.example wrongname ca
sign client audisp-ecs-test-client client ca
sign untrusted localhost server other-ca
sign untrusted-client audisp-ecs-untrusted-client client other-ca

# Client key in the two other encodings the C client must be able to load.
openssl rsa -in "$dir/client.key" -traditional -out "$dir/client-traditional.key" 2>/dev/null
openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$dir/client.key" \
    -passout pass:test-passphrase -out "$dir/client-encrypted.key"
chmod 600 "$dir/client-traditional.key" "$dir/client-encrypted.key"

# Expired server certificate.  OpenSSL 3.0's "x509 -req" cannot set a start
# date in the past (-not_before came with 3.4), but "openssl ca" has
# -startdate/-enddate; it needs a minimal CA database, kept in $work.
newkey "$dir/expired.key"
openssl req -new -key "$dir/expired.key" -out "$work/expired.csr" \
    -subj "/O=audisp-ecs tests/CN=localhost" 2>/dev/null
mkdir "$work/db"
: >"$work/db/index.txt"
echo 1000 >"$work/db/serial"
cat >"$work/ca.cnf" <<EOF
[ca]
default_ca = testca
[testca]
dir = $work/db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
policy = anything
email_in_dn = no
unique_subject = no
[anything]
organizationName = optional
commonName = supplied
EOF
openssl ca -batch -config "$work/ca.cnf" -notext \
    -startdate 20200101000000Z -enddate 20200102000000Z \
    -extfile "$work/ext.cnf" -extensions server \
    -in "$work/expired.csr" -out "$dir/expired.pem" 2>/dev/null

# Certificates are public; keep them readable.
chmod 644 "$dir"/*.pem

# Check what we promise, so a broken openssl fails here and not in a test.
openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" "$dir/wrongname.pem" \
    "$dir/client.pem" >/dev/null
if openssl x509 -in "$dir/expired.pem" -noout -checkend 0 >/dev/null; then
    echo "$0: expired.pem is not expired" >&2
    exit 1
fi
if openssl verify -CAfile "$dir/ca.pem" "$dir/untrusted.pem" >/dev/null 2>&1; then
    echo "$0: untrusted.pem verifies against ca.pem" >&2
    exit 1
fi
grep -q "BEGIN RSA PRIVATE KEY" "$dir/client-traditional.key"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$dir/client-encrypted.key"
grep -q "BEGIN PRIVATE KEY" "$dir/client.key"
