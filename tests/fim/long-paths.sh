#!/bin/sh
# Paths longer than the baseline's keys (480 bytes) below directories
# whose own paths are that long or longer: deleting such a file or a
# whole directory is reported live, the baseline forgets them (a scan
# afterwards finds nothing), and a move keeps both full paths in its
# "path" change.
. "$(dirname "$0")/lib.sh"
fim_init
: "${FIM_BACKEND:=inotify}"
fim_config "paths = [\"$T/tree\"]; recursive = true;"
a=$(printf '%0200d' 0 | tr 0 a)
b=$(printf '%0200d' 0 | tr 0 b)
c=$(printf '%0100d' 0 | tr 0 c)
D=$T/tree/$a/$b/$c
mkdir -p "$D/sub" "$T/tree/$a/x"
for f in keep gone moving; do echo $f > "$D/$f"; done
echo inside > "$D/sub/file"
echo near > "$T/tree/$a/$b/${c}near"
fim_start_plugin
fim_wait 10 "act(d) == ['initial_scan'] and path(d) == '$D/sub/file'" >/dev/null ||
	fim_fail "no initial scan"
sleep 0.5
n=$(fim_count "act(d) == ['initial_scan']")
[ "$n" = 11 ] || fim_fail "$n initial_scan documents, not 11"
expect() {
	fim_wait 5 "$1" >/dev/null || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$2"; }
}
rm "$D/gone"
expect "path(d) == '$D/gone' and act(d) == ['deleted']" "a long path deleted"
rm -r "$D/sub"
expect "path(d) == '$D/sub/file' and act(d) == ['deleted']" "a long path deleted with its directory"
expect "path(d) == '$D/sub' and act(d) == ['deleted']" "a long directory deleted"
mv "$D/moving" "$T/tree/$a/x/moved"
expect "path(d) == '$T/tree/$a/x/moved' and 'moved' in act(d) and change(d, 'path') == {'attribute': 'path', 'old': '$D/moving', 'new': '$T/tree/$a/x/moved'}" "a move from a long path"
sleep 1
[ "$(fim_count "path(d) == '$D/moving' and 'deleted' in act(d)")" = 0 ] || fim_fail "the move also reported as a deletion"
fim_stop_plugin
: > $T/out.json
timeout 20 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "fim-scan exited $?"
[ "$(fim_count True)" = 0 ] || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "nothing changed, yet $(fim_count True) documents"; }
fim_pass
