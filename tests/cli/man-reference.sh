#!/bin/sh
# audisp-ecs.conf(5) documents exactly the keys of the schema (audisp-ecs
# test config --print-defaults) under KEYS, each with the schema's type and
# default: a key added, renamed, retyped or given another default in
# plugin/conf.c fails here until the manual page says so too.  The
# program's manual page names every verb of the usage.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
page5=$srcdir/man/audisp-ecs.conf.5
page8=$srcdir/man/audisp-ecs.8
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail=0

if ! "$bin" test config --print-defaults > "$dir/schema.txt"; then
	echo "FAIL: test config --print-defaults failed"; exit 1
fi
cut -f1-3 "$dir/schema.txt" | sort > "$dir/schema.keys"

# Under ".SH KEYS", an entry is ".TP", ".B key", then
# "\fItype\fP; default \fBdefault\fP..." with roff's escapes for the
# characters it would otherwise take for its own.
awk '
	/^\.SH / { in_keys = ($0 == ".SH KEYS") }
	!in_keys { next }
	prev == ".TP" && /^\.B / { key = substr($0, 4); prev = ""; next }
	key != "" {
		line = $0
		if (match(line, /^\\fI[^\\]*\\fP; default \\fB/)) {
			type = substr(line, 4, index(line, "\\fP") - 4)
			rest = substr(line, RLENGTH + 1)
			def = substr(rest, 1, index(rest, "\\fP") - 1)
			gsub(/\\\(dq/, "\"", def); gsub(/\\-/, "-", def)
			gsub(/\\e/, "\\", def)
			print key "\t" type "\t" def
		} else
			print key "\t(no type and default line)\t"
		key = ""
	}
	{ prev = $0 }' "$page5" | sort > "$dir/man.keys"

if ! [ -s "$dir/man.keys" ]; then
	echo "FAIL: no KEYS section found in $page5"; exit 1
fi
if ! diff -u "$dir/schema.keys" "$dir/man.keys" > "$dir/diff.txt"; then
	echo "FAIL: audisp-ecs.conf(5) and the schema differ"
	echo "(- schema, + manual page; key<TAB>type<TAB>default):"
	cat "$dir/diff.txt"
	fail=1
fi

# Every verb of the usage has a paragraph in audisp-ecs(8).
"$bin" -h | sed -n 's/^ *\(usage:\)\{0,1\} *audisp-ecs \([a-z][a-z -]*[a-z]\).*/\2/p' |
    sed 's/ -.*//; s/ *$//' | sort -u > "$dir/verbs.txt"
if ! [ -s "$dir/verbs.txt" ]; then
	echo "FAIL: no verbs found in audisp-ecs -h"; fail=1
fi
while read -r verb; do
	roff=$(printf '%s' "$verb" | sed 's/-/\\\\-/g')
	if ! grep -q "^\.B $roff\$" "$page8"; then
		echo "FAIL: audisp-ecs(8) has no paragraph for the verb '$verb'"
		fail=1
	fi
done < "$dir/verbs.txt"

[ $fail -eq 0 ] && echo "PASS: the manual pages document the schema's" \
    "$(wc -l < "$dir/schema.keys") keys and $(wc -l < "$dir/verbs.txt") verbs"
exit $fail
