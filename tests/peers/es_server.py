#!/usr/bin/env python3
"""Elasticsearch test server: a stand-in for the REST API the audisp-ecs
Elasticsearch output talks to.

It answers the way an Elasticsearch 8 node does for the calls a log shipper
makes, keeps what it is sent in memory, and can misbehave on purpose:

    GET|HEAD /                      cluster info (X-Elastic-Product header)
    POST|PUT /_bulk, /<index>/_bulk create / index / update / delete, with
                                    per-item results, filter_path, gzip
    PUT|GET|DELETE /_index_template/<name>, /_component_template/<name>
    PUT|GET|DELETE /_ilm/policy/<name>
    PUT|GET|DELETE /_data_stream/<name>
    PUT|POST /<index>/_create/<id>, POST /<index>/_doc, PUT /<index>/_doc/<id>,
    GET|DELETE /<index>/_doc/<id>   single documents
    /_test/...                      control: store, stats, faults, reset,
                                    request log (never authenticated)

With --opensearch X.Y.Z it answers as that OpenSearch does instead: GET /
with version.distribution "opensearch" and no X-Elastic-Product header on
any answer; no _ilm, but PUT|GET|DELETE /_plugins/_ism/policies/<name>
(Index State Management: a policy that exists is replaced only with the
if_seq_no and if_primary_term it was read at); index templates with an
index.lifecycle setting refused, and before 2.12 match_only_text too.

Data streams: an index name is a data stream when the highest-priority
index template matching it has "data_stream", or when it starts with a
--data-stream-prefix.  A data stream takes only "create" ops and documents
with an @timestamp field, as Elasticsearch does.

Faults (command-line flags, or keys of POST /_test/faults at run time):
item_429_every / item_500_every (every Nth new item fails once, its retry
succeeds), request_429 / request_503 (the next N bulk requests fail as a
whole), reset (the next N bulk requests are read, then the connection is
reset), huge_response (the next N bulk requests are answered 200 with a
body of 65 MiB, nothing stored), max_content_length (413, like http.max_content_length), reject_field
/ reject_substring (per-item 400 like a mapping error), delay_ms, fail_after
(503 for every bulk request after N stored documents), forbid (403);
and what a broken proxy or another product might answer instead:
malformed_item_every (items that are not what Elasticsearch sends),
truncated_response / bad_response (bulk bodies cut short or of the wrong
shape), huge_other (a 1 MiB body to anything but bulk), no_product_header,
cluster_info (merged over GET /), resource_answer (GET of templates and
policies).

Document sources are stored as the bytes sent and not parsed, for speed,
unless --validate-docs or a reject_field rule asks for it.

It prints "LISTENING <port>" on stdout once it accepts connections (and
writes the port to --port-file).  SIGTERM/SIGINT: stop, write --out and
--stats, exit 0; SIGUSR1: write them now.  Exit status 1 when it cannot
start, 2 for bad options.

Python 3.11 standard library only.  See README.md beside this file.
"""

import argparse
import base64
import collections
import datetime
import functools
import gzip
import hashlib
import http.client
import http.server
import json
import logging
import os
import re
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import zlib

from peer_common import (add_tls_version_arguments, atomic_write, check_not_negative,
                         check_tls_arguments, handle_signals, setup_logging,
                         tls_server_context)

log = logging.getLogger("es_server")

# Media types the REST layer accepts for a bulk body (parameters such as
# charset or compatible-with are ignored).
BULK_MEDIA_TYPES = {
    "application/x-ndjson", "application/json",
    "application/vnd.elasticsearch+x-ndjson", "application/vnd.elasticsearch+json",
}
JSON_MEDIA_TYPES = {"application/json", "application/vnd.elasticsearch+json",
                    "application/x-ndjson"}
BULK_ACTIONS = ("create", "index", "update", "delete")
# Keys Elasticsearch accepts in a bulk action line; anything else is a
# request-level error ("contains an unknown parameter").
ACTION_KEYS = {
    "_index", "_id", "routing", "op_type", "version", "version_type",
    "if_seq_no", "if_primary_term", "pipeline", "retry_on_conflict",
    "require_alias", "require_data_stream", "_source", "dynamic_templates",
    "list_executed_pipelines",
}
FAULT_DEFAULTS = {
    "item_429_every": 0, "item_500_every": 0, "request_429": 0,
    "request_503": 0, "reset": 0, "huge_response": 0, "max_content_length": 0,
    "reject_field": [], "reject_substring": [], "delay_ms": 0,
    "fail_after": 0, "forbid": False,
    # What a broken proxy or another product might answer instead.
    "malformed_item_every": 0, "truncated_response": 0, "bad_response": 0,
    "huge_other": 0, "no_product_header": False, "cluster_info": {},
    "resource_answer": "",
}
# Bulk items that are not what Elasticsearch sends, in turn, for
# malformed_item_every (spliced in after filter_path).
MALFORMED_ITEMS = (
    None, 1, "x", [], {}, {"create": None}, {"create": 1}, {"create": "x"},
    {"create": []}, {"create": {}}, {"create": {"status": "201"}},
    {"create": {"status": 201.0}}, {"create": {"status": None}},
    {"create": {"status": 0}}, {"create": {"status": 600}},
    {"create": {"status": 201, "error": "x"}},
    {"create": {"status": 400, "error": None}},
    {"create": {"status": 400, "error": {"type": 1, "reason": []}}},
    {"create": {"status": 400, "error": {"type": "t", "reason": None}}},
    {"create": {"status": 400, "error": {"caused_by": "x"}}},
    {"create": {"status": 201}, "index": {"status": 201}},
    {"frobnicate": {"status": 201}},
)


def bad_bulk_bodies(n):
    """Whole bulk answers that are not what Elasticsearch sends, for n
    documents, for bad_response (one after the other)."""
    ok = [{"create": {"status": 201}}] * n
    good = json.dumps({"errors": False, "items": ok}, separators=(",", ":")).encode()
    return (
        {"errors": False, "items": ok[1:]},                 # one item short
        {"errors": False, "items": ok + ok[:1]},            # one too many
        {"errors": False},                                  # no items
        {"errors": "false", "items": ok},                   # errors a string
        {"items": ok},                                      # no errors
        [{"errors": False, "items": ok}],                   # not an object
        good + b"x",                                        # trailing garbage
        good[:-1] + b"\0}",                                 # a NUL inside
        good.replace(b'"errors"', b'"err\xffors"'),         # not UTF-8
        b"<html><body>502 Bad Gateway</body></html>",
        b"",
    )
SHARDS = {"total": 2, "successful": 1, "failed": 0}
REQUEST_LOG_MAX = 10000


def es_error(etype, reason, status, **extra):
    """An Elasticsearch error body: {"error": {root_cause, type, reason}, status}."""
    cause = {"type": etype, "reason": reason, **extra}
    return {"error": {"root_cause": [dict(cause)], **cause}, "status": status}


@functools.lru_cache(maxsize=1024)
def wildcard_regex(pattern):
    """Elasticsearch "simple match": only '*' is special."""
    return re.compile("^" + ".*".join(map(re.escape, pattern.split("*"))) + "$",
                      re.DOTALL)


def simple_match(pattern, name):
    if "*" not in pattern:
        return pattern == name
    return wildcard_regex(pattern).match(name) is not None


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_id():
    # Auto-generated ids are 20 URL-safe base64 characters, as in ES.
    return base64.urlsafe_b64encode(os.urandom(15)).decode()


def version_tuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


# ---------------------------------------------------------------------------
# filter_path


class FilterPath:
    """Response filtering as the filter_path parameter does it: a comma list
    of dotted paths; '*' in a name matches any characters, '**' any number
    of levels; arrays are transparent; objects left empty are dropped.
    Exclusions ('-path') are not supported: they are ignored."""

    MISSING = object()

    def __init__(self, spec):
        self.paths = tuple(tuple(p.split(".")) for p in spec.split(",")
                           if p and not p.startswith("-"))
        # (paths, key) -> the paths left for the value of key.  Bulk items
        # all have the same keys, so this saves nearly all the matching.
        self.memo = {}

    def apply(self, doc):
        if not self.paths:
            return doc
        out = self._filter(doc, self.paths)
        return {} if out is self.MISSING else out

    def _descend(self, paths, key):
        sub = []
        for p in paths:
            if p[0] == "**":
                sub.append(p)                          # '**' eats this level
                if len(p) > 1 and simple_match(p[1], key):
                    sub.append(p[2:])
            elif simple_match(p[0], key):
                sub.append(p[1:])
        return tuple(sub)

    def _filter(self, value, paths):
        if () in paths:                     # a path ended here: keep it all
            return value
        if isinstance(value, list):
            kept = [v for v in (self._filter(e, paths) for e in value) if v is not self.MISSING]
            return kept if kept else self.MISSING
        if not isinstance(value, dict):
            return self.MISSING
        out = {}
        memo = self.memo
        for key, v in value.items():
            sub = memo.get((paths, key))
            if sub is None:
                sub = memo[(paths, key)] = self._descend(paths, key)
            if sub:
                r = self._filter(v, sub)
                if r is not self.MISSING:
                    out[key] = r
        return out if out else self.MISSING


# ---------------------------------------------------------------------------
# shared state


class Stats:
    """Counters for /_test/stats and --stats; one lock, short sections."""

    COUNTERS = (
        "connections", "tls_handshake_failures", "requests", "bulk_requests",
        "bulk_items", "created", "updated", "deleted", "not_found",
        "conflicts_409", "retried_items", "gzip_requests", "chunked_requests",
        "expect_continue", "gzip_responses", "auth_failures", "forbidden",
        "resets", "too_large", "bytes_in", "bytes_in_decoded", "docs_parsed",
        "actions_without_source", "max_items_per_request", "max_body_bytes",
        "single_doc_requests",
    )
    MAPS = (
        "item_errors_by_status", "item_errors_by_type", "request_errors_by_status",
        "responses_by_status", "items_by_action", "content_types", "content_encodings",
        "user_agents", "filter_paths", "pipelines", "faults_fired", "tls_versions",
        "methods",
    )

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.c = dict.fromkeys(self.COUNTERS, 0)
            self.m = {name: {} for name in self.MAPS}
            self.last_authorization_scheme = None
            self.started = time.monotonic()

    def add(self, field, n=1):
        with self.lock:
            self.c[field] += n

    def maximum(self, field, n):
        with self.lock:
            if n > self.c[field]:
                self.c[field] = n

    def bump(self, mapname, key, n=1):
        key = str(key)
        with self.lock:
            m = self.m[mapname]
            m[key] = m.get(key, 0) + n

    def snapshot(self):
        with self.lock:
            d = dict(self.c)
            for name, m in self.m.items():
                d[name] = dict(m)
            d["last_authorization_scheme"] = self.last_authorization_scheme
            d["elapsed_seconds"] = round(time.monotonic() - self.started, 3)
        # The server's own CPU: tells a benchmark who was the bottleneck.
        d["cpu_seconds"] = round(time.process_time(), 3)
        return d


class Index:
    """One index or data stream: documents by _id, in arrival order.
    A document is [source bytes, pipeline, _version, _seq_no]."""

    def __init__(self, name, data_stream=False):
        self.name = name
        self.uuid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode()[:22]
        self.data_stream = data_stream
        # Bulk items on a data stream report the backing index.
        day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y.%m.%d")
        self.write_index = f".ds-{name}-{day}-000001" if data_stream else name
        self.docs = {}
        self.seq_no = -1

    def next_seq(self):
        self.seq_no += 1
        return self.seq_no


class Store:
    """Indices, templates, ILM policies; guarded by one lock."""

    def __init__(self, ds_prefixes):
        self.lock = threading.RLock()
        self.ds_prefixes = tuple(ds_prefixes)
        self.reset()

    def reset(self):
        with self.lock:
            self.indices = {}
            self.index_templates = {}
            self.component_templates = {}
            self.ilm = {}
            self.ism = {}              # name -> {"policy", "seq_no", "primary_term", "version"}
            self.ism_seq_no = -1
            self.faulted = set()       # (index, _id) that got an item fault once
            self.stored_ok = 0         # documents stored, for fail_after

    def template_for(self, name):
        best = None
        for tname, t in self.index_templates.items():
            pats = t.get("index_patterns", [])
            if isinstance(pats, str):
                pats = [pats]
            if any(simple_match(p, name) for p in pats):
                prio = t.get("priority", 0) or 0
                if best is None or prio > best[0]:
                    best = (prio, tname, t)
        return best

    def by_backing_index(self, name):
        """The data stream whose backing index is name, or None."""
        with self.lock:
            for idx in self.indices.values():
                if idx.data_stream and idx.write_index == name:
                    return idx
        return None

    def wants_data_stream(self, name):
        if name.startswith(self.ds_prefixes) and self.ds_prefixes:
            return True
        best = self.template_for(name)
        return best is not None and "data_stream" in best[2]

    def get_or_create(self, name):
        """The index, auto-created (as a data stream when a template says so)."""
        idx = self.indices.get(name)
        if idx is None:
            idx = self.indices[name] = Index(name, self.wants_data_stream(name))
        return idx


class Faults:
    """Current fault settings plus the state of the counted ones."""

    def __init__(self, settings):
        self.lock = threading.Lock()
        self.set(settings, 0)

    def set(self, settings, stored_now):
        """Replace every setting (missing keys: off); fail_after counts the
        documents stored from now on."""
        s = dict(FAULT_DEFAULTS)
        for k, v in settings.items():
            if k not in FAULT_DEFAULTS:
                raise ValueError(f"unknown fault [{k}]; known: {sorted(FAULT_DEFAULTS)}")
            default = FAULT_DEFAULTS[k]
            if isinstance(default, bool):
                v = bool(v)
            elif isinstance(default, int):
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise ValueError(f"fault [{k}] must be a non-negative integer")
            elif isinstance(default, dict):
                if not isinstance(v, dict):
                    raise ValueError(f"fault [{k}] must be a JSON object")
            elif isinstance(default, str):
                if not isinstance(v, str):
                    raise ValueError(f"fault [{k}] must be a string")
            else:
                v = [v] if isinstance(v, str) else list(v)
                if not all(isinstance(x, str) and x for x in v):
                    raise ValueError(f"fault [{k}] must be a string or a list of strings")
            s[k] = v
        with self.lock:
            self.s = s
            self.new_items = 0         # counter for item_*_every
            self.malformed_next = 0    # next of MALFORMED_ITEMS
            self.bad_next = 0          # next of bad_bulk_bodies()
            self.baseline = stored_now

    def get(self):
        with self.lock:
            return dict(self.s)

    def next_of(self, counter, n):
        """The next index into a list of n shapes, in turn."""
        with self.lock:
            i = getattr(self, counter)
            setattr(self, counter, (i + 1) % n)
            return i

    def take(self, name):
        """Use one of a counted request fault (request_429, request_503, reset)."""
        with self.lock:
            if self.s[name] > 0:
                self.s[name] -= 1
                return True
            return False


# ---------------------------------------------------------------------------
# HTTP


class HTTPError(Exception):
    """Answer the request with this status and JSON body (or raw bytes)."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class Reset(Exception):
    """Close the connection without an answer (RST)."""


def bad_request(etype, reason, status=400, **extra):
    return HTTPError(status, es_error(etype, reason, status, **extra))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "es_server"
    # Headers larger than this are refused by http.server anyway; bodies are
    # read by Content-Length or chunk by chunk.
    rbufsize = 256 * 1024

    # -- connection set-up ------------------------------------------------

    def setup(self):
        srv = self.server
        srv.stats.add("connections")
        if srv.tls_ctx is not None:
            # Handshake in the connection's own thread, so a slow or failing
            # client blocks no one else.
            self.request.settimeout(10)
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError) as e:
                srv.stats.add("tls_handshake_failures")
                log.info("%s: TLS handshake failed: %s", self.client_address[0], e)
                raise
            srv.stats.bump("tls_versions", self.request.version())
        self.request.settimeout(srv.opt.idle_timeout or None)
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()

    def log_message(self, fmt, *args):
        # http.server logs every request and error this way; keep errors.
        if fmt.startswith('"%s" %s %s'):
            return
        log.info("%s: %s", self.client_address[0], fmt % args)

    def send_error(self, code, message=None, explain=None):
        """Errors http.server finds itself (bad request line, headers too
        long): a JSON body rather than its HTML page, then close."""
        self.log_error("code %d, message %s", code, message)
        self.method = getattr(self, "command", None) or "GET"
        self.query = {}
        if not hasattr(self, "headers"):      # the request line itself was bad
            self.headers = http.client.HTTPMessage()
        self.close_connection = True
        body = json.dumps({"error": message or "bad request", "status": code}).encode()
        self.send_raw(code, body, {"Connection": "close"})

    def handle_expect_100(self):
        """A body announced too large is refused before it is sent, as the
        HTTP layer of Elasticsearch does; otherwise 100 Continue."""
        self.server.stats.add("expect_continue")
        self.method = self.command
        limit = self.server.faults.get()["max_content_length"]
        length = self.headers.get("Content-Length")
        if limit and length and length.isdigit() and int(length) > limit \
                and not self.headers.get("Content-Encoding") \
                and not self.path.startswith("/_test/"):
            self.server.stats.add("too_large")
            self.server.stats.bump("faults_fired", "max_content_length")
            self.close_connection = True   # the body will not follow
            self.send_raw(413, b"", {"Connection": "close"}, product=False)
            return False
        return super().handle_expect_100()

    # -- methods ----------------------------------------------------------

    def do_GET(self):
        self.dispatch("GET")

    def do_HEAD(self):
        self.dispatch("HEAD")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method):
        srv = self.server
        t0 = time.monotonic()
        url = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        self.parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
        self.method = method
        self.items = None
        self.item_statuses = None
        self.is_control = self.parts[:1] == ["_test"]
        if not self.is_control:
            srv.stats.add("requests")
            srv.stats.bump("methods", method)
        status = 0
        try:
            self.wire_bytes, self.body = self.read_body()
            if self.is_control:
                status = self.respond(*self.control())
            elif srv.opt.not_elastic:
                status = self.respond(*self.not_elastic())
            else:
                status = self.respond(*self.route())
        except HTTPError as e:
            if e.status >= 400:
                srv.stats.bump("request_errors_by_status", e.status)
            status = self.respond(e.status, e.body, e.headers)
        except Reset:
            status = "reset"
            self.reset_connection()
        except (ConnectionError, TimeoutError, ssl.SSLError) as e:
            self.close_connection = True
            status = f"connection lost: {e}"
        self.record(status, t0)

    def record(self, status, t0):
        srv = self.server
        if self.is_control:
            return      # a test polling /_test/stats must not change what it reads
        entry = {
            "time": round(time.time(), 3), "method": self.method, "path": self.path,
            "status": status, "body_bytes": getattr(self, "wire_bytes", 0),
            "content_type": self.headers.get("Content-Type"),
            "content_encoding": self.headers.get("Content-Encoding"),
            "authorization": (self.headers.get("Authorization") or " ").split(" ")[0] or None,
            "ms": round((time.monotonic() - t0) * 1000, 3),
        }
        if self.items is not None:
            entry["items"] = self.items
            entry["item_statuses"] = self.item_statuses
        with srv.log_lock:
            srv.request_log.append(entry)
        if srv.opt.verbose:
            log.debug("%s %s %s -> %s (%s bytes%s) %.1f ms", self.client_address[0],
                      self.method, self.path, status, entry["body_bytes"],
                      f", {self.items} items" if self.items is not None else "",
                      entry["ms"])

    # -- request body -----------------------------------------------------

    def read_body(self):
        """(bytes on the wire, decoded body); the body is always read whole
        so that the connection stays usable whatever the answer."""
        stats = self.server.stats
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            stats.add("chunked_requests")
            raw = self.read_chunked()
        else:
            length = self.headers.get("Content-Length")
            if length is None:
                raw = b""
            elif not length.isdigit():
                self.close_connection = True
                raise bad_request("illegal_argument_exception",
                                  f"invalid Content-Length [{length}]")
            else:
                raw = self.read_exact(int(length))
        if self.is_control:
            return len(raw), raw
        stats.add("bytes_in", len(raw))
        body = self.decode(raw)
        stats.add("bytes_in_decoded", len(body))
        # http.max_content_length applies to the content after the HTTP
        # layer decompressed it.
        limit = self.server.faults.get()["max_content_length"]
        if limit and len(body) > limit:
            stats.add("too_large")
            stats.bump("faults_fired", "max_content_length")
            raise HTTPError(413, b"", {"_product": False})
        return len(raw), body

    def read_exact(self, n):
        data = self.rfile.read(n)
        if len(data) != n:
            self.close_connection = True
            raise ConnectionError(f"body ended after {len(data)} of {n} bytes")
        return data

    def read_chunked(self):
        chunks = []
        while True:
            line = self.rfile.readline(1024)
            if not line.endswith(b"\n"):
                raise ConnectionError("chunked body ends early")
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                break
            chunks.append(self.read_exact(size))
            self.read_exact(2)                      # CRLF after the data
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass                                    # trailer fields
        return b"".join(chunks)

    def decode(self, raw):
        enc = (self.headers.get("Content-Encoding") or "").strip().lower()
        if not enc or enc == "identity":
            return raw
        self.server.stats.bump("content_encodings", enc)
        try:
            if enc in ("gzip", "x-gzip"):
                self.server.stats.add("gzip_requests")
                return gzip.decompress(raw)
            if enc == "deflate":
                return zlib.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise bad_request("illegal_argument_exception",
                              f"cannot decompress the {enc} request body: {e}") from None
        raise bad_request("illegal_argument_exception",
                          f"unsupported Content-Encoding [{enc}]")

    # -- responses --------------------------------------------------------

    def respond(self, status, body, headers=None):
        """Send a JSON answer (a dict/list is serialised; bytes go as they are)."""
        headers = dict(headers or {})
        product = headers.pop("_product", True)
        if isinstance(body, (dict, list)):
            fp = self.query.get("filter_path")
            if fp and status < 300 and isinstance(body, dict):
                self.server.stats.bump("filter_paths", fp)
                body = FilterPath(fp).apply(body)
            if "pretty" in self.query and self.query["pretty"] != "false":
                body = json.dumps(body, indent=2).encode() + b"\n"
            else:
                body = json.dumps(body, separators=(",", ":")).encode()
        self.send_raw(status, body, headers, product=product)
        return status

    def send_raw(self, status, body, headers, product=True):
        srv = self.server
        if not getattr(self, "is_control", False):
            srv.stats.bump("responses_by_status", status)
        out = {}
        if product and not srv.opt.not_elastic and not srv.opt.opensearch and \
                not srv.faults.get()["no_product_header"]:
            out["X-Elastic-Product"] = "Elasticsearch"
        if body or product:
            out["Content-Type"] = "application/json"
        opaque = self.headers.get("X-Opaque-Id")
        if opaque:
            out["X-Opaque-Id"] = opaque
        if body and srv.compress_responses and \
                "gzip" in (self.headers.get("Accept-Encoding") or "").lower():
            body = gzip.compress(body, 1)
            out["Content-Encoding"] = "gzip"
            srv.stats.add("gzip_responses")
        out.update(headers)
        if self.method == "HEAD":
            out["Content-Length"] = str(len(body))
            body = b""
        else:
            out["Content-Length"] = str(len(body))
        self.send_response_only(status)
        for k, v in out.items():
            self.send_header(k, v)
        if out.get("Connection") == "close":
            self.close_connection = True
        self.end_headers()
        if body:
            self.wfile.write(body)

    def reset_connection(self):
        """Abort the connection: SO_LINGER 0 makes close() send a RST."""
        self.server.stats.add("resets")
        self.server.stats.bump("faults_fired", "reset")
        self.close_connection = True
        try:
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
        except OSError:
            return
        # The socket is closed once this handler is done with it; the
        # server must then skip its usual shutdown(), which would send a FIN
        # (and, with TLS, a close_notify) before the RST.
        with self.server.reset_lock:
            self.server.reset_socks.add(id(self.request))

    # -- authentication ---------------------------------------------------

    def authenticate(self):
        """401 unless the request carries the configured credentials."""
        srv = self.server
        auth = self.headers.get("Authorization") or ""
        scheme, _, value = auth.partition(" ")
        with srv.stats.lock:
            srv.stats.last_authorization_scheme = scheme or None
        if not srv.auth_required:
            return
        value = value.strip()
        if scheme.lower() == "basic" and value in srv.basic_ok:
            return
        if scheme.lower() == "apikey" and value in srv.apikey_ok:
            return
        srv.stats.add("auth_failures")
        if not auth:
            reason = f"missing authentication credentials for REST request [{self.path}]"
        elif scheme.lower() == "basic":
            try:
                user = base64.b64decode(value, validate=True).decode().partition(":")[0]
            except ValueError:
                user = "?"
            reason = f"unable to authenticate user [{user}] for REST request [{self.path}]"
        else:
            reason = ("unable to authenticate with provided credentials and anonymous "
                      "access is not allowed for this request")
        challenge = ['Basic realm="security" charset="UTF-8"', "ApiKey"]
        body = es_error("security_exception", reason, 401,
                        header={"WWW-Authenticate": challenge})
        raise HTTPError(401, body, {"WWW-Authenticate": ", ".join(challenge)})

    def authorize(self, action):
        """403 with --forbid (or fault forbid): known user, no privilege."""
        srv = self.server
        if not srv.faults.get()["forbid"]:
            return
        srv.stats.add("forbidden")
        srv.stats.bump("faults_fired", "forbid")
        user = srv.opt.username or (srv.opt.api_key or "api_key").partition(":")[0]
        raise bad_request(
            "security_exception",
            f"action [{action}] is unauthorized for user [{user}] with effective roles "
            "[audisp_ecs_writer], this action is granted by the index privileges "
            "[create_doc,create,index,write,all]", 403)

    def check_content_type(self, allowed):
        """406 for a body of a media type the REST layer does not take."""
        if not self.body:
            return
        ct = self.headers.get("Content-Type")
        self.server.stats.bump("content_types", ct)
        if ct is None:
            raise HTTPError(406, {"error": "Content-Type header is missing", "status": 406})
        if ct.split(";")[0].strip().lower() not in allowed:
            raise HTTPError(406, {"error": f"Content-Type header [{ct}] is not supported",
                                  "status": 406})

    def json_body(self, required=True):
        self.check_content_type(JSON_MEDIA_TYPES)
        if not self.body.strip():
            if required:
                raise bad_request("parse_exception", "request body is required")
            return {}
        try:
            doc = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as e:
            raise bad_request("x_content_parse_exception", f"[1:1] {e}") from None
        if not isinstance(doc, dict):
            raise bad_request("x_content_parse_exception",
                              "[1:1] request body is not a JSON object")
        return doc

    # -- routing ----------------------------------------------------------

    def route(self):
        srv = self.server
        ua = self.headers.get("User-Agent")
        if ua:
            srv.stats.bump("user_agents", ua)
        p, m = self.parts, self.method
        self.authenticate()
        f = srv.faults.get()
        if not (p and p[-1] == "_bulk" and len(p) <= 2) and srv.faults.take("huge_other"):
            srv.stats.bump("faults_fired", "huge_other")
            return 200, b" " * (1 << 20) + b"{}"
        if f["resource_answer"] and m == "GET" and p and \
                p[0] in ("_index_template", "_component_template", "_ilm"):
            srv.stats.bump("faults_fired", "resource_answer")
            return 200, f["resource_answer"].encode()
        if not p:
            if m in ("GET", "HEAD"):
                return 200, srv.cluster_info()
            raise self.bad_method(["GET", "HEAD"])
        if p[-1] == "_bulk" and len(p) <= 2:
            if m not in ("POST", "PUT"):
                raise self.bad_method(["POST", "PUT"])
            return self.bulk(p[0] if len(p) == 2 else None)
        if p[0] in ("_index_template", "_component_template") and len(p) <= 2:
            return self.templates(p[0], p[1] if len(p) == 2 else None)
        if srv.opt.opensearch and p[:3] == ["_plugins", "_ism", "policies"] and len(p) <= 4:
            return self.ism(p[3] if len(p) == 4 else None)
        if p[0] == "_ilm" and p[1:2] == ["policy"] and len(p) <= 3 and not srv.opt.opensearch:
            return self.ilm(p[2] if len(p) == 3 else None)
        if p[0] == "_data_stream" and len(p) <= 2:
            return self.data_streams(p[1] if len(p) == 2 else None)
        if len(p) in (2, 3) and p[1] in ("_doc", "_create") and not p[0].startswith("_"):
            return self.single_doc(p[0], p[1], p[2] if len(p) == 3 else None)
        if len(p) == 1 and not p[0].startswith("_") and m in ("GET", "HEAD"):
            return self.get_index(p[0])
        raise HTTPError(400, {"error": f"no handler found for uri [{self.path}] and method [{m}]",
                              "status": 400})

    def get_index(self, name):
        """GET /<index>: enough of the get-index API to tell it exists."""
        with self.server.store.lock:
            idx = self.server.store.indices.get(name)
            if idx is None:
                raise self.no_such_index(name)
            return 200, {idx.write_index: {"aliases": {}, "mappings": {},
                                           "settings": {"index": {"uuid": idx.uuid}},
                                           "data_stream": name if idx.data_stream else None}}

    def bad_method(self, allowed):
        return HTTPError(405, {"error": f"Incorrect HTTP method for uri [{self.path}] and "
                                        f"method [{self.method}], allowed: {allowed}",
                               "status": 405}, {"Allow": ",".join(allowed)})

    # -- _bulk ------------------------------------------------------------

    def bulk(self, url_index):
        srv = self.server
        stats = srv.stats
        stats.add("bulk_requests")
        faults = srv.faults
        # A connection reset hits whatever was sent, before any answer.
        if faults.take("reset"):
            raise Reset()
        self.check_content_type(BULK_MEDIA_TYPES)
        ops = self.parse_bulk(url_index)
        self.authorize("indices:data/write/bulk")
        f = faults.get()
        if f["delay_ms"]:
            time.sleep(f["delay_ms"] / 1000)
        if faults.take("request_429"):
            stats.bump("faults_fired", "request_429")
            raise bad_request(
                "es_rejected_execution_exception",
                f"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, "
                f"replica_bytes=0, all_bytes=0, coordinating_operation_bytes={len(self.body)}, "
                f"max_coordinating_and_primary_bytes=0]", 429)
        if faults.take("request_503"):
            stats.bump("faults_fired", "request_503")
            raise self.unavailable()
        if faults.take("huge_response"):
            stats.bump("faults_fired", "huge_response")
            return 200, b" " * (65 << 20) + b'{"errors":false,"items":[]}'
        if faults.take("truncated_response"):
            stats.bump("faults_fired", "truncated_response")
            return 200, b'{"took":1,"errors":false'
        if faults.take("bad_response"):
            stats.bump("faults_fired", "bad_response")
            bodies = bad_bulk_bodies(len(ops))
            return 200, bodies[faults.next_of("bad_next", len(bodies))]
        if f["fail_after"] and srv.store.stored_ok - faults.baseline >= f["fail_after"]:
            stats.bump("faults_fired", "fail_after")
            raise self.unavailable()
        t0 = time.monotonic()
        items, errors = self.apply_bulk(ops, f)
        stats.add("bulk_items", len(ops))
        stats.maximum("max_items_per_request", len(ops))
        stats.maximum("max_body_bytes", self.wire_bytes)
        took = int((time.monotonic() - t0) * 1000)
        body = {"errors": errors, "took": took, "items": items}
        if not self.malformed:
            return 200, body
        # Malformed items replace their places after filter_path, which
        # would otherwise drop or keep them as a filter does.
        fp = self.query.get("filter_path")
        if fp:
            stats.bump("filter_paths", fp)
            body = FilterPath(fp).apply(body)
        if isinstance(body.get("items"), list):
            for pos, shape in self.malformed:
                body["items"][pos] = shape
        return 200, json.dumps(body, separators=(",", ":")).encode()

    def unavailable(self):
        return bad_request("cluster_block_exception",
                           "blocked by: [SERVICE_UNAVAILABLE/2/no master];", 503)

    def parse_bulk(self, url_index):
        """[(action, index, id, meta, source bytes or None)]; any malformed
        line fails the whole request, as in Elasticsearch."""
        body = self.body
        if not body:
            raise bad_request("parse_exception", "request body is required")
        if not body.endswith(b"\n"):
            raise bad_request("illegal_argument_exception",
                              "The bulk request must be terminated by a newline [\\n]")
        lines = body.split(b"\n")
        lines.pop()                       # the empty string after the last \n
        default_pipeline = self.query.get("pipeline")
        ops = []
        i, n = 0, len(lines)
        loads = json.loads
        while i < n:
            line = lines[i]
            lineno = i + 1
            i += 1
            if not line.strip():
                continue                  # blank lines between actions are skipped
            try:
                action = loads(line)
            except (ValueError, UnicodeDecodeError) as e:
                raise bad_request("x_content_parse_exception",
                                  f"[{lineno}:1] Unexpected character in action/metadata "
                                  f"line: {e}") from None
            if not isinstance(action, dict) or len(action) != 1:
                raise bad_request("illegal_argument_exception",
                                  f"Malformed action/metadata line [{lineno}], expected "
                                  "START_OBJECT with one action")
            (name, meta), = action.items()
            if name not in BULK_ACTIONS:
                raise bad_request("illegal_argument_exception",
                                  f"Malformed action/metadata line [{lineno}], expected one of "
                                  f"[create, delete, index, update] but found [{name}]")
            if not isinstance(meta, dict):
                raise bad_request("illegal_argument_exception",
                                  f"Malformed action/metadata line [{lineno}], expected "
                                  f"START_OBJECT but found [{type(meta).__name__}]")
            for key in meta:
                if key not in ACTION_KEYS:
                    raise bad_request("illegal_argument_exception",
                                      f"Action/metadata line [{lineno}] contains an unknown "
                                      f"parameter [{key}]")
            index = meta.get("_index", url_index)
            if not index:
                raise bad_request("action_request_validation_exception",
                                  "Validation Failed: 1: index is missing;")
            _id = meta.get("_id")
            if _id is not None:
                _id = str(_id)
            if name == "index" and meta.get("op_type") == "create":
                name = "create"
            source = None
            if name != "delete":
                if i >= n:
                    # An action without its source line at the very end is
                    # dropped by Elasticsearch's parser, not refused.
                    self.server.stats.add("actions_without_source")
                    break
                source = lines[i]
                i += 1
            ops.append((name, index, _id, meta.get("pipeline", default_pipeline), source))
        if not ops:
            raise bad_request("action_request_validation_exception",
                              "Validation Failed: 1: no requests added;")
        return ops

    def apply_bulk(self, ops, f):
        srv = self.server
        store = srv.store
        stats = srv.stats
        doc_errors = srv.doc_error_type
        parse = srv.opt.validate_docs or bool(f["reject_field"])
        every429, every500 = f["item_429_every"], f["item_500_every"]
        every_bad = f["malformed_item_every"]
        self.malformed = []
        reject_sub = [s.encode() for s in f["reject_substring"]]
        with7 = srv.major < 8
        items = []
        statuses = collections.Counter()
        by_action = collections.Counter()
        results = collections.Counter()
        pipelines = collections.Counter()
        error_types = collections.Counter()
        error_statuses = collections.Counter()   # a delete's 404 is no error
        errors = False
        with store.lock:
            for name, index, _id, pipeline, source in ops:
                by_action[name] += 1
                idx = store.get_or_create(index)
                if _id is None and name in ("create", "index"):
                    _id = new_id()
                r = {"_index": idx.write_index, "_id": _id}
                if with7:
                    r["_type"] = "_doc"
                err = None
                key = (index, _id)
                # Injected per-item rejections come first: in Elasticsearch
                # they happen before the document is even parsed.
                if (every429 or every500 or every_bad) and key not in store.faulted:
                    err = self.item_fault(store, key, every429, every500, every_bad)
                elif key in store.faulted:
                    stats.add("retried_items")
                if err is not None and err[0] == "malformed":
                    # Not applied; a placeholder that filter_path keeps.
                    self.malformed.append((len(items), err[1]))
                    statuses["malformed"] += 1
                    items.append({name: {"status": 0}})
                    continue
                if err is None and idx.data_stream and name != "create":
                    err = (400, {"type": "illegal_argument_exception",
                                 "reason": "only write ops with an op_type of create are "
                                           "allowed in data streams"})
                if err is None and source is not None and name != "update":
                    err = self.check_source(idx, _id, source, parse, f, reject_sub, doc_errors)
                if err is None:
                    status = self.apply_op(idx, name, _id, source, pipeline, r)
                    results[r.get("result")] += 1
                    if pipeline and status < 300:
                        pipelines[pipeline] += 1
                else:
                    status, error = err
                    error.setdefault("index_uuid", idx.uuid)
                    error.setdefault("shard", "0")
                    error.setdefault("index", idx.write_index)
                    r["status"] = status
                    r["error"] = error
                if "error" in r:
                    errors = True
                    error_types[r["error"]["type"]] += 1
                    error_statuses[status] += 1
                statuses[status] += 1
                items.append({name: r})
        self.items = len(ops)
        self.item_statuses = {str(k): v for k, v in statuses.items()}
        self.count_results(by_action, results, pipelines)
        with stats.lock:
            stats.c["conflicts_409"] += statuses[409]
        for etype, count in error_types.items():
            stats.bump("item_errors_by_type", etype, count)
        for status, count in error_statuses.items():
            stats.bump("item_errors_by_status", status, count)
        return items, errors

    def count_results(self, by_action, results, pipelines):
        stats = self.server.stats
        with stats.lock:
            for name in ("created", "updated", "deleted", "not_found"):
                stats.c[name] += results[name]
        for name, count in by_action.items():
            stats.bump("items_by_action", name, count)
        for name, count in pipelines.items():
            stats.bump("pipelines", name, count)

    def item_fault(self, store, key, every429, every500, every_bad=0):
        faults = self.server.faults
        with faults.lock:
            faults.new_items += 1
            k = faults.new_items
        if every_bad and k % every_bad == 0:
            store.faulted.add(key)
            self.server.stats.bump("faults_fired", "malformed_item")
            return "malformed", MALFORMED_ITEMS[faults.next_of("malformed_next",
                                                                len(MALFORMED_ITEMS))]
        if every429 and k % every429 == 0:
            store.faulted.add(key)
            self.server.stats.bump("faults_fired", "item_429")
            return 429, {"type": "es_rejected_execution_exception",
                         "reason": "rejected execution of primary operation "
                                   "[shard_detail=[audisp][0][P], shard_primary_operation_bytes=0, "
                                   "max_primary_bytes=0] (injected)"}
        if every500 and k % every500 == 0:
            store.faulted.add(key)
            self.server.stats.bump("faults_fired", "item_500")
            return 500, {"type": "exception", "reason": "injected internal error on this item"}
        return None

    def check_source(self, idx, _id, source, parse, f, reject_sub, doc_errors):
        """None if the document would be indexed, else (status, error)."""
        for s in reject_sub:
            if s in source:
                self.server.stats.bump("faults_fired", "reject_substring")
                return 400, {"type": doc_errors,
                             "reason": f"[1:1] failed to parse: document contains "
                                       f"[{s.decode(errors='replace')}] (injected)"}
        if parse:
            self.server.stats.add("docs_parsed")
            try:
                doc = json.loads(source)
                if not isinstance(doc, dict):
                    raise ValueError("not a JSON object")
            except (ValueError, UnicodeDecodeError) as e:
                return 400, {"type": doc_errors, "reason": f"[1:1] failed to parse: {e}"}
            for field in f["reject_field"]:
                found, value = lookup_field(doc, field)
                if found:
                    self.server.stats.bump("faults_fired", "reject_field")
                    preview = json.dumps(value)[:40].strip('"')
                    return 400, {"type": doc_errors,
                                 "reason": f"[1:2] failed to parse field [{field}] of type [long] "
                                           f"in document with id '{_id}'. Preview of field's "
                                           f"value: '{preview}'",
                                 "caused_by": {"type": "illegal_argument_exception",
                                               "reason": f"For input string: \"{preview}\""}}
        elif not source.strip():
            return 400, {"type": doc_errors, "reason": "[1:1] failed to parse: document is empty"}
        if idx.data_stream and b'"@timestamp"' not in source:
            return 400, {"type": doc_errors,
                         "reason": "[1:1] failed to parse: data stream timestamp field "
                                   "[@timestamp] is missing"}
        return None

    def apply_op(self, idx, name, _id, source, pipeline, r):
        """Apply one op that passed every check to the index; fill in r (its
        "result" is what the caller counts); return the status."""
        store = self.server.store
        doc = idx.docs.get(_id)
        if name == "create":
            if doc is not None:
                return self.conflict(idx, _id, doc, r)
            seq = idx.next_seq()
            idx.docs[_id] = [source, pipeline, 1, seq]
            store.stored_ok += 1
            result, status, version = "created", 201, 1
        elif name == "index":
            version = doc[2] + 1 if doc else 1
            seq = idx.next_seq()
            idx.docs.pop(_id, None)                 # move to the end: arrival order
            idx.docs[_id] = [source, pipeline, version, seq]
            store.stored_ok += 1
            result, status = ("created", 201) if doc is None else ("updated", 200)
        elif name == "delete":
            seq = idx.next_seq()
            if doc is None:
                r.update(_version=1, result="not_found", _shards=SHARDS,
                         _seq_no=seq, _primary_term=1, status=404)
                return 404
            del idx.docs[_id]
            result, status, version = "deleted", 200, doc[2] + 1
        else:   # update
            return self.update(idx, _id, doc, source, r)
        r.update(_version=version, result=result, _shards=SHARDS,
                 _seq_no=seq, _primary_term=1, status=status)
        return status

    def conflict(self, idx, _id, doc, r):
        r["status"] = 409
        r["error"] = {"type": "version_conflict_engine_exception",
                      "reason": f"[{_id}]: version conflict, document already exists "
                                f"(current version [{doc[2]}])",
                      "index_uuid": idx.uuid, "shard": "0", "index": idx.write_index}
        return 409

    def update(self, idx, _id, doc, source, r):
        """Partial update ("doc", "upsert", "doc_as_upsert")."""
        try:
            body = json.loads(source)
            if not isinstance(body, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as e:
            r.update(status=400, error={"type": "x_content_parse_exception",
                                        "reason": f"[1:1] {e}"})
            return 400
        if doc is None:
            upsert = body.get("upsert")
            if upsert is None and body.get("doc_as_upsert"):
                upsert = body.get("doc")
            if upsert is None:
                r.update(status=404, error={
                    "type": "document_missing_exception",
                    "reason": f"[{_id}]: document missing",
                    "index_uuid": idx.uuid, "shard": "0", "index": idx.write_index})
                return 404
            new = json.dumps(upsert, separators=(",", ":")).encode()
            idx.docs[_id] = [new, None, 1, idx.next_seq()]
            r.update(_version=1, result="created", _shards=SHARDS,
                     _seq_no=idx.docs[_id][3], _primary_term=1, status=201)
            return 201
        merged = deep_merge(json.loads(doc[0]), body.get("doc") or {})
        new = json.dumps(merged, separators=(",", ":")).encode()
        if new == doc[0]:
            r.update(_version=doc[2], result="noop", _shards=SHARDS,
                     _seq_no=doc[3], _primary_term=1, status=200)
            return 200
        doc[0], doc[2], doc[3] = new, doc[2] + 1, idx.next_seq()
        r.update(_version=doc[2], result="updated", _shards=SHARDS,
                 _seq_no=doc[3], _primary_term=1, status=200)
        return 200

    # -- single documents -------------------------------------------------

    def single_doc(self, index, endpoint, _id):
        srv = self.server
        store = srv.store
        m = self.method
        srv.stats.add("single_doc_requests")
        if endpoint == "_create" and (m not in ("PUT", "POST") or _id is None):
            raise self.bad_method(["PUT", "POST"])
        if endpoint == "_doc" and _id is None and m != "POST":
            raise self.bad_method(["POST"])
        if m in ("GET", "HEAD"):
            return self.get_doc(index, _id)
        if m == "DELETE":
            self.authorize("indices:data/write/delete")
            with store.lock:
                idx = store.indices.get(index)
                # A data stream's documents are deleted through their
                # backing index, as Elasticsearch wants it.
                backing = store.by_backing_index(index)
                if idx is None and backing is None:
                    raise self.no_such_index(index)
                if backing is not None:
                    idx = backing
                r = {"_index": idx.write_index, "_id": _id}
                if idx.data_stream and backing is None:
                    raise bad_request("illegal_argument_exception",
                                      "only write ops with an op_type of create are "
                                      "allowed in data streams")
                status = self.apply_op(idx, "delete", _id, None, None, r)
            self.count_results({}, collections.Counter([r.get("result")]), {})
            return status, r
        # PUT/POST: index or create one document
        self.check_content_type(JSON_MEDIA_TYPES)
        self.authorize("indices:data/write/index")
        source = self.body.strip()
        op = "create" if endpoint == "_create" or self.query.get("op_type") == "create" \
            or _id is None else "index"
        pipeline = self.query.get("pipeline")
        with store.lock:
            idx = store.get_or_create(index)
            if _id is None:
                _id = new_id()
            r = {"_index": idx.write_index, "_id": _id}
            f = srv.faults.get()
            err = None
            if idx.data_stream and op != "create":
                err = (400, {"type": "illegal_argument_exception",
                             "reason": "only write ops with an op_type of create are "
                                       "allowed in data streams"})
            if err is None:
                err = self.check_source(idx, _id, source, True, f,
                                        [s.encode() for s in f["reject_substring"]],
                                        srv.doc_error_type)
            if err is None:
                status = self.apply_op(idx, op, _id, source, pipeline, r)
                if status < 300:
                    self.count_results({}, collections.Counter([r["result"]]),
                                       collections.Counter([pipeline] if pipeline else []))
                    return status, r
                err = (status, r.pop("error"))
        status, error = err
        raise bad_request(error.pop("type"), error.pop("reason"), status, **error)

    def get_doc(self, index, _id):
        store = self.server.store
        with store.lock:
            idx = store.indices.get(index)
            if idx is None:
                raise self.no_such_index(index)
            doc = idx.docs.get(_id)
            if doc is None:
                return 404, {"_index": idx.write_index, "_id": _id, "found": False}
            source = doc[0]
            r = {"_index": idx.write_index, "_id": _id, "_version": doc[2],
                 "_seq_no": doc[3], "_primary_term": 1, "found": True}
        try:
            r["_source"] = json.loads(source)
        except (ValueError, UnicodeDecodeError):
            r["_source"] = source.decode("utf-8", "replace")
        return 200, r

    def no_such_index(self, index):
        return bad_request("index_not_found_exception", f"no such index [{index}]", 404,
                           **{"resource.type": "index_or_alias", "resource.id": index,
                              "index_uuid": "_na_", "index": index})

    # -- templates, ILM, data streams -------------------------------------

    def templates(self, kind, name):
        store = self.server.store
        table = store.index_templates if kind == "_index_template" else store.component_templates
        label = "index template" if kind == "_index_template" else "component template"
        m = self.method
        if m == "PUT" or m == "POST":
            if not name:
                raise self.bad_method(["GET"])
            body = self.json_body()
            if kind == "_index_template" and not body.get("index_patterns"):
                raise bad_request("action_request_validation_exception",
                                  "Validation Failed: 1: index patterns are missing;")
            if self.server.opt.opensearch:
                self.opensearch_template_check(body)
            if kind == "_component_template" and "template" not in body:
                raise bad_request("action_request_validation_exception",
                                  "Validation Failed: 1: template is missing;")
            with store.lock:
                if self.query.get("create") == "true" and name in table:
                    raise bad_request("illegal_argument_exception",
                                      f"{label} [{name}] already exists")
                table[name] = body
            return 200, {"acknowledged": True}
        with store.lock:
            names = self.matching(table, name)
            if m == "DELETE":
                if not name:
                    raise self.bad_method(["GET", "PUT"])
                if not names:
                    raise self.not_found(f"{label} matching [{name}] not found")
                for n in names:
                    del table[n]
                return 200, {"acknowledged": True}
            if m not in ("GET", "HEAD"):
                raise self.bad_method(["GET", "PUT", "DELETE"])
            if name and not names:
                raise self.not_found(f"{label} matching [{name}] not found")
            key = "index_templates" if kind == "_index_template" else "component_templates"
            field = "index_template" if kind == "_index_template" else "component_template"
            return 200, {key: [{"name": n, field: table[n]} for n in names]}

    @staticmethod
    def matching(table, name):
        if not name:
            return list(table)
        pats = name.split(",")
        return [n for n in table if any(simple_match(p, n) for p in pats)]

    def not_found(self, reason):
        return bad_request("resource_not_found_exception", reason, 404)

    def ilm(self, name):
        store = self.server.store
        m = self.method
        if m == "PUT":
            if not name:
                raise self.bad_method(["GET"])
            body = self.json_body()
            if not isinstance(body.get("policy"), dict):
                raise bad_request("x_content_parse_exception",
                                  "[1:1] [put_lifecycle_request] policy is missing")
            with store.lock:
                old = store.ilm.get(name)
                store.ilm[name] = {"version": old["version"] + 1 if old else 1,
                                   "modified_date": now_iso(), "policy": body["policy"]}
            return 200, {"acknowledged": True}
        with store.lock:
            names = self.matching(store.ilm, name)
            if name and not names:
                raise self.not_found(f"Lifecycle policy not found: {name}")
            if m == "DELETE":
                if not name:
                    raise self.bad_method(["GET", "PUT"])
                for n in names:
                    del store.ilm[n]
                return 200, {"acknowledged": True}
            if m not in ("GET", "HEAD"):
                raise self.bad_method(["GET", "PUT", "DELETE"])
            return 200, {n: dict(store.ilm[n], in_use_by={
                "indices": [], "data_streams": [], "composable_templates": []})
                for n in names}

    def opensearch_template_check(self, body):
        """What OpenSearch refuses in a template: settings of Elasticsearch's
        ILM, and match_only_text before 2.12."""
        tmpl = body.get("template") or {}
        settings = tmpl.get("settings") or {}
        flat = json.dumps(settings)
        if "lifecycle" in flat:
            raise bad_request("illegal_argument_exception",
                              "unknown setting [index.lifecycle.name] please check that any "
                              "required plugins are installed, or check the breaking changes "
                              "documentation for removed settings")
        if version_tuple(self.server.opt.opensearch) < (2, 12) and \
                '"match_only_text"' in json.dumps(tmpl.get("mappings") or {}):
            raise bad_request("mapper_parsing_exception",
                              "No handler for type [match_only_text] declared on field")

    def ism(self, name):
        """OpenSearch's Index State Management policies, with optimistic
        concurrency as OpenSearch has it."""
        store = self.server.store
        m = self.method
        if not name:
            raise self.bad_method(["GET"])
        with store.lock:
            old = store.ism.get(name)
            if m == "PUT":
                body = self.json_body()
                policy = body.get("policy")
                if not isinstance(policy, dict):
                    raise bad_request("illegal_argument_exception", "Required [policy] is missing")
                unknown = set(policy) - {"description", "default_state", "states",
                                         "ism_template", "error_notification", "schema_version"}
                if unknown:
                    raise bad_request("illegal_argument_exception",
                                      f"Invalid field: [{sorted(unknown)[0]}] found in Policy.")
                seq, term = self.query.get("if_seq_no"), self.query.get("if_primary_term")
                if old is not None and (seq is None or term is None):
                    raise HTTPError(409, {"error": {"type": "version_conflict_engine_exception",
                                                    "reason": f"[{name}]: version conflict, document already exists"},
                                          "status": 409})
                if old is not None and (str(old["seq_no"]) != seq or str(old["primary_term"]) != term):
                    raise HTTPError(409, {"error": {"type": "version_conflict_engine_exception",
                                                    "reason": f"[{name}]: version conflict, required seqNo [{seq}]"},
                                          "status": 409})
                store.ism_seq_no += 1
                entry = {"policy": dict(policy, policy_id=name, last_updated_time=int(time.time() * 1000),
                                        schema_version=21),
                         "seq_no": store.ism_seq_no, "primary_term": 1,
                         "version": old["version"] + 1 if old else 1}
                store.ism[name] = entry
                return (200 if old else 201), {"_id": name, "_version": entry["version"],
                                               "_primary_term": 1, "_seq_no": entry["seq_no"],
                                               "policy": {"policy": entry["policy"]}}
            if old is None:
                raise HTTPError(404, {"error": {"root_cause": [{"type": "status_exception",
                                                                "reason": "Policy not found"}],
                                                "type": "status_exception", "reason": "Policy not found"},
                                      "status": 404})
            if m == "DELETE":
                del store.ism[name]
                return 200, {"_index": ".opendistro-ism-config", "_id": name, "result": "deleted"}
            if m not in ("GET", "HEAD"):
                raise self.bad_method(["GET", "PUT", "DELETE"])
            return 200, {"_id": name, "_version": old["version"], "_seq_no": old["seq_no"],
                         "_primary_term": old["primary_term"], "policy": old["policy"]}

    def data_streams(self, name):
        store = self.server.store
        m = self.method
        with store.lock:
            if m == "PUT":
                if not name:
                    raise self.bad_method(["GET"])
                if name in store.indices:
                    raise bad_request("resource_already_exists_exception",
                                      f"data_stream [{name}] already exists")
                if not store.wants_data_stream(name):
                    raise bad_request("illegal_argument_exception",
                                      f"no matching index template found for data stream [{name}]")
                store.get_or_create(name)
                return 200, {"acknowledged": True}
            streams = [i for i in store.indices.values() if i.data_stream
                       and (not name or any(simple_match(p, i.name) for p in name.split(",")))]
            if name and "*" not in name and not streams:
                raise self.no_such_index(name)
            if m == "DELETE":
                if not name:
                    raise self.bad_method(["GET", "PUT"])
                for i in streams:
                    del store.indices[i.name]
                return 200, {"acknowledged": True}
            if m not in ("GET", "HEAD"):
                raise self.bad_method(["GET", "PUT", "DELETE"])
            return 200, {"data_streams": [self.describe_stream(i) for i in streams]}

    def describe_stream(self, idx):
        best = self.server.store.template_for(idx.name)
        tmpl = best[1] if best else None
        settings = ((best[2].get("template") or {}).get("settings") or {}) if best else {}
        policy = settings.get("index.lifecycle.name") or \
            ((settings.get("index") or {}).get("lifecycle") or {}).get("name")
        return {"name": idx.name, "timestamp_field": {"name": "@timestamp"},
                "indices": [{"index_name": idx.write_index, "index_uuid": idx.uuid}],
                "generation": 1, "status": "GREEN", "template": tmpl,
                "ilm_policy": policy, "hidden": False, "system": False,
                "allow_custom_routing": False, "replicated": False,
                "docs_count": len(idx.docs)}

    # -- not Elasticsearch ------------------------------------------------

    def not_elastic(self):
        """Some other HTTP server: no product header, not ES-shaped."""
        if not self.parts:
            return 200, {"name": "not-elasticsearch", "version": "1.0",
                         "message": "this is some other HTTP service"}, {"_product": False}
        return 404, b"<html><body><h1>404 Not Found</h1></body></html>\n", \
            {"_product": False, "Content-Type": "text/html"}

    # -- control ----------------------------------------------------------

    def control(self):
        srv = self.server
        what = self.parts[1] if len(self.parts) > 1 else ""
        m = self.method
        if what == "stats" and m == "GET":
            return 200, srv.stats.snapshot()
        if what == "store" and m == "GET":
            return 200, srv.store_ndjson(self.query.get("index")), {"Content-Type": "application/x-ndjson"}
        if what == "requests" and m == "GET":
            with srv.log_lock:
                entries = list(srv.request_log)
            return 200, {"requests": entries}
        if what == "faults" and m == "GET":
            return 200, srv.faults.get()
        if what == "faults" and m in ("POST", "PUT"):
            try:
                settings = json.loads(self.body or b"{}")
                if not isinstance(settings, dict):
                    raise ValueError("a JSON object of fault settings is expected")
                srv.faults.set(settings, srv.store.stored_ok)
            except (ValueError, UnicodeDecodeError) as e:
                raise bad_request("illegal_argument_exception", str(e)) from None
            log.info("faults now %s", json.dumps(srv.faults.get(), sort_keys=True))
            return 200, srv.faults.get()
        if what == "reset" and m == "POST":
            srv.store.reset()
            srv.stats.reset()
            srv.faults.baseline = 0
            with srv.log_lock:
                srv.request_log.clear()
            return 200, {"acknowledged": True}
        raise bad_request("illegal_argument_exception",
                          f"unknown control endpoint [{self.method} {self.path}]; known: GET "
                          "/_test/stats, /_test/store, /_test/requests, /_test/faults; POST "
                          "/_test/faults, /_test/reset", 404)


def lookup_field(doc, field):
    """(found, value) for a top-level key (dotted or not) or a nested path."""
    if field in doc:
        return True, doc[field]
    cur = doc
    parts = field.split(".")
    for i, part in enumerate(parts):
        if not isinstance(cur, dict):
            return False, None
        rest = ".".join(parts[i:])
        if rest in cur:             # {"a": {"b.c": 1}} holds the field a.b.c too
            return True, cur[rest]
        if part not in cur:
            return False, None
        cur = cur[part]
    return True, cur


def deep_merge(base, update):
    for k, v in update.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            deep_merge(base[k], v)
        else:
            base[k] = v
    return base


# ---------------------------------------------------------------------------
# the server


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, opt, addr):
        self.opt = opt
        self.stats = Stats()
        self.store = Store(opt.data_stream_prefix)
        self.faults = Faults(faults_from_options(opt))
        self.request_log = collections.deque(maxlen=REQUEST_LOG_MAX)
        self.log_lock = threading.Lock()
        self.reset_socks = set()
        self.reset_lock = threading.Lock()
        self.major = version_tuple(opt.es_version)[0]
        # Document parse failures are document_parsing_exception since 8.8.
        self.doc_error_type = ("document_parsing_exception"
                               if version_tuple(opt.es_version) >= (8, 8)
                               else "mapper_parsing_exception")
        self.cluster_uuid = base64.urlsafe_b64encode(
            hashlib.sha256(opt.cluster_name.encode()).digest()[:16]).decode()[:22]
        self.basic_ok = set()
        self.apikey_ok = set()
        if opt.username is not None:
            self.basic_ok.add(base64.b64encode(
                f"{opt.username}:{opt.password or ''}".encode()).decode())
        if opt.api_key:
            self.apikey_ok.add(base64.b64encode(opt.api_key.encode()).decode())
        self.auth_required = bool(self.basic_ok or self.apikey_ok)
        # xpack.security.http.ssl.client_authentication: required / optional
        self.tls_ctx = tls_server_context(opt, opt.tls_client_auth == "required") \
            if opt.tls_cert else None
        # Elasticsearch compresses responses when asked, but not over TLS
        # by default (http.compression).
        self.compress_responses = {"on": True, "off": False}.get(
            opt.http_compression, self.tls_ctx is None)
        family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        self.address_family = family
        super().__init__(addr, Handler)

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls_ctx is not None:
            sock = self.tls_ctx.wrap_socket(sock, server_side=True,
                                            do_handshake_on_connect=False)
        return sock, addr

    def server_bind(self):
        # HTTPServer.server_bind looks the host name up (getfqdn): skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def shutdown_request(self, request):
        with self.reset_lock:
            reset = id(request) in self.reset_socks
            self.reset_socks.discard(id(request))
        if reset:
            # Closed with SO_LINGER 0 and nothing sent first: a RST.
            socket.socket.close(request)
            return
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        # A client that went away or failed TLS is no server error.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError, OSError)):
            log.debug("%s: %s", client_address[0], exc)
            return
        log.exception("%s: unexpected error", client_address[0])

    def cluster_info(self):
        """GET /, with the cluster_info fault merged over it."""
        info = self.real_cluster_info()
        extra = self.faults.get()["cluster_info"]
        if extra:
            self.stats.bump("faults_fired", "cluster_info")
            info = deep_merge(info, json.loads(json.dumps(extra)))
        return info

    def real_cluster_info(self):
        if self.opt.opensearch:
            v = self.opt.opensearch
            return {
                "name": "os-test-node", "cluster_name": self.opt.cluster_name,
                "cluster_uuid": self.cluster_uuid,
                "version": {
                    "distribution": "opensearch", "number": v, "build_type": "tar",
                    "build_hash": hashlib.sha1(v.encode()).hexdigest(),
                    "build_date": "2025-01-01T00:00:00.000000000Z", "build_snapshot": False,
                    "lucene_version": "9.12.1", "minimum_wire_compatibility_version": "7.10.0",
                    "minimum_index_compatibility_version": "7.0.0",
                },
                "tagline": "The OpenSearch Project: https://opensearch.org/",
            }
        v = self.opt.es_version
        return {
            "name": "es-test-node", "cluster_name": self.opt.cluster_name,
            "cluster_uuid": self.cluster_uuid,
            "version": {
                "number": v, "build_flavor": "default", "build_type": "docker",
                "build_hash": hashlib.sha1(v.encode()).hexdigest(),
                "build_date": "2024-08-05T10:05:34.233336849Z", "build_snapshot": False,
                "lucene_version": "9.11.1" if self.major >= 8 else "8.11.1",
                "minimum_wire_compatibility_version": "7.17.0" if self.major >= 8 else "6.8.0",
                "minimum_index_compatibility_version": "7.0.0" if self.major >= 8 else "6.0.0-beta1",
            },
            "tagline": "You Know, for Search",
        }

    def store_ndjson(self, only_index=None):
        """Every document as {"_index","_id","pipeline","source"}, one a line;
        the source is the line as sent, so it is spliced in, not re-encoded."""
        out = []
        with self.store.lock:
            for idx in self.store.indices.values():
                if only_index and idx.name != only_index:
                    continue
                head = '{"_index":%s,"_id":' % json.dumps(idx.name)
                for _id, (source, pipeline, _v, _s) in idx.docs.items():
                    if isinstance(source, str):
                        source = source.encode()
                    src = source.strip() or b"null"
                    out.append(b"%s%s,\"pipeline\":%s,\"source\":%s}\n" % (
                        head.encode(), json.dumps(_id).encode(),
                        json.dumps(pipeline).encode(), src))
        return b"".join(out)

    def write_files(self):
        o = self.opt
        if o.out:
            atomic_write(o.out, self.store_ndjson())
        if o.stats:
            atomic_write(o.stats, (json.dumps(self.stats.snapshot(), indent=2,
                                              sort_keys=True) + "\n").encode())


def faults_from_options(o):
    return {
        "item_429_every": o.item_429_every, "item_500_every": o.item_500_every,
        "request_429": o.request_429, "request_503": o.request_503, "reset": o.reset,
        "huge_response": o.huge_response,
        "max_content_length": o.max_content_length, "reject_field": o.reject_field,
        "reject_substring": o.reject_substring, "delay_ms": o.delay_ms,
        "fail_after": o.fail_after, "forbid": o.forbid,
        "malformed_item_every": o.malformed_item_every,
        "truncated_response": o.truncated_response, "bad_response": o.bad_response,
        "huge_other": o.huge_other, "no_product_header": o.no_product_header,
        "cluster_info": o.cluster_info, "resource_answer": o.resource_answer,
    }


def json_object_arg(text):
    try:
        v = json.loads(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not JSON: {e}") from None
    if not isinstance(v, dict):
        raise argparse.ArgumentTypeError("not a JSON object")
    return v


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Elasticsearch test server; see tests/peers/README.md")
    p.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT",
                   help="address to listen on; port 0 = ephemeral (default %(default)s)")
    p.add_argument("--port", type=int, metavar="PORT",
                   help="shorthand for --listen 127.0.0.1:PORT")
    p.add_argument("--port-file", metavar="FILE", help="write the bound port here")
    p.add_argument("--out", "--store-file", dest="out", metavar="FILE",
                   help="write the store as NDJSON on exit and on SIGUSR1")
    p.add_argument("--stats", "--stats-file", dest="stats", metavar="FILE",
                   help="write the stats as JSON on exit and on SIGUSR1")
    p.add_argument("--es-version", default="8.15.0", metavar="X.Y.Z",
                   help="version to claim (default %(default)s)")
    p.add_argument("--cluster-name", default="audisp-ecs-test")
    p.add_argument("--opensearch", metavar="X.Y.Z",
                   help="answer as this version of OpenSearch (GET /, no X-Elastic-Product, ISM)")
    p.add_argument("--not-elastic", action="store_true",
                   help="answer like some other HTTP server (no X-Elastic-Product)")
    p.add_argument("--data-stream-prefix", action="append", default=[], metavar="PREFIX",
                   help="index names starting with PREFIX are data streams (repeatable)")
    p.add_argument("--validate-docs", action="store_true",
                   help="parse every document source; invalid JSON -> item status 400")
    p.add_argument("--http-compression", choices=("auto", "on", "off"), default="auto",
                   help="gzip responses when asked: auto = unless TLS (as ES)")
    p.add_argument("--idle-timeout", type=float, default=0, metavar="SECONDS",
                   help="close connections idle this long (default never)")
    g = p.add_argument_group("authentication")
    g.add_argument("--username", metavar="U", help="require Basic auth as U")
    g.add_argument("--password", metavar="P")
    g.add_argument("--api-key", metavar="ID:KEY",
                   help="require (or also accept) Authorization: ApiKey base64(ID:KEY)")
    g.add_argument("--forbid", action="store_true",
                   help="403 for writes: authenticated but not authorised")
    g = p.add_argument_group("TLS")
    g.add_argument("--tls-cert", metavar="PEM", help="server certificate (enables https)")
    g.add_argument("--tls-key", metavar="PEM")
    g.add_argument("--tls-ca", metavar="PEM", help="CA for client certificates (mutual TLS)")
    g.add_argument("--tls-client-auth", choices=("required", "optional"), default="required",
                   help="with --tls-ca (default %(default)s)")
    add_tls_version_arguments(g)
    g = p.add_argument_group("faults (also POST /_test/faults)")
    for name, help_ in (
            ("item-429-every", "every Nth new item: 429 on its first attempt only"),
            ("item-500-every", "every Nth new item: 500 on its first attempt only"),
            ("request-429", "the next N bulk requests: 429 as a whole"),
            ("request-503", "the next N bulk requests: 503 as a whole"),
            ("reset", "the next N bulk requests: read, then reset the connection"),
            ("huge-response", "the next N bulk requests: 200 with a 65 MiB body, not stored"),
            ("max-content-length", "413 for bodies larger than this (bytes, decoded)"),
            ("delay-ms", "wait this long before answering a bulk request"),
            ("fail-after", "after N stored documents, 503 for every bulk request"),
            ("malformed-item-every", "every Nth new item: a malformed answer on its "
                                     "first attempt only, not applied"),
            ("truncated-response", "the next N bulk requests: 200 with a body cut short, "
                                   "not applied"),
            ("bad-response", "the next N bulk requests: 200 with a body that is not a "
                             "bulk response, not applied"),
            ("huge-other", "the next N requests other than bulk: 200 with a 1 MiB body")):
        g.add_argument(f"--{name}", type=int, default=0, metavar="N", help=help_)
    g.add_argument("--no-product-header", action="store_true",
                   help="answer without X-Elastic-Product (as 7.0 to 7.13, or a proxy)")
    g.add_argument("--cluster-info", type=json_object_arg, default={}, metavar="JSON",
                   help="a JSON object merged over the GET / answer")
    g.add_argument("--resource-answer", default="", metavar="TEXT",
                   help="answer GET of templates and ILM policies with 200 and TEXT")
    g.add_argument("--reject-field", action="append", default=[], metavar="NAME",
                   help="documents with field NAME: item 400 (repeatable)")
    g.add_argument("--reject-substring", action="append", default=[], metavar="S",
                   help="documents containing S: item 400 (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    p.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    o = p.parse_args(argv)
    if o.port is not None:
        o.listen = f"127.0.0.1:{o.port}"
    check_tls_arguments(p, o)
    if o.password is not None and o.username is None:
        p.error("--password needs --username")
    if o.api_key is not None and ":" not in o.api_key:
        p.error("--api-key is ID:KEY")
    check_not_negative(p, o, ("item_429_every", "item_500_every", "request_429",
                              "request_503", "reset", "huge_response",
                              "max_content_length", "delay_ms", "fail_after",
                              "malformed_item_every", "truncated_response",
                              "bad_response", "huge_other"))
    return o


def main(argv=None):
    opt = parse_args(argv)
    setup_logging(opt, "es_server")
    host, _, port = opt.listen.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    try:
        srv = Server(opt, (host, int(port)))
    except (OSError, ssl.SSLError, ValueError) as e:
        log.error("cannot start on %s: %s", opt.listen, e)
        return 1

    # The handlers only set flags: an Event set from a handler can deadlock
    # on its own lock when the signal lands inside the main thread's wait.
    stopping = []           # the name of the signal that stops us
    usr1 = [False]

    def on_term(signum, _frame):
        stopping.append(signal.Signals(signum).name)

    def on_usr1(_signum, _frame):
        usr1[0] = True

    handle_signals(on_term, on_usr1)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2},
                         name="accept", daemon=True)
    t.start()
    bound = srv.server_address[1]
    if opt.port_file:
        atomic_write(opt.port_file, f"{bound}\n".encode())
    log.info("listening on %s port %d%s", host, bound, " (https)" if srv.tls_ctx else "")
    # The line tests wait for: they learn the ephemeral port from it.
    print(f"LISTENING {bound}", flush=True)
    while not stopping:
        time.sleep(0.2)
        if usr1[0]:
            usr1[0] = False
            srv.write_files()
    log.info("stopping: %s", stopping[0])
    srv.shutdown()
    srv.server_close()
    # Bulk requests still running finish under the store lock; taking it
    # here makes the files below include them whole.
    with srv.store.lock:
        srv.write_files()
    return 0


if __name__ == "__main__":
    sys.exit(main())
