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
