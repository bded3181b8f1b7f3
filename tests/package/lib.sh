# Helpers of the package tests (sourced).  They build from the same tree
# "make dist" would ship, copied with "make distdir" from the build tree.

# Exits 77 with the reason when a command the test needs is missing.
pkg_need() {	# command, Debian package
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "SKIP: $1 not found (apt-get install $2, or scripts/deps.sh)"
		exit 77
	fi
}

# Copies what "make dist" ships into DIR/audisp-ecs-VERSION and prints
# that directory.
pkg_distdir() {	# dir
	local version dest
	version=$(sed -n 's/^AC_INIT(\[audisp-ecs\], *\[\([^]]*\)\].*/\1/p' \
	    "$srcdir/configure.ac")
	dest=$1/audisp-ecs-$version
	if ! make -C "$top_builddir" -s distdir distdir="$dest" \
	    > "$1/distdir.log" 2>&1; then
		echo "FAIL: make distdir failed:" >&2
		tail -20 "$1/distdir.log" >&2
		return 1
	fi
	echo "$dest"
}

# The Debian archive the host installs from (the first source of its
# Debian 12 suite), so that a test root uses the same mirror.
pkg_host_mirror() {
	local uri
	uri=$(awk '
		/^[Uu][Rr][Ii][Ss]:/ { uris = $2 }
		/^[Ss]uites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") {
			print uris; exit } }
		/^$/ { uris = "" }' /etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" {
		print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	echo "${uri:-http://deb.debian.org/debian}"
}

# True when the program was built with AddressSanitizer.
pkg_sanitized() {	# program
	grep -q -a -F __asan_init "$1" 2>/dev/null
}
