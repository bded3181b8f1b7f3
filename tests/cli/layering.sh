#!/bin/sh
# The include rule of docs/architecture.md: common/ includes nothing of
# the other directories; parsers/, outputs/ and fim/ include only common/
# and themselves, as do system/'s; only plugin/ wires them together.
top=${srcdir:-.}
bad=0
for dir in common parsers outputs fim system; do
	for f in "$top/$dir"/*.c "$top/$dir"/*.h; do
		[ -e "$f" ] || continue
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\.\/\([a-z]*\)\/.*/\1/p' "$f"); do
			if [ "$dir" = common ] || [ "$inc" != common ]; then
				echo "FAIL: ${f#$top/} includes ../$inc/"
				bad=1
			fi
		done
	done
done
[ $bad = 0 ] && echo "PASS: layering"
exit $bad
