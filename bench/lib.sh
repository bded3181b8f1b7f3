# shellcheck shell=bash
# What the benchmarks share (sourced by bench/*.sh, after they define die).

# bench_input CORPUS BYTES OUT: the first BYTES of CORPUS into OUT, cut
# after the last whole line, since the tools must see whole records only.
# A .zst corpus is decompressed here, once, to disk, so that decompressing
# is not timed.  Dies when nothing is left.
bench_input() {
	local corpus=$1 bytes=$2 out=$3 st partial
	case $corpus in
	*.zst)
		# head closes the pipe early, so zstd dying of SIGPIPE (141) is expected.
		set +o pipefail
		zstd -dc -- "$corpus" | head -c "$bytes" >"$out"
		st=("${PIPESTATUS[@]}")
		set -o pipefail
		[ "${st[0]}" = 0 ] || [ "${st[0]}" = 141 ] || die "zstd failed on $corpus (status ${st[0]})"
		[ "${st[1]}" = 0 ] || die "head failed"
		;;
	*) head -c "$bytes" -- "$corpus" >"$out" ;;
	esac
	if [ -s "$out" ] && [ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" != '\n' ]; then
		partial=$(tail -n 1 "$out" | wc -c)
		truncate -s "-$partial" "$out"
	fi
	[ -s "$out" ] || die "input is empty after cutting $corpus"
}

# bench_listening STDOUT: the port of the test server whose stdout is the
# file STDOUT, once it has printed "LISTENING PORT" (10 s at most); empty
# if it did not.
bench_listening() {
	local i port=
	for ((i = 0; i < 100; i++)); do
		port=$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$1")
		[ -n "$port" ] && break
		sleep 0.1
	done
	echo "$port"
}

# bench_laurel_conf DIR CONF: a Laurel configuration close to its built-in
# defaults, writing DIR/audit.log.  Differences from the defaults, and why:
#  - no `user`: laurel then does not drop privileges (it only logs that),
#    so no dedicated account is needed; running as root is fine;
#  - size: huge, so laurel never rotates; the default 10 MiB would rotate
#    mid-run and the output file would then hold only the last part;
#  - no periodic status lines.
# Everything else ([transform], [translate], [enrich], ...) is left at
# laurel's defaults (pid/container/script enrichment on).
bench_laurel_conf() {
	mkdir -p "$1"
	cat >"$2" <<EOF
directory = "$1"
statusreport-period = 0

[auditlog]
file = "audit.log"
size = 1000000000000
generations = 1
EOF
}
