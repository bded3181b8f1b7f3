#!/bin/sh
# "audisp-ecs test config": the shipped reference configuration is valid,
# and every problem in a bad one is reported as FILE:LINE: key: what, exit 1.
set -u
srcdir=${srcdir:-.}
bin=${AUDISP_ECS:-./audisp-ecs}
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
fail=0

if ! "$bin" test config -c "$srcdir/etc/audisp-ecs.conf" > "$dir/ok.txt" 2>&1; then
	echo "FAIL: the reference configuration is refused:"; cat "$dir/ok.txt"; fail=1
fi

cat > "$dir/bad.conf" <<'EOC'
output: {
  file: {
    path = "relative/events.json";
    rotate_every_kb = "ten";
    numbr_of_files = 3;
    permissions = "0666";
  };
};
logging: { level = "chatty"; };
EOC
"$bin" test config -c "$dir/bad.conf" > "$dir/bad.txt" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: exit status $rc for a bad file, want 1"; fail=1; }
for want in \
	"$dir/bad.conf:3: output.file.path: must be an absolute path" \
	"$dir/bad.conf:4: output.file.rotate_every_kb: must be an integer, not a string" \
	"$dir/bad.conf:5: output.file.numbr_of_files: unknown key" \
	"$dir/bad.conf:6: output.file.permissions: \"0666\" would let any user read" \
	"$dir/bad.conf:9: logging.level: \"chatty\" is not one of"; do
	if ! grep -qF "$want" "$dir/bad.txt"; then
		echo "FAIL: missing: $want"; fail=1
	fi
done

printf 'output: { file: { path = "/x" }\n' > "$dir/syntax.conf"
"$bin" test config -c "$dir/syntax.conf" > "$dir/syntax.txt" 2>&1
rc=$?
if [ $rc -ne 1 ] || ! grep -q "^$dir/syntax.conf:[0-9]*: syntax error" "$dir/syntax.txt"; then
	echo "FAIL: syntax error not reported with its line (exit $rc):"; cat "$dir/syntax.txt"; fail=1
fi
if [ $fail -ne 0 ]; then
	echo "--- output for the bad file:"; cat "$dir/bad.txt"
	exit 1
fi
echo "PASS: reference configuration valid, errors reported as FILE:LINE: key: what"
