# Shared helpers for the tests against a real OpenSearch node
# (tests/opensearch/*.sh).
# shellcheck disable=SC2034  # variables for the scripts that source it
#
# Source it from bash:  . "${srcdir:-.}/tests/opensearch/lib.sh"
# Everything of tests/elasticsearch/lib.sh (temp dir, cleanup, plugin_*,
# compare_ids, write_es_conf, ...), plus:
#   opensearch_start          build (once) and start one node in $T/node;
#                             sets OS_URL, OS_CONF (a configuration with
#                             the elasticsearch output pointed at it)
#   os_get PATH               GET PATH from the node (body on stdout)
#   os_status METHOD PATH     the HTTP status of METHOD PATH
#   os_count INDEX            _count of INDEX after a refresh (0 when the
#                             index does not exist)
#   os_field_count INDEX      the fields mapped in INDEX's backing indices
#                             (the largest), as index.mapping.total_fields
#                             counts them
#   os_ids INDEX OUT          every document of INDEX (event.id, as JSON
#                             lines for compare_ids) into OUT
#
# The node is OpenSearch from Maven Central (tests/opensearch/pom.xml), in
# one JVM (tests/opensearch/src/.../SingleNode.java), on 127.0.0.1 at a
# port the kernel picks.  What Maven fetches and javac compiles is kept in
# $AUDISP_ECS_TEST_CACHE/opensearch (default tests/.cache in the build
# tree), so only the first run downloads.  Java 17+ and Maven are needed;
# without them the test is skipped (scripts/deps.sh installs both).

. "${srcdir:-.}/tests/elasticsearch/lib.sh"

OS_SRC=$srcdir/tests/opensearch
OS_CACHE=${AUDISP_ECS_TEST_CACHE:-$PWD/tests/.cache}/opensearch
OS_INDEX=logs-audisp_ecs-default
OS_DEAD_LETTER=audisp-ecs-dead-letter

command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 ||
	skip "no Java (java and javac; scripts/deps.sh installs default-jdk-headless)"
command -v mvn >/dev/null 2>&1 || skip "no Maven (mvn; scripts/deps.sh installs maven)"
os_java=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
[ "${os_java:-0}" -ge 17 ] 2>/dev/null ||
	skip "OpenSearch 2.19 needs Java 17 or later; java is version ${os_java:-unknown}"

# os_build: the node's classpath and class in $OS_CACHE (build-node.sh).
os_build() {
	sh "$OS_SRC/build-node.sh" "$OS_CACHE" >"$T/os-build.log" 2>&1 ||
		{ show_log "$T/os-build.log" 30; fail "the OpenSearch node could not be built (Maven or javac failed)"; }
}

# opensearch_start: the node in $T/node, its standard input a FIFO held
# open on fd 4, so that it stops by itself when the test ends however it
# ends; waits (90 s at most) until it answers GET /.
opensearch_start() {
	local port i
	os_build
	mkdir -p "$T/node"
	rm -f "$T/node.fifo"
	mkfifo "$T/node.fifo" || fail "mkfifo"
	# 3>&-: not the plugin's stdin (plugin_start), or it never sees EOF
	java -Xms512m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true \
		-cp "$OS_CACHE/classes:$(cat "$OS_CACHE/classpath")" \
		audispecs.engine.SingleNode "$T/node" "$T/node.port" \
		<"$T/node.fifo" >"$T/node.stdout" 2>"$T/node.log" 3>&- &
	os_pid=$!
	lib_server_pids="$lib_server_pids $os_pid"
	exec 4>"$T/node.fifo"
	for ((i = 0; i < 900; i++)); do
		[ -s "$T/node.port" ] && break
		kill -0 "$os_pid" 2>/dev/null || break
		sleep 0.1
	done
	port=$(cat "$T/node.port" 2>/dev/null)
	[ -n "$port" ] || { show_log "$T/node.log" 30; fail "the OpenSearch node did not start"; }
	OS_URL=http://127.0.0.1:$port
	OS_CONF=$T/os.conf
	write_es_conf "$OS_CONF" "hosts = [\"127.0.0.1:$port\"];"
	note "OpenSearch $(os_get / | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"]["number"])') at $OS_URL"
}

os_get() { curl -sS -m 30 "$OS_URL$1"; }

os_status() { curl -s -o /dev/null -w '%{http_code}' -m 30 -X "$1" "$OS_URL$2"; }

os_count() {
	curl -sS -m 30 -X POST "$OS_URL/$1/_refresh" >/dev/null
	os_get "/$1/_count" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d.get("count", 0) if d.get("status") != 404 else 0)'
}

os_field_count() {
	os_get "/$1/_mapping" | python3 -c '
import json, sys
def count(props):
    n = 0
    for m in props.values():
        n += 1 + len(m.get("fields", {}))
        n += count(m.get("properties", {}))
    return n
d = json.load(sys.stdin)
print(max(count(v["mappings"].get("properties", {})) for v in d.values()))'
}

# os_ids INDEX OUT: {"event":{"id":...,"action":...}} of every document,
# one a line, through a scroll (any number of documents).
os_ids() {
	python3 - "$OS_URL" "$1" "$2" <<'PY'
import json, sys, urllib.request
url, index, out = sys.argv[1:4]
def call(path, body):
    req = urllib.request.Request(url + path, json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)
urllib.request.urlopen(urllib.request.Request(url + "/" + index + "/_refresh", b"", method="POST"), timeout=60)
page = call("/" + index + "/_search?scroll=1m",
            {"size": 5000, "_source": ["event.id", "event.action"], "sort": ["_doc"]})
with open(out, "w") as f:
    while page["hits"]["hits"]:
        for h in page["hits"]["hits"]:
            ev = h["_source"].get("event", {})
            if ev.get("id") is not None and ev["id"] != h["_id"]:
                sys.exit(f"_id {h['_id']} is not event.id {ev['id']}")
            f.write(json.dumps({"event": ev}) + "\n")
        page = call("/_search/scroll", {"scroll": "1m", "scroll_id": page["_scroll_id"]})
PY
}

# os_corpus_slice MB OUT: the first MB megabytes of the benchmark corpus
# (bench.log.zst in shared/corpus beside the source tree, or
# $AUDISP_ECS_BENCH_CORPUS), cut after a whole line.  Where it is not
# there, MB megabytes of the tree's diverse corpus repeated, each copy's
# serials and times moved on, so that every event is a new one.
os_repeat_corpus() {
	python3 - "$@" <<'PY' || fail "cannot repeat $2"
import re, sys
mb, src, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
text = open(src, "rb").read()
rec = re.compile(rb"msg=audit\((\d+)\.(\d+):(\d+)\)")
top = max(int(m.group(3)) for m in rec.finditer(text)) + 1
with open(out, "wb") as f:
    copy, size = 0, 0
    while size < mb * 1000000:
        def move(m):
            return b"msg=audit(%d.%s:%d)" % (int(m.group(1)) + copy * 86400,
                                            m.group(2), int(m.group(3)) + copy * top)
        chunk = rec.sub(move, text)
        f.write(chunk)
        size += len(chunk)
        copy += 1
PY
}

os_corpus_slice() {
	local c=${AUDISP_ECS_BENCH_CORPUS:-} d
	if [ -z "$c" ]; then
		for d in "$srcdir/.." "$srcdir/../.."; do
			[ -r "$d/shared/corpus/bench.log.zst" ] &&
				{ c=$d/shared/corpus/bench.log.zst; break; }
		done
	fi
	if [ -z "$c" ] || [ ! -r "$c" ] || ! command -v zstd >/dev/null 2>&1; then
		note "no benchmark corpus (shared/corpus/bench.log.zst beside the source tree, or AUDISP_ECS_BENCH_CORPUS, and zstd): the diverse corpus repeated instead"
		os_repeat_corpus "$1" "$srcdir/tests/corpus/diverse.log" "$2"
		return
	fi
	# In a subshell: bench_input changes the shell's options.
	( die() { echo "$*" >&2; exit 1; }
	  . "$srcdir/bench/lib.sh"
	  bench_input "$c" $(($1 * 1000000)) "$2" ) || fail "cannot cut $c"
}
