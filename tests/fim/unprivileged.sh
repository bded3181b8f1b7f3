#!/bin/sh
# The plugin run as an unprivileged user (uid 65534): fim.backend "auto"
# cannot use fanotify (it needs CAP_SYS_ADMIN), says why in the log and
# watches with inotify.  Files it cannot open (root's, mode 0600) are
# reported with file_integrity.unreadable and error.message, at the scan
# at start and live, counted as unreadable, and every other file is still
# reported with its hash.
. "$(dirname "$0")/lib.sh"
fim_init
command -v setpriv >/dev/null || fim_skip "setpriv not found (apt-get install util-linux)"
A=$T/tree
echo open > $A/readable
echo secret > $A/secret
chmod 600 $A/secret
chmod 0777 $A
fim_config "paths = [\"$A\"]; recursive = true;"
chown -R 65534:65534 "$T/data"
chmod 0755 "$T"
touch "$T/out.json" "$T/plugin.log"
chown 65534:65534 "$T/out.json" "$T/plugin.log" "$T"
mkfifo "$T/stdin"
sleep 100000 > "$T/stdin" &
HOLDER_PID=$!
# setpriv execs the plugin: the same pid.
setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" -f -c "$T/conf" \
    < "$T/stdin" 2> "$T/plugin.log" &
PLUGIN_PID=$!
expect() {
	fim_wait "${3:-5}" "$1" >/dev/null || { cat "$T/plugin.log" >&2; fim_fail "$2"; }
}
sha() { sha256sum < "$1" | cut -d' ' -f1; }
expect "path(d).endswith('/secret') and act(d) == ['initial_scan'] and d['file_integrity'].get('unreadable') is True and 'Permission denied' in d['error']['message'] and 'hash' not in d['file']" "the unreadable file at the scan at start" 10
expect "path(d).endswith('/readable') and act(d) == ['initial_scan'] and h(d, 'sha256') == '$(sha $A/readable)'" "the readable file at the scan at start"
grep -q "fanotify cannot watch (.*not permitted: .*CAP_SYS_ADMIN); falling back to inotify" "$T/plugin.log" ||
	fim_fail "no logged fallback to inotify: $(cat "$T/plugin.log")"
grep -q "watching with inotify" "$T/plugin.log" || fim_fail "not watching with inotify"

# Live: another unreadable file, then a readable one after it.
(umask 077; echo more secret > $A/secret2)
echo later > $A/later
expect "path(d).endswith('/secret2') and act(d) == ['created'] and d['file_integrity'].get('unreadable') is True and d['error']['message'] == 'cannot be read: Permission denied'" "the unreadable file made live"
expect "path(d).endswith('/later') and act(d) == ['created'] and h(d, 'sha256') == '$(sha $A/later)'" "the readable file made after it"
echo changed >> $A/secret
expect "path(d).endswith('/secret') and 'updated' in act(d) or (path(d).endswith('/secret') and change(d, 'size'))" "a change to the unreadable file (its size)"
kill -0 "$PLUGIN_PID" || fim_fail "the plugin is gone"
fim_stats 's["fim"]["unreadable"] >= 3' || fim_fail "unreadable files not counted"
fim_pass "unreadable files reported, the others hashed; inotify as uid 65534"
