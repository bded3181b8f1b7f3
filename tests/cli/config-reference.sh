#!/bin/sh
# The README's configuration reference lists exactly the keys of the schema
# (audisp-ecs test config --print-defaults), one a row, with the same
# defaults: a key added, renamed or given another default in plugin/conf.c
# fails here until the documentation says so too.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT

if ! "$bin" test config --print-defaults > "$dir/schema.txt"; then
	echo "FAIL: test config --print-defaults failed"; exit 1
fi
cut -f1,3 "$dir/schema.txt" | sort > "$dir/schema.keys"

# Rows "| `key` | type | default | meaning |" of the tables under
# "## Configuration"; the default loses the backticks around it.
awk -F' [|] ' '
	/^## / { in_conf = ($0 == "## Configuration") }
	in_conf && /^[|] `/ {
		key = $1; sub(/^[|] `/, "", key); sub(/`$/, "", key)
		def = $3; sub(/^`/, "", def); sub(/`$/, "", def)
		print key "\t" def
	}' "$srcdir/README.md" | sort > "$dir/readme.keys"

if ! [ -s "$dir/readme.keys" ]; then
	echo "FAIL: no configuration table found in README.md"; exit 1
fi
if ! diff -u "$dir/schema.keys" "$dir/readme.keys" > "$dir/diff.txt"; then
	echo "FAIL: README.md's configuration table and the schema differ"
	echo "(- schema, + README; key<TAB>default):"
	cat "$dir/diff.txt"
	exit 1
fi
echo "PASS: README.md documents the schema's $(wc -l < "$dir/schema.keys") keys with their defaults"
