# Shared helpers for the Elasticsearch output tests (tests/elasticsearch/*.sh).
# shellcheck disable=SC2034  # variables for the scripts that source it
#
# Source it from bash:  . "${srcdir:-.}/tests/elasticsearch/lib.sh"
# Everything of tests/logstash/lib.sh (temp dir, cleanup, start_server,
# stat_of, compare_ids, plugin_*, ...) with tests/peers/es_server.py as
# the server, plus:
#   write_es_conf FILE ES-SETTINGS [OTHER]   a configuration with the
#                                            elasticsearch output
#   es_docs NAME OUT [INDEX]                 the documents server NAME
#                                            stored (its --out), one per line
#   es_control NAME PATH [JSON]              GET (or POST JSON to) a
#                                            /_test/ endpoint of NAME

SERVER=${srcdir:-.}/tests/peers/es_server.py
. "${srcdir:-.}/tests/logstash/lib.sh"
command -v curl >/dev/null 2>&1 || skip "curl not found"

# write_es_conf FILE ES-SETTINGS [OTHER-SETTINGS]: the elasticsearch output
# (settings inside output.elasticsearch { }), path.data in the temp dir,
# a short backoff; the file is mode 0600 (it may hold a secret).
write_es_conf() {
	mkdir -p "$T/data"
	cat >"$1" <<EOC
output: { elasticsearch: { flush_interval = "50ms";
    backoff: { init = "100ms"; max = "1s"; }; $2 }; };
path: { data = "$T/data"; };
logging: { metrics: { period = "0"; }; };
${3:-}
EOC
	chmod 600 "$1"
}

# es_docs NAME OUT [INDEX]: the sources server NAME stored (from its
# --out, written when it stopped or on server_stats), one per line; only
# those of INDEX when given.  Checks on the way that every _id is the
# document's event.id (or, for notes without one, a SHA-256).
es_docs() {
	python3 - "$T/$1.out" "$2" "${3:-}" <<'PY'
import json, sys
src, out, index = sys.argv[1:4]
bad = 0
with open(out, "w") as f:
    try:
        lines = open(src).read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        d = json.loads(line)
        if index and d["_index"] != index and not d["_index"].startswith(".ds-" + index + "-"):
            continue
        s = d["source"] if isinstance(d["source"], dict) else json.loads(d["source"])
        want = (s.get("event") or {}).get("id")
        if want is not None and d["_id"] != want:
            bad += 1
        f.write(json.dumps(s) + "\n")
if bad:
    print(f"{bad} documents whose _id is not their event.id")
    sys.exit(1)
PY
}

# es_control NAME PATH [JSON]: GET http://127.0.0.1:PORT/_test/PATH, or
# POST JSON to it.
es_control() {
	local port
	port=$(port_of "$1")
	if [ $# -ge 3 ]; then
		curl -sS -m 10 -H 'Content-Type: application/json' -d "$3" \
			"http://127.0.0.1:$port/_test/$2"
	else
		curl -sS -m 10 "http://127.0.0.1:$port/_test/$2"
	fi
}
