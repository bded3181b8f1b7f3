#!/bin/sh
# fim-scan: the first run gives initial_scan state documents whose hashes
# match the coreutils/b2sum/xxhsum tools; changes made between two runs
# (while nothing watched) are found by the second: content, mode, owner,
# xattrs, ACLs, rename (moved), hard link, symlink, unlink, a file over
# max_file_size, an unreadable FIFO (no hang), a new directory.
. "$(dirname "$0")/lib.sh"
fim_init
for t in setfattr setfacl b2sum xxhsum; do
	command -v $t >/dev/null || fim_skip "$t not found (apt-get install attr acl coreutils xxhash)"
done
fim_config "paths = [\"$T/tree\"]; recursive = true; max_file_size = \"1 MiB\";
  hash_types = [\"md5\", \"sha1\", \"sha224\", \"sha256\", \"sha384\", \"sha512\", \"sha512_256\", \"sha3_256\", \"blake2b_256\", \"blake2b_512\", \"xxh64\"];"
T2=$T/tree
printf 'hello world\n' > $T2/plain
head -c 300000 /dev/urandom > $T2/random
echo keep > $T2/moveme
echo gone > $T2/deleteme
echo attrs > $T2/attrs
echo owner > $T2/owner
mkdir $T2/dir
timeout 20 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "first fim-scan exited $?"
[ "$(fim_count "act(d) == ['initial_scan'] and d['event']['kind'] == 'state'")" = 8 ] ||
	fim_fail "expected 8 initial_scan documents, got $(fim_count True)"
for f in plain random; do
	for tool in md5sum:md5 sha1sum:sha1 sha224sum:sha224 sha256sum:sha256 sha384sum:sha384 \
	    sha512sum:sha512 "b2sum -l 256:blake2b_256" "b2sum:blake2b_512" xxhsum:xxh64; do
		algo=${tool##*:}
		want=$(${tool%:*} < $T2/$f | cut -d' ' -f1)
		[ "$(fim_count "path(d).endswith('/$f') and h(d, '$algo') == '$want'")" = 1 ] ||
			fim_fail "$algo of $f is not $want"
	done
done
want=$(openssl dgst -sha512-256 -r < $T2/plain | cut -d' ' -f1)
[ "$(fim_count "path(d).endswith('/plain') and h(d, 'sha512_256') == '$want'")" = 1 ] || fim_fail "sha512_256"
want=$(openssl dgst -sha3-256 -r < $T2/plain | cut -d' ' -f1)
[ "$(fim_count "path(d).endswith('/plain') and h(d, 'sha3_256') == '$want'")" = 1 ] || fim_fail "sha3_256"
: > $T/out.json

# Changes made while nothing runs.
printf 'changed\n' > $T2/plain
truncate -s 1000 $T2/random
mv $T2/moveme $T2/dir/moved
rm $T2/deleteme
setfattr -n user.test -v 1 $T2/attrs
setfacl -m u:nobody:r $T2/owner
chown 65534:65534 $T2/owner
chmod 4755 $T2/dir/moved
ln $T2/plain $T2/hardlink
ln -s plain $T2/symlink
head -c 2000000 /dev/zero > $T2/big
mkfifo $T2/fifo
mkdir $T2/later && echo inside > $T2/later/file
timeout 20 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "second fim-scan exited $? (a FIFO must not hang it)"
check() {
	[ "$(fim_count "$1")" -ge 1 ] || { python3 "$FIMQ" count "$T/out.json" 0 True >&2; fim_fail "$2"; }
}
want=$(sha256sum < $T2/plain | cut -d' ' -f1)
check "path(d).endswith('/plain') and 'updated' in act(d) and change(d, 'hash.sha256')['new'] == '$want'" "plain not updated"
check "path(d).endswith('/plain') and change(d, 'nlink') == {'attribute': 'nlink', 'old': '1', 'new': '2'}" "link count"
check "path(d).endswith('/random') and change(d, 'size')['new'] == '1000'" "truncate"
check "path(d).endswith('/dir/moved') and 'moved' in act(d) and change(d, 'path')['old'].endswith('/moveme') and change(d, 'mode')['new'] == '4755' and d['file']['setuid'] is True" "move + chmod"
check "path(d).endswith('/deleteme') and act(d) == ['deleted']" "unlink"
check "path(d).endswith('/attrs') and act(d) == ['attributes_modified'] and change(d, 'xattrs')['old'] == ''" "setfattr"
check "path(d).endswith('/owner') and change(d, 'acl') and change(d, 'uid')['new'] == '65534' and change(d, 'gid')['new'] == '65534'" "setfacl/chown"
check "path(d).endswith('/hardlink') and act(d) == ['created'] and h(d, 'sha256') == '$want'" "hard link"
check "path(d).endswith('/symlink') and d['file']['type'] == 'symlink' and d['file']['target_path'] == 'plain'" "symlink"
check "path(d).endswith('/big') and d['file_integrity'].get('too_large') and 'hash' not in d['file']" "too large"
check "path(d).endswith('/fifo') and d['file']['type'] == 'fifo'" "fifo"
check "path(d).endswith('/later/file') and act(d) == ['created']" "new directory"
[ "$(fim_count "path(d).endswith('/moveme')")" = 0 ] || fim_fail "a move also reported as deletion"
: > $T/out.json
timeout 20 "$bin" fim-scan -c "$T/conf" 2>/dev/null || fim_fail "third fim-scan"
[ "$(fim_count True)" = 0 ] || fim_fail "nothing changed, yet $(fim_count True) documents"
fim_pass "hashes match 11 tools; 12 kinds of offline change found"
