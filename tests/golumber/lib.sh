# Shared helpers for the Logstash output tests against Elastic's go-lumber
# server (tests/golumber/*.sh).
# shellcheck disable=SC2034  # variables for the scripts that source it
#
# Source it from bash:  . "${srcdir:-.}/tests/golumber/lib.sh"
# Everything of tests/logstash/lib.sh, with SERVER the receiver built
# from tests/golumber/receiver.go (its options: --tls-cert, --tls-key,
# --tls-ca for mutual TLS).  The Go modules and the build are kept in
# $AUDISP_ECS_TEST_CACHE/golumber (default tests/.cache in the build
# tree), so only the first run downloads.  Without Go 1.19 or later the
# test is skipped (scripts/deps.sh installs golang-go).

. "${srcdir:-.}/tests/logstash/lib.sh"

GL_SRC=$srcdir/tests/golumber
GL_CACHE=${AUDISP_ECS_TEST_CACHE:-$PWD/tests/.cache}/golumber

command -v go >/dev/null 2>&1 || skip "no Go toolchain (go; scripts/deps.sh installs golang-go)"
gl_minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
[ "${gl_minor:-0}" -ge 19 ] 2>/dev/null ||
	skip "go-lumber's receiver needs Go 1.19 or later; go is $(go env GOVERSION 2>/dev/null)"

# gl_build: $GL_CACHE/receiver, built unless it is newer than its
# sources (one test at a time: tests run in parallel share the cache).
# The toolchain is the one installed (GOTOOLCHAIN=local): none is fetched.
gl_build() {
	mkdir -p "$GL_CACHE" || fail "cannot create $GL_CACHE"
	(
		flock 9 || exit 1
		bin=$GL_CACHE/receiver
		if [ -x "$bin" ] && [ "$bin" -nt "$GL_SRC/receiver.go" ] &&
		    [ "$bin" -nt "$GL_SRC/go.sum" ]; then
			exit 0
		fi
		echo "building go-lumber's receiver into $GL_CACHE (downloads on the first run only)"
		cd "$GL_SRC" &&
			GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
			GOMODCACHE="$GL_CACHE/mod" GOCACHE="$GL_CACHE/build" \
			GOPATH="$GL_CACHE/path" \
			go build -o "$bin.tmp" . && mv "$bin.tmp" "$bin"
	) 9>"$GL_CACHE/lock" >"$T/gl-build.log" 2>&1 ||
		{ show_log "$T/gl-build.log" 30; fail "go-lumber's receiver could not be built"; }
	SERVER=$GL_CACHE/receiver
}
gl_build
