#!/usr/bin/env python3
"""Minimal Lumberjack v2 client: load generator and self-test of the test peer.

    lumberjack_client.py send --connect 127.0.0.1:5044 [--events N] [--window 2048]
                              [--compress 3] [--tls --ca ca.pem ...]
        sends windows of JSON documents the way libbeat does (window frame,
        then one compressed frame holding the JSON frames, seq 1..n in each
        window), waits for each window's ack, and reports events/s.

    lumberjack_client.py selftest
        starts lumberjack_server.py in every mode, with certificates from
        make-certs.sh, and checks what it does; ends with "N passed, N failed".

Python 3.11 standard library only.  See README.md beside this file.
"""

import argparse
import json
import os
import select
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "lumberjack_server.py")
MAKE_CERTS = os.path.join(HERE, "make-certs.sh")
U32 = struct.Struct(">I")
U32x2 = struct.Struct(">II")


class ServerClosed(Exception):
    """The server closed the connection before acking everything."""

    def __init__(self, msg, acks, keepalives=0):
        super().__init__(msg)
        self.acks = acks
        self.keepalives = keepalives


class BadAck(Exception):
    """The server sent something that is not an ack."""


def json_frames(payloads, first_seq=1):
    """'2J' frames, seq first_seq.. (libbeat restarts at 1 in every window)."""
    return b"".join(b"2J" + U32x2.pack(first_seq + i, len(p)) + p
                    for i, p in enumerate(payloads))


def compressed_frame(frames, level):
    z = zlib.compress(frames, level)
    return b"2C" + U32.pack(len(z)) + z


def window_bytes(payloads, level=3, first_seq=1):
    """A whole window as libbeat sends it: W, then one C (or plain J frames)."""
    frames = json_frames(payloads, first_seq)
    body = compressed_frame(frames, level) if level else frames
    return b"2W" + U32.pack(len(payloads)) + body


class Client:
    def __init__(self, host, port, ssl_context=None, server_hostname=None, timeout=30.0):
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if ssl_context is not None:
            try:
                sock = ssl_context.wrap_socket(sock, server_hostname=server_hostname or host)
            except BaseException:
                sock.close()
                raise
        self.sock = sock

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def recv_exact(self, n, acks=(), keepalives=0):
        buf = b""
        while len(buf) < n:
            try:
                chunk = self.sock.recv(n - len(buf))
            except (ConnectionError, ssl.SSLError) as e:
                raise ServerClosed(f"{type(e).__name__}: {e}", list(acks), keepalives) from None
            if not chunk:
                raise ServerClosed("EOF", list(acks), keepalives)
            buf += chunk
        return buf

    def send_raw(self, data):
        try:
            self.sock.sendall(data)
        except (ConnectionError, ssl.SSLError) as e:
            raise ServerClosed(f"send: {type(e).__name__}: {e}", []) from None

    def await_acks(self, last_seq):
        """Read acks until last_seq is acked; returns (acks, keepalives).
        ACK 0 is a keep-alive; smaller acks are partial progress."""
        acks, keepalives = [], 0
        while True:
            msg = self.recv_exact(6, acks, keepalives)
            if msg[:2] != b"2A":
                raise BadAck(f"not an ack: {msg!r}")
            (seq,) = U32.unpack(msg[2:])
            if seq == 0:
                keepalives += 1
                continue
            acks.append(seq)
            if seq == last_seq:
                return acks, keepalives
            if seq > last_seq or (len(acks) > 1 and seq <= acks[-2]):
                raise BadAck(f"ack {seq} out of order (acks {acks}, expecting {last_seq})")

    def send_window(self, payloads, level=3, first_seq=1):
        self.send_raw(window_bytes(payloads, level, first_seq))
        return self.await_acks(first_seq + len(payloads) - 1)


def client_tls_context(ca=None, cert=None, key=None, password=None,
                       min_version=None, max_version=None, verify=True):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify:
        ctx.load_verify_locations(ca)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if cert:
        ctx.load_cert_chain(cert, key, password=password)
    versions = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
    if min_version:
        ctx.minimum_version = versions[min_version]
    if max_version:
        ctx.maximum_version = versions[max_version]
    return ctx


def make_docs(n, start=0, prefix="ev", size=300):
    """Small ECS-like documents with a unique event.id each, about size bytes."""
    docs = []
    for i in range(start, start + n):
        d = (f'{{"@timestamp":"2024-05-01T12:00:{i % 60:02d}.{i % 1000:03d}Z",'
             f'"@metadata":{{"beat":"audisp-ecs","type":"_doc","version":"8.11.0"}},'
             f'"event":{{"id":"{prefix}-{i}","sequence":{i},"module":"auditd",'
             f'"action":"executed","category":["process"],"outcome":"success"}},'
             f'"auditd":{{"sequence":{i},"result":"success"}},'
             f'"process":{{"pid":{1000 + i % 30000},"executable":"/usr/bin/true"}},'
             f'"message":"')
        pad = max(0, size - len(d) - 2)
        docs.append((d + ("x%d " % i * (pad // 4 + 1))[:pad] + '"}').encode())
    return docs


# ---------------------------------------------------------------------------
# send: load generator / benchmark


def parse_hostport(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def cmd_send(o):
    host, port = parse_hostport(o.connect)
    ctx = None
    if o.tls:
        ctx = client_tls_context(o.ca, o.cert, o.key, o.key_password, verify=bool(o.ca))
    if o.docs:
        with open(o.docs, "rb") as f:
            template = [line.rstrip(b"\n") for line in f if line.strip()]
    per_conn = o.events // o.connections
    results = [None] * o.connections

    def windows(cid):
        """Yield the bytes of each window of this connection."""
        sent, k = 0, 0
        cache = []
        while sent < per_conn:
            n = min(o.window, per_conn - sent)
            if o.precompress and len(cache) >= 4 and n == o.window:
                # Re-send ready windows: measures the server, not this client.
                yield cache[k % len(cache)], n
            else:
                if o.docs:
                    docs = [template[(sent + i) % len(template)] for i in range(n)]
                else:
                    docs = make_docs(n, sent, prefix=f"c{cid}", size=o.doc_bytes)
                data = window_bytes(docs, o.compress)
                if o.precompress and n == o.window:
                    cache.append(data)
                yield data, n
            sent += n
            k += 1

    def run(cid):
        wire = nwin = 0
        with Client(host, port, ctx, o.server_name, o.timeout) as c:
            for data, n in windows(cid):
                c.send_raw(data)
                c.await_acks(n)
                wire += len(data)
                nwin += 1
        results[cid] = (wire, nwin)

    t0 = time.monotonic()
    cpu0 = time.process_time()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(o.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dt = time.monotonic() - t0
    if None in results:
        print("a connection failed", file=sys.stderr)
        return 1
    wire = sum(r[0] for r in results)
    nwin = sum(r[1] for r in results)
    total = per_conn * o.connections
    res = {"events": total, "windows": nwin, "connections": o.connections,
           "seconds": round(dt, 3), "events_per_second": round(total / dt),
           "wire_bytes": wire, "wire_mb_per_second": round(wire / dt / 1e6, 2),
           "compress_level": o.compress, "client_cpu_seconds": round(time.process_time() - cpu0, 3)}
    if o.json:
        print(json.dumps(res))
    else:
        print(f"sent {total} events in {nwin} windows over {o.connections} connection(s) "
              f"in {dt:.2f} s: {total / dt:,.0f} events/s, "
              f"{wire / dt / 1e6:.1f} MB/s on the wire (compression {o.compress})")
    return 0


# ---------------------------------------------------------------------------
# selftest


class ServerProc:
    """lumberjack_server.py in a subprocess, with --out and --stats in tmp."""

    def __init__(self, tmp, args, out=True, name="srv"):
        self.dir = tempfile.mkdtemp(prefix=name + "-", dir=tmp)
        self.out = os.path.join(self.dir, "out.ndjson")
        self.stats_path = os.path.join(self.dir, "stats.json")
        self.log_path = os.path.join(self.dir, "server.log")
        cmd = [sys.executable, SERVER, "--listen", "127.0.0.1:0", "--stats", self.stats_path]
        if out:
            cmd += ["--out", self.out]
        cmd += args
        self.log = open(self.log_path, "w")
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.p.stdout], [], [], 10)
        line = self.p.stdout.readline() if ready else ""
        if not line.startswith("LISTENING "):
            self.p.kill()
            raise RuntimeError(f"server did not start: {line!r}; log: {self.log_text()}")
        self.port = int(line.split()[1])

    def client(self, **kw):
        return Client("127.0.0.1", self.port, **kw)

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, text, count=1, timeout=10):
        """Wait for the server to log text count times: a client can see a
        refused handshake before the server has finished with it."""
        deadline = time.monotonic() + timeout
        while self.log_text().count(text) < count:
            assert time.monotonic() < deadline, f"server never logged {text!r}"
            time.sleep(0.05)

    def lines(self):
        if not os.path.exists(self.out):
            return []
        with open(self.out, "rb") as f:
            return f.read().splitlines()

    def stats(self):
        with open(self.stats_path) as f:
            return json.load(f)

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        rc = self.p.wait(15)
        self.log.close()
        assert rc == 0, f"server exit status {rc}"
        return self.stats()


class SelfTest:
    def __init__(self, tmp, verbose):
        self.tmp = tmp
        self.verbose = verbose
        self.passed = self.failed = 0
        self.last = None  # the test's latest server, for -v and cleanup
        self.certs = os.path.join(tmp, "certs")
        subprocess.run(["sh", MAKE_CERTS, self.certs], check=True)

    def cert(self, name):
        return os.path.join(self.certs, name)

    def run(self, tests):
        for fn in tests:
            name = fn.__name__.removeprefix("t_")
            t0 = time.monotonic()
            self.last = None
            try:
                fn()
                self.passed += 1
                print(f"ok   {name} ({time.monotonic() - t0:.1f} s)", flush=True)
            except Exception as e:
                self.failed += 1
                print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
                if self.verbose:
                    traceback.print_exc()
            finally:
                if self.last is not None and self.last.p.poll() is None:
                    self.last.p.kill()  # a failed test leaves no server behind
                    self.last.p.wait()
            if self.verbose and self.last is not None:
                print(self.last.log_text())

    def server(self, *args, **kw):
        if self.last is not None and self.last.p.poll() is None:
            self.last.p.kill()
            self.last.p.wait()
        self.last = ServerProc(self.tmp, list(args), **kw)
        return self.last

    # -- the tests ----------------------------------------------------------

    def t_plain(self):
        s = self.server()
        sent = []
        with s.client() as c:
            for w in range(3):
                docs = make_docs(100, w * 100)
                assert c.send_window(docs, level=0) == ([100], 0)
                sent += docs
        st = s.stop()
        assert s.lines() == sent, "out file differs from what was sent"
        expect(st, connections=1, windows=3, events=300, events_received=300,
               acks_sent=3, compressed_frames=0, duplicates=0, protocol_errors=0)

    def t_compressed(self):
        s = self.server()
        sent = []
        with s.client() as c:
            for w, level in enumerate((1, 3, 9)):
                docs = make_docs(100, w * 100)
                assert c.send_window(docs, level=level) == ([100], 0)
                sent += docs
            # one window as J frames and two compressed frames mixed: valid
            docs = make_docs(30, 300)
            c.send_raw(b"2W" + U32.pack(30) + json_frames(docs[:10])
                       + compressed_frame(json_frames(docs[10:20], 11), 6)
                       + compressed_frame(json_frames(docs[20:], 21), 6))
            assert c.await_acks(30) == ([30], 0)
            sent += docs
        st = s.stop()
        assert s.lines() == sent
        expect(st, windows=4, events=330, compressed_frames=5, protocol_errors=0)

    def t_partial_acks(self):
        s = self.server("--partial-acks", "10")
        with s.client() as c:
            assert c.send_window(make_docs(35), level=3) == ([10, 20, 30, 35], 0)
            assert c.send_window(make_docs(20, 35), level=0) == ([10, 20], 0)
        st = s.stop()
        expect(st, events=55, acks_sent=6, partial_acks=4, windows=2)
        assert len(s.lines()) == 55

    def t_keepalive_slow(self):
        s = self.server("--slow", "1.0", "--keepalive-every", "0.25")
        with s.client() as c:
            t0 = time.monotonic()
            acks, ka = c.send_window(make_docs(50))
            dt = time.monotonic() - t0
        st = s.stop()
        assert acks == [50] and ka >= 3 and dt >= 1.0, (acks, ka, dt)
        expect(st, events=50, acks_sent=1)
        assert st["keepalives_sent"] == ka

    def t_delay_ack(self):
        s = self.server("--delay-ack", "0.5")
        with s.client() as c:
            t0 = time.monotonic()
            assert c.send_window(make_docs(10)) == ([10], 0)
            assert time.monotonic() - t0 >= 0.5
        s.stop()

    def t_close_mid_window_once(self):
        s = self.server("--close-mid-window", "40")
        docs = make_docs(100)
        with s.client() as c:
            e = closed_by_server(lambda: c.send_window(docs), "window was acked")
            assert e.acks == [], e.acks
        assert s.lines() == [], "unacked events were written"
        with s.client() as c:  # reconnect and resend, as the plugin must
            assert c.send_window(docs) == ([100], 0)
            assert c.send_window(make_docs(100, 100)) == ([100], 0)
        st = s.stop()
        expect(st, connections=2, events=200, events_received=240, duplicates=0,
               faults_close_mid_window=1)

    def t_close_mid_window_repeat(self):
        s = self.server("--close-mid-window", "40", "--repeat-faults")
        for _ in range(2):
            with s.client() as c:
                closed_by_server(lambda: c.send_window(make_docs(100)), "window was acked")
        with s.client() as c:  # a smaller window (libbeat halves it) passes
            assert c.send_window(make_docs(39)) == ([39], 0)
        st = s.stop()
        expect(st, events=39, faults_close_mid_window=2)

    def t_close_mid_window_after_partial_ack(self):
        # what at-least-once looks like: 25 acked and written, 15 lost in
        # flight; the client must resend only events 26..100
        s = self.server("--close-mid-window", "40", "--partial-acks", "25")
        docs = make_docs(100)
        with s.client() as c:
            e = closed_by_server(lambda: c.send_window(docs), "window was acked")
            assert e.acks == [25], e.acks
        assert len(s.lines()) == 25
        with s.client() as c:
            assert c.send_window(docs[25:]) == ([25, 50, 75], 0)
        st = s.stop()
        assert s.lines() == docs
        expect(st, events=100, duplicates=0)

    def t_reject_first_connections(self):
        s = self.server("--reject-first-connections", "2")
        for _ in range(2):
            try:
                with s.client() as c:
                    c.send_window(make_docs(10))
                raise AssertionError("rejected connection acked a window")
            except (ServerClosed, ConnectionError):
                pass
        with s.client() as c:
            assert c.send_window(make_docs(10)) == ([10], 0)
        st = s.stop()
        expect(st, connections=3, connections_rejected=2, events=10)

    def t_garbage(self):
        s = self.server("--garbage")
        docs = make_docs(100)
        with s.client() as c:
            try:
                c.send_window(docs)
                raise AssertionError("got an ack")
            except BadAck:
                pass
        assert s.lines() == []
        with s.client() as c:
            assert c.send_window(docs) == ([100], 0)
        st = s.stop()
        expect(st, events=100, faults_garbage=1, windows=2, windows_acked=1)

    def t_ack_flood(self):
        s = self.server("--flood-acks", "0.3", "--flood-batch", "16")
        with s.client() as c:
            t0 = time.monotonic()
            acks, keepalives = c.send_window(make_docs(10))
            assert acks == [10] and keepalives > 100, (acks, keepalives)
            assert time.monotonic() - t0 >= 0.25
            # The flood is over: the next window is acked as usual.
            assert c.send_window(make_docs(10, start=10)) == ([10], 0)
        st = s.stop()
        expect(st, events=20, faults_ack_flood=1, flood_started=1, flood_over=1)
        assert st["flood_acks_sent"] == keepalives, (st["flood_acks_sent"], keepalives)

    def t_close_idle(self):
        s = self.server("--close-idle", "0.5")
        with s.client() as c:
            assert c.send_window(make_docs(5)) == ([5], 0)
            t0 = time.monotonic()
            closed_by_server(lambda: c.recv_exact(1), "server sent data")
            assert 0.4 <= time.monotonic() - t0 < 3
        st = s.stop()
        expect(st, idle_closes=1, events=5)

    def t_protocol_errors(self):
        s = self.server()
        doc = make_docs(1)[0]
        cases = {
            "version 1": b"1W" + U32.pack(1),
            "v1 data frame": b"2W" + U32.pack(1) + b"2D" + U32x2.pack(1, 1)
            + U32.pack(1) + b"k" + U32.pack(1) + b"v",
            "unknown type": b"2W" + U32.pack(1) + b"2X" + U32.pack(1),
            "HTTP": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "json without window": json_frames([doc]),
            "more events than window": b"2W" + U32.pack(1) + json_frames([doc, doc]),
            "bad json": b"2W" + U32.pack(1) + json_frames([b'{"a":']),
            "json array": b"2W" + U32.pack(1) + json_frames([b"[1,2]"]),
            "NaN": b"2W" + U32.pack(1) + json_frames([b'{"a":NaN}']),
            "bad utf-8": b"2W" + U32.pack(1) + json_frames([b'{"a":"\xff"}']),
            "bad zlib": b"2W" + U32.pack(1) + b"2C" + U32.pack(5) + b"hello",
            "partial frame in zlib": b"2W" + U32.pack(1)
            + compressed_frame(json_frames([doc])[:-3], 3),
            "window in zlib": b"2W" + U32.pack(1) + compressed_frame(b"2W" + U32.pack(1), 3),
            "huge frame": b"2W" + U32.pack(1) + b"2J" + U32x2.pack(1, 0xFFFFFFFF),
        }
        for name, data in cases.items():
            with s.client() as c:
                c.send_raw(data)
                got = []
                try:
                    while True:
                        got.append(c.recv_exact(6))
                except ServerClosed:
                    pass
                # the first window is complete before the extra event comes
                want = [b"2A" + U32.pack(1)] if name == "more events than window" else []
                assert got == want, f"{name}: got {got!r}"
        st = s.stop()
        expect(st, protocol_errors=len(cases), events=1, acks_sent=1)
        assert s.lines() == [doc]

    def t_window_restart_and_seq_warnings(self):
        # A new window before the last one is full: Logstash acks what it has.
        s = self.server()
        docs = make_docs(8)
        with s.client() as c:
            c.send_raw(b"2W" + U32.pack(10) + json_frames(docs[:5]))
            c.send_raw(b"2W" + U32.pack(3) + json_frames(docs[5:]))
            assert c.recv_exact(6) == b"2A" + U32.pack(5)
            assert c.recv_exact(6) == b"2A" + U32.pack(3)
            # seq 7 after 5: counted as a warning, still acked with the last
            c.send_raw(b"2W" + U32.pack(2) + json_frames([docs[0]], 5)
                       + json_frames([docs[1]], 7))
            assert c.await_acks(7) == ([7], 0)
        st = s.stop()
        expect(st, window_restarts=1, sequence_warnings=1, events=10, duplicates=2)

    def t_duplicates(self):
        s = self.server()
        docs = make_docs(100)
        no_id = [b'{"auditd":{"sequence":%d},"a":1,"a":2}' % i for i in range(10)]
        with s.client() as c:
            c.send_window(docs)
            c.send_window(docs)
            c.send_window(no_id)
            c.send_window(no_id[:5] + [b'{"x":1}'])
        st = s.stop()
        expect(st, events=216, duplicates=105, events_without_id=1, json_duplicate_keys=15)
        assert len(s.lines()) == 216

    def t_concurrent(self):
        s = self.server()
        errors = []

        def run(k):
            try:
                with s.client() as c:
                    for w in range(5):
                        assert c.send_window(make_docs(200, w * 200, f"t{k}")) == ([200], 0)
            except Exception as e:
                errors.append(e)

        threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        st = s.stop()
        expect(st, connections=4, events=4000, windows=20, duplicates=0)
        assert len(set(s.lines())) == 4000

    def t_sigusr1_stats(self):
        s = self.server()
        with s.client() as c:
            c.send_window(make_docs(7))
            s.p.send_signal(signal.SIGUSR1)
            for _ in range(50):
                if os.path.exists(s.stats_path):
                    break
                time.sleep(0.1)
            expect(s.stats(), events=7, connections_open=1)
        s.stop()

    def t_max_events(self):
        s = self.server("--max-events", "500")
        with s.client() as c:
            c.send_window(make_docs(250))
            c.send_window(make_docs(250, 250))
        s.p.wait(10)  # exits by itself
        st = s.stop()
        expect(st, events=500)
        assert len(s.lines()) == 500

    def t_sigterm_while_holding_ack(self):
        s = self.server("--slow", "60", "--keepalive-every", "5")
        c = s.client()
        c.send_raw(window_bytes(make_docs(20)))
        time.sleep(0.3)
        t0 = time.monotonic()
        st = s.stop()
        assert time.monotonic() - t0 < 3
        closed_by_server(lambda: c.await_acks(20), "acked")
        c.close()
        expect(st, events=0, events_received=20, windows=1)
        assert s.lines() == []

    def t_count_only(self):
        s = self.server("--count-only", out=False)
        with s.client() as c:
            for w in range(20):
                c.send_window(make_docs(2048, w * 2048), level=3)
        st = s.stop()
        expect(st, events=40960, windows=20, acks_sent=20, compressed_frames=20)

    # -- TLS --

    def tls_server(self, *args, cert="server"):
        return self.server("--tls-cert", self.cert(cert + ".pem"),
                           "--tls-key", self.cert(cert + ".key"), *args)

    def t_tls(self):
        s = self.tls_server()
        ctx = client_tls_context(self.cert("ca.pem"))
        with s.client(ssl_context=ctx) as c:  # by IP: SAN IP:127.0.0.1
            assert c.send_window(make_docs(50)) == ([50], 0)
            assert c.sock.version() == "TLSv1.3"
        with s.client(ssl_context=ctx, server_hostname="localhost") as c:
            assert c.send_window(make_docs(50, 50)) == ([50], 0)
        st = s.stop()
        expect(st, events=100, connections=2)
        assert st["tls_versions"] == {"TLSv1.3": 2}

    def t_tls_faults_and_shutdown(self):
        s = self.tls_server("--close-mid-window", "10", "--close-idle", "0.5")
        ctx = client_tls_context(self.cert("ca.pem"))
        with s.client(ssl_context=ctx) as c:
            closed_by_server(lambda: c.send_window(make_docs(20)), "acked")
        with s.client(ssl_context=ctx) as c:
            assert c.send_window(make_docs(20)) == ([20], 0)
            # idle: the server closes
            closed_by_server(lambda: c.recv_exact(1), "server sent data")
        idle = s.client(ssl_context=ctx)  # open at shutdown, and one that
        raw = socket.create_connection(("127.0.0.1", s.port))  # never says hello
        time.sleep(0.2)
        t0 = time.monotonic()
        st = s.stop()
        assert time.monotonic() - t0 < 3
        idle.close()
        raw.close()
        expect(st, events=20, faults_close_mid_window=1, idle_closes=1, connections=4)

    def t_tls_bad_server_certs(self):
        ctx = client_tls_context(self.cert("ca.pem"))
        for cert, why in (("expired", "expired"), ("wrongname", "mismatch"),
                          ("untrusted", "unable to get local issuer")):
            s = self.tls_server(cert=cert)
            try:
                s.client(ssl_context=ctx).close()
                raise AssertionError(f"{cert}.pem was accepted")
            except ssl.SSLCertVerificationError as e:
                assert why in str(e), f"{cert}: {e}"
            s.wait_log("TLS handshake failed")
            st = s.stop()
            expect(st, tls_handshake_failures=1, events=0)

    def t_tls_versions(self):
        s = self.tls_server("--tls-max-version", "1.2")
        with s.client(ssl_context=client_tls_context(self.cert("ca.pem"))) as c:
            assert c.sock.version() == "TLSv1.2"
            assert c.send_window(make_docs(5)) == ([5], 0)
        st = s.stop()
        assert st["tls_versions"] == {"TLSv1.2": 1}
        s = self.tls_server("--tls-min-version", "1.3")
        try:
            s.client(ssl_context=client_tls_context(self.cert("ca.pem"), max_version="1.2"))
            raise AssertionError("TLS 1.2 client accepted")
        except ssl.SSLError:
            pass
        s.wait_log("TLS handshake failed")
        expect(s.stop(), tls_handshake_failures=1)

    def t_mtls(self):
        s = self.tls_server("--tls-ca", self.cert("ca.pem"), "--require-client-cert")
        ca = self.cert("ca.pem")
        for key, pw in (("client.key", None), ("client-traditional.key", None),
                        ("client-encrypted.key", "test-passphrase")):
            ctx = client_tls_context(ca, self.cert("client.pem"), self.cert(key), pw)
            with s.client(ssl_context=ctx) as c:
                assert c.send_window(make_docs(10)) == ([10], 0), key
        for ctx in (client_tls_context(ca),  # no client certificate
                    client_tls_context(ca, self.cert("untrusted-client.pem"),
                                       self.cert("untrusted-client.key"))):
            # TLS 1.3: the client's handshake completes before the server
            # checks the certificate; the refusal arrives as an alert on the
            # first read.  So try a whole window.
            try:
                with s.client(ssl_context=ctx) as c:
                    c.send_window(make_docs(10))
                raise AssertionError("client without a valid certificate was acked")
            except (ssl.SSLError, ServerClosed, ConnectionError):
                pass
        s.wait_log("TLS handshake failed", 2)
        st = s.stop()
        expect(st, events=30, tls_handshake_failures=2)
        # With a CA but without --require-client-cert, a certificate is optional.
        s = self.tls_server("--tls-ca", ca)
        with s.client(ssl_context=client_tls_context(ca)) as c:
            assert c.send_window(make_docs(3)) == ([3], 0)
        with s.client(ssl_context=client_tls_context(
                ca, self.cert("client.pem"), self.cert("client.key"))) as c:
            assert c.send_window(make_docs(3)) == ([3], 0)
        expect(s.stop(), events=6)

    def t_mtls_tls12(self):
        # TLS 1.2: the refusal comes during the handshake itself.
        s = self.tls_server("--tls-ca", self.cert("ca.pem"), "--require-client-cert",
                            "--tls-max-version", "1.2")
        try:
            s.client(ssl_context=client_tls_context(self.cert("ca.pem"))).close()
            raise AssertionError("handshake without a client certificate succeeded")
        except ssl.SSLError:
            pass
        s.wait_log("TLS handshake failed")
        expect(s.stop(), tls_handshake_failures=1)


def expect(stats, **want):
    bad = {k: (stats.get(k), v) for k, v in want.items() if stats.get(k) != v}
    assert not bad, "stats (got, want): " + ", ".join(f"{k}={g}/{w}" for k, (g, w) in bad.items())


def closed_by_server(call, otherwise):
    """call() must end with the server closing the connection: the
    ServerClosed it raised.  otherwise says what happened if it did not."""
    try:
        call()
    except ServerClosed as e:
        return e
    raise AssertionError(otherwise)


def cmd_selftest(o):
    with tempfile.TemporaryDirectory(prefix="lj-selftest-") as tmp:
        t = SelfTest(tmp, o.verbose)
        tests = [getattr(t, n) for n in dir(SelfTest) if n.startswith("t_")]
        if o.only:
            tests = [f for f in tests if any(w in f.__name__ for w in o.only)]
        t.run(tests)
        print(f"{t.passed} passed, {t.failed} failed")
        return 1 if t.failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send", help="send events, report events/s")
    s.add_argument("--connect", required=True, metavar="HOST:PORT")
    s.add_argument("--events", type=int, default=200000)
    s.add_argument("--window", type=int, default=2048)
    s.add_argument("--compress", type=int, default=3, metavar="LEVEL", help="0 = none")
    s.add_argument("--doc-bytes", type=int, default=300, help="size of generated documents")
    s.add_argument("--docs", metavar="NDJSON", help="send these documents (cycled) instead")
    s.add_argument("--precompress", action="store_true",
                   help="build 4 windows, then resend them: measures the server")
    s.add_argument("--connections", type=int, default=1)
    s.add_argument("--tls", action="store_true")
    s.add_argument("--ca", help="verify the server with this CA (else no verification)")
    s.add_argument("--cert")
    s.add_argument("--key")
    s.add_argument("--key-password")
    s.add_argument("--server-name")
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    t = sub.add_parser("selftest", help="test lumberjack_server.py in every mode")
    t.add_argument("only", nargs="*", help="run only tests whose name contains one of these")
    t.add_argument("-v", "--verbose", action="store_true", help="print server logs")
    o = p.parse_args()
    return cmd_send(o) if o.cmd == "send" else cmd_selftest(o)


if __name__ == "__main__":
    sys.exit(main())
