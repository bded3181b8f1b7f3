#!/usr/bin/env python3
"""Load client for es_server.py: sends bulk requests over keep-alive
connections and prints documents per second.

    es_load.py --url http://127.0.0.1:PORT [--requests 100] [--docs 1000]
               [--doc-bytes 1000] [--gzip LEVEL] [--connections 1]
               [--ids unique|none] [--filter-path SPEC] [--json]

--ids unique (default) gives every document its own _id, as audisp-ecs
does, so each body is built for its request; --ids none lets the server
generate ids, so a few bodies (compressed once) are sent again and again
and the figure is the server's, not this client's.  When the server is
es_server.py, its own CPU time is read from /_test/stats before and after,
which gives the documents it takes per CPU second.

Python 3.11 standard library only.
"""

import argparse
import base64
import gzip
import http.client
import json
import ssl
import sys
import threading
import time
import urllib.parse


WORDS = ("type=SYSCALL", "arch=c000003e", "syscall=59", "success=yes", "exit=0",
         "a0=55d0c8f0", "items=2", "ppid=1234", "auid=1000", "uid=0", "gid=0",
         "tty=pts0", "ses=3", "comm=\\\"bash\\\"", "exe=/usr/bin/bash", "key=exec")


def make_doc(i, size):
    """An ECS-looking document of about `size` bytes; the message varies
    from one document to the next, so gzip does not shrink it unrealistically."""
    head = ('{"@timestamp":"2024-05-01T12:00:00.000Z","event":{"id":"%d","kind":"event",'
            '"category":["process"],"action":"executed"},"host":{"name":"host-1"},'
            '"process":{"pid":%d,"executable":"/usr/bin/true","args":["true"]},"message":"'
            % (i, i % 65536))
    words, x = [], i * 2654435761 + 1
    n = len(head) + 2
    while n < size:
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        w = "%s:%x" % (WORDS[x >> 60], x & 0xFFFFF)
        words.append(w)
        n += len(w) + 1
    return (head + " ".join(words)[: max(0, size - len(head) - 2)] + '"}').encode()


def body_for(first, n, size, index, ids):
    lines = []
    for i in range(first, first + n):
        if ids == "unique":
            lines.append(b'{"create":{"_index":"%s","_id":"ev-%d"}}' % (index.encode(), i))
        else:
            lines.append(b'{"create":{"_index":"%s"}}' % index.encode())
        lines.append(make_doc(i, size))
    lines.append(b"")
    return b"\n".join(lines)


class Worker:
    def __init__(self, o, url, cid, bodies):
        self.o, self.url, self.cid, self.bodies = o, url, cid, bodies
        self.docs = self.requests = self.errors = self.bytes = 0
        self.failure = None

    def connect(self):
        u = self.url
        if u.scheme == "https":
            ctx = ssl.create_default_context(cafile=self.o.ca)
            if self.o.insecure:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=60)
        return http.client.HTTPConnection(u.hostname, u.port, timeout=60)

    def run(self):
        o = self.o
        headers = {"Content-Type": "application/x-ndjson", "User-Agent": "es_load"}
        if o.gzip:
            headers["Content-Encoding"] = "gzip"
        if o.user:
            headers["Authorization"] = "Basic " + base64.b64encode(o.user.encode()).decode()
        path = "/_bulk" + (f"?filter_path={o.filter_path}" if o.filter_path else "")
        conn = self.connect()
        try:
            for r in range(self.cid, o.requests, o.connections):
                if self.bodies:
                    body = self.bodies[r % len(self.bodies)]
                else:
                    body = body_for(r * o.docs, o.docs, o.doc_bytes, o.index, o.ids)
                    if o.gzip:
                        body = gzip.compress(body, o.gzip)
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
                if b'"errors":true' in data:
                    self.errors += 1
                self.requests += 1
                self.docs += o.docs
                self.bytes += len(body)
        except Exception as e:       # reported by main, which exits 1
            self.failure = e
        finally:
            conn.close()


def server_cpu(url, o):
    """The server's cpu_seconds, or None when it is not es_server.py."""
    try:
        conn = Worker(o, url, 0, None).connect()
        conn.request("GET", "/_test/stats")
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return json.loads(data)["cpu_seconds"] if resp.status == 200 else None
    except (OSError, ValueError, KeyError):
        return None


def main(argv=None):
    p = argparse.ArgumentParser(description="bulk load client for es_server.py")
    p.add_argument("--url", required=True, help="http(s)://HOST:PORT")
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--docs", type=int, default=1000, help="documents per request")
    p.add_argument("--doc-bytes", type=int, default=1000)
    p.add_argument("--gzip", type=int, default=0, metavar="LEVEL", help="gzip bodies (1-9)")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--ids", choices=("unique", "none"), default="unique")
    p.add_argument("--index", default="audisp-load")
    p.add_argument("--filter-path", default="errors,items.*.error,items.*.status")
    p.add_argument("--user", metavar="U:P", help="Basic auth")
    p.add_argument("--ca", help="CA file for https")
    p.add_argument("--insecure", action="store_true")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    o = p.parse_args(argv)
    url = urllib.parse.urlsplit(o.url)
    bodies = None
    if o.ids == "none":
        bodies = [body_for(k * o.docs, o.docs, o.doc_bytes, o.index, o.ids) for k in range(4)]
        if o.gzip:
            bodies = [gzip.compress(b, o.gzip) for b in bodies]
    cpu0 = server_cpu(url, o)
    workers = [Worker(o, url, c, bodies) for c in range(o.connections)]
    threads = [threading.Thread(target=w.run) for w in workers]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    cpu1 = server_cpu(url, o)
    docs = sum(w.docs for w in workers)
    res = {
        "docs": docs, "requests": sum(w.requests for w in workers),
        "seconds": round(elapsed, 3), "docs_per_s": round(docs / elapsed),
        "wire_mb": round(sum(w.bytes for w in workers) / 1e6, 1),
        "responses_with_errors": sum(w.errors for w in workers),
    }
    if cpu0 is not None and cpu1 is not None and cpu1 > cpu0:
        res["server_cpu_s"] = round(cpu1 - cpu0, 3)
        res["docs_per_server_cpu_s"] = round(docs / (cpu1 - cpu0))
    failures = [w.failure for w in workers if w.failure]
    if o.json:
        print(json.dumps(res))
    else:
        print(" ".join(f"{k}={v}" for k, v in res.items()))
    for f in failures:
        print(f"es_load: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
