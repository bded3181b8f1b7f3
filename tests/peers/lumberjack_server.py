#!/usr/bin/env python3
"""Lumberjack v2 ("beats") test server: a stand-in for Logstash's beats input.

It speaks the protocol as logstash-input-beats and go-lumber's v2 server do,
and can misbehave on purpose so the audisp-ecs Logstash output can be tested
against slow, partial, lost and broken acknowledgements.

Wire format (every frame starts with the version byte '2' and a type byte;
integers are unsigned 32-bit big-endian):
    '2' 'W' window          the client will send `window` events, then wait
    '2' 'J' seq len json    one event, a JSON object of `len` bytes
    '2' 'C' len zlib        zlib stream of `len` bytes holding whole frames
    '2' 'A' seq             (server -> client) all events up to seq received;
                            seq 0 is a keep-alive ("still working on it")
Anything else - version '1', v1 'D' key/value frames, unknown types, frames
outside a window, more events than the window announced, bad JSON - is a
protocol error: it is logged, counted, and the connection is closed without
an ack (as both Logstash and go-lumber close on a decoding error).

Events go to --out only when they are acknowledged: the lines are written
and flushed before the ack is sent, so the file holds exactly what was acked.

Python 3.11 standard library only.  See README.md beside this file.
"""

import argparse
import json
import logging
import selectors
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import zlib

from peer_common import (add_tls_version_arguments, atomic_write, check_not_negative,
                         check_tls_arguments, handle_signals, setup_logging,
                         tls_server_context)

log = logging.getLogger("lumberjack_server")

VERSION = 0x32  # '2'
T_WINDOW, T_JSON, T_COMPRESSED, T_ACK, T_DATA = (ord(c) for c in "WJCAD")
U32 = struct.Struct(">I")
U32x2 = struct.Struct(">II")
# What --garbage sends instead of an ack: 6 bytes, like an ack, but neither
# the version nor the type is right, so a client reading one ack sees garbage.
GARBAGE = b"9Z\xde\xad\xbe\xef"
MAX_NESTING = 4  # compressed frames inside compressed frames (never in practice)


class ProtocolError(Exception):
    """The peer broke the protocol; the connection is closed without an ack."""


class CloseConnection(Exception):
    """Close the connection on purpose (injected fault, idle, shutdown)."""


class PeerClosed(Exception):
    """The client closed its side."""


def ack_frame(seq):
    return b"2A" + U32.pack(seq)


# ---------------------------------------------------------------------------
# shared state


class Stats:
    """Counters for --stats; one lock, short critical sections."""

    FIELDS = (
        "connections",            # TCP connections accepted (all)
        "connections_rejected",   # closed at once by --reject-first-connections
        "tls_handshake_failures",
        "windows",                # windows received completely
        "windows_acked",          # ... and acknowledged (not so after --garbage)
        "events_received",        # events decoded from the wire
        "events",                 # events acknowledged (= lines in --out)
        "payload_bytes",          # JSON bytes of the events received
        "bytes_received",         # bytes on the wire (inside TLS)
        "acks_sent",              # acks with seq > 0 (partial ones included)
        "partial_acks",           # acks before the end of a window
        "keepalives_sent",        # ACK 0 sent while --slow
        "compressed_frames",
        "duplicates",             # acked events whose id was acked before
        "events_without_id",      # neither event.id nor auditd.sequence
        "sequence_warnings",      # seq not previous+1 within a window, or 0
        "json_duplicate_keys",    # JSON objects with a key twice (ES refuses them)
        "window_restarts",        # a new window before the last one was full
        "protocol_errors",
        "faults_close_mid_window",
        "faults_garbage",
        "idle_closes",
        "faults_ack_flood",       # windows answered with a flood of ACK 0
        "flood_acks_sent",        # ACK 0 frames of those floods
    )

    def __init__(self):
        self.lock = threading.Lock()
        self.c = dict.fromkeys(self.FIELDS, 0)
        self.tls_versions = {}
        self.connections_open = 0
        self.started = time.monotonic()
        self.flood_end = None   # --flood-acks: when the flood period ends

    def add(self, field, n=1):
        with self.lock:
            self.c[field] += n

    def snapshot(self):
        with self.lock:
            d = dict(self.c)
            d["connections_open"] = self.connections_open
            d["tls_versions"] = dict(self.tls_versions)
            flood_end = self.flood_end
        d["elapsed_seconds"] = round(time.monotonic() - self.started, 3)
        # --flood-acks: 1 once the flood period began, and once it is over.
        d["flood_started"] = int(flood_end is not None)
        d["flood_over"] = int(flood_end is not None and time.monotonic() >= flood_end)
        # CPU of the whole server process: lets a benchmark tell whether the
        # server or the client was the bottleneck.
        d["cpu_seconds"] = round(time.process_time(), 3)
        return d

    def write(self, path):
        data = json.dumps(self.snapshot(), indent=2, sort_keys=True) + "\n"
        atomic_write(path, data.encode())


class Sink:
    """The --out file and duplicate detection, shared by all connections."""

    def __init__(self, path, stats):
        self.f = open(path, "a", encoding="utf-8") if path else None
        self.stats = stats
        self.seen = set()
        self.lock = threading.Lock()

    @staticmethod
    def event_key(doc):
        # event.id is the deterministic id audisp-ecs gives each audit event;
        # without it, auditd.sequence (the kernel serial) is the next best.
        ev = doc.get("event")
        if isinstance(ev, dict) and ev.get("id") is not None:
            return ("event.id", str(ev["id"]))
        ad = doc.get("auditd")
        if isinstance(ad, dict) and ad.get("sequence") is not None:
            return ("auditd.sequence", str(ad["sequence"]))
        return None

    def commit(self, events):
        """Record acked events; events are (seq, line, doc) from Connection."""
        dups = noid = 0
        with self.lock:
            for _seq, _line, doc in events:
                key = self.event_key(doc)
                if key is None:
                    noid += 1
                elif key in self.seen:
                    dups += 1
                else:
                    self.seen.add(key)
            if self.f:
                self.f.write("".join(line for _seq, line, _doc in events))
                self.f.flush()
        with self.stats.lock:
            self.stats.c["events"] += len(events)
            self.stats.c["duplicates"] += dups
            self.stats.c["events_without_id"] += noid

    def close(self):
        with self.lock:
            if self.f:
                self.f.close()
                self.f = None


class Faults:
    """One-shot faults (or repeated ones with --repeat-faults), server-wide."""

    def __init__(self, repeat):
        self.repeat = repeat
        self.fired = set()
        self.lock = threading.Lock()

    def take(self, name):
        with self.lock:
            if name in self.fired and not self.repeat:
                return False
            self.fired.add(name)
            return True


# ---------------------------------------------------------------------------
# one connection


class Reader:
    """Exact-size reads from a (TLS) socket with a big receive buffer."""

    CHUNK = 256 * 1024

    def __init__(self, sock, stats):
        self.sock = sock
        self.stats = stats
        self.buf = bytearray()
        self.pos = 0

    def read(self, n, at_boundary=False):
        """n bytes; PeerClosed on EOF (ProtocolError if inside a frame)."""
        while len(self.buf) - self.pos < n:
            if self.pos:
                del self.buf[: self.pos]
                self.pos = 0
            try:
                chunk = self.sock.recv(max(self.CHUNK, n - len(self.buf)))
            except socket.timeout:
                raise CloseConnection("idle") from None
            except ssl.SSLError as e:
                # e.g. the client sent a TLS alert or the record layer broke
                raise PeerClosed(f"TLS error: {e}") from None
            except OSError as e:
                raise PeerClosed(str(e)) from None
            if not chunk:
                if at_boundary and not self.buf:
                    raise PeerClosed("closed by client")
                raise PeerClosed(f"closed by client inside a frame "
                                 f"({len(self.buf)} of {n} bytes)")
            self.stats.add("bytes_received", len(chunk))
            self.buf += chunk
        data = bytes(self.buf[self.pos: self.pos + n])
        self.pos += n
        return data


class Connection:
    def __init__(self, server, sock, addr):
        self.srv = server
        self.opt = server.opt
        self.stats = server.stats
        self.sock = sock
        self.name = f"{addr[0]}:{addr[1]}"
        self.window = None      # announced size of the open window, or None
        self.received = 0       # events of the open window received
        self.pending = []       # received, not yet acked: (seq, line, doc)
        self.npending = 0       # the same, as a count, with --count-only
        self.last_seq = None
        self.conn_events = 0
        self.conn_windows = 0
        self.dup_key_warned = False

    # -- I/O --------------------------------------------------------------

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise PeerClosed(f"send failed: {e}") from None

    def run(self):
        reason = "closed"
        try:
            if self.srv.tls_ctx is not None:
                self.handshake()
            if self.opt.close_idle:
                self.sock.settimeout(self.opt.close_idle)
            else:
                self.sock.settimeout(None)
            self.read_frames(Reader(self.sock, self.stats))
        except ProtocolError as e:
            self.stats.add("protocol_errors")
            reason = f"protocol error: {e}"
        except CloseConnection as e:
            reason = str(e)
            if reason == "idle":
                self.stats.add("idle_closes")
                reason = f"idle for {self.opt.close_idle} s, closing (as Logstash does)"
        except PeerClosed as e:
            reason = "server shutting down" if self.srv.stopping.is_set() else str(e)
        except Exception as e:  # a bug here must not kill the server
            log.exception("%s: unexpected error", self.name)
            reason = f"internal error: {e!r}"
        finally:
            unacked = len(self.pending) + self.npending
            if unacked or self.window is not None:
                reason += (f"; window of {self.window}: {self.received} events "
                           f"received, {unacked} of them not acked")
            self.close()
            log.info("%s: connection ends (%d events acked in %d windows): %s",
                     self.name, self.conn_events, self.conn_windows, reason)

    def handshake(self):
        """TLS handshake in this thread, so a slow client blocks no one."""
        self.sock.settimeout(10)
        try:
            self.sock.do_handshake()
        except (ssl.SSLError, OSError) as e:
            if not self.srv.stopping.is_set():
                self.stats.add("tls_handshake_failures")
            raise PeerClosed(f"TLS handshake failed: {e}") from None
        version = self.sock.version()
        with self.stats.lock:
            self.stats.tls_versions[version] = self.stats.tls_versions.get(version, 0) + 1
        peer = self.sock.getpeercert()
        subject = ""
        if peer:
            subject = ", client " + ",".join(
                f"{k}={v}" for rdn in peer.get("subject", ()) for k, v in rdn)
        log.info("%s: TLS %s %s%s", self.name, version, self.sock.cipher()[0], subject)

    def close(self):
        self.srv.forget(self)
        try:
            # shutdown on the plain socket: sends FIN at once even if another
            # reference to the fd exists, and never blocks on TLS close_notify
            socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def abort(self):
        """Called from the main thread at shutdown: wake a blocked recv/send."""
        try:
            socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
        except OSError:
            pass

    # -- frames -----------------------------------------------------------

    def read_frames(self, r):
        max_payload = self.opt.max_payload
        while True:
            ver, typ = r.read(2, at_boundary=True)
            if ver != VERSION:
                if ver == ord("1"):
                    raise ProtocolError("lumberjack v1 frame (version '1'); only v2 is supported")
                raise ProtocolError(f"bad version byte 0x{ver:02x} (frame type 0x{typ:02x})")
            if typ == T_WINDOW:
                (size,) = U32.unpack(r.read(4))
                self.on_window(size)
            elif typ == T_JSON:
                seq, length = U32x2.unpack(r.read(8))
                if length > max_payload:
                    raise ProtocolError(f"JSON frame of {length} bytes (limit {max_payload})")
                self.on_event(seq, r.read(length))
            elif typ == T_COMPRESSED:
                (length,) = U32.unpack(r.read(4))
                if length > max_payload:
                    raise ProtocolError(f"compressed frame of {length} bytes (limit {max_payload})")
                self.on_compressed(r.read(length), 1)
            elif typ == T_DATA:
                raise ProtocolError("v1 data frame ('D', key/value); only JSON frames are supported")
            else:
                raise ProtocolError(f"unknown frame type 0x{typ:02x}")

    def on_compressed(self, data, depth):
        self.stats.add("compressed_frames")
        max_payload = self.opt.max_payload
        d = zlib.decompressobj()
        try:
            block = d.decompress(data, max_payload + 1)
        except zlib.error as e:
            raise ProtocolError(f"bad zlib data in compressed frame: {e}") from None
        if len(block) > max_payload:
            raise ProtocolError(f"compressed frame inflates past {max_payload} bytes")
        if not d.eof:
            raise ProtocolError("compressed frame ends before its zlib stream does")
        if d.unused_data:
            raise ProtocolError(f"{len(d.unused_data)} bytes after the zlib stream "
                                "in compressed frame")
        # The inflated block must hold whole frames (PROTOCOL.md).  Logstash
        # would accept a window frame in here too, go-lumber would not; no
        # beats client puts one there, so it is an error here.
        off, n = 0, len(block)
        while off < n:
            if n - off < 2:
                raise ProtocolError("partial frame at the end of a compressed frame")
            ver, typ = block[off], block[off + 1]
            if ver != VERSION:
                raise ProtocolError(f"bad version byte 0x{ver:02x} inside compressed frame")
            if typ == T_JSON:
                if n - off < 10:
                    raise ProtocolError("partial JSON frame header in compressed frame")
                seq, length = U32x2.unpack_from(block, off + 2)
                start = off + 10
                off = start + length
                if off > n:
                    raise ProtocolError("partial JSON frame at the end of a compressed frame")
                self.on_event(seq, block[start:off])
            elif typ == T_COMPRESSED:
                if depth >= MAX_NESTING:
                    raise ProtocolError("compressed frames nested too deep")
                if n - off < 6:
                    raise ProtocolError("partial compressed frame header in compressed frame")
                (length,) = U32.unpack_from(block, off + 2)
                start = off + 6
                off = start + length
                if off > n:
                    raise ProtocolError("partial compressed frame in compressed frame")
                self.on_compressed(block[start:off], depth + 1)
            elif typ == T_WINDOW:
                raise ProtocolError("window frame inside a compressed frame")
            else:
                raise ProtocolError(f"frame type 0x{typ:02x} inside compressed frame")

    # -- windows, events, acks ---------------------------------------------

    def on_window(self, size):
        if self.window is not None and self.received:
            # Logstash hands the partial batch on (and acks it) with a warning.
            log.warning("%s: new window (%d) after %d of %d events; acking those",
                        self.name, size, self.received, self.window)
            self.stats.add("window_restarts")
            self.ack(self.last_seq)
        if size == 0:
            # libbeat never sends it; Logstash ignores it, go-lumber skips it.
            log.warning("%s: window of size 0 ignored", self.name)
            self.window = None
            return
        log.debug("%s: window of %d", self.name, size)
        self.window = size
        self.received = 0
        self.last_seq = None

    def on_event(self, seq, payload):
        if self.window is None:
            raise ProtocolError(f"data frame (seq {seq}) without an open window "
                                "(no window frame, or more events than it announced)")
        if self.last_seq is not None and seq != (self.last_seq + 1) & 0xFFFFFFFF:
            self.stats.add("sequence_warnings")
            log.warning("%s: seq %d follows %d", self.name, seq, self.last_seq)
        elif seq == 0:
            # An ack for seq 0 would read as a keep-alive: beats start at 1.
            self.stats.add("sequence_warnings")
            log.warning("%s: event with seq 0", self.name)
        self.last_seq = seq
        self.received += 1
        with self.stats.lock:
            self.stats.c["events_received"] += 1
            self.stats.c["payload_bytes"] += len(payload)

        if self.opt.count_only:
            self.npending += 1      # fast path: no decoding, nothing kept
        else:
            doc = self.decode(seq, payload)   # validates: to_line trusts it
            self.pending.append((seq, self.to_line(payload), doc))

        if (self.opt.close_mid_window and self.received == self.opt.close_mid_window
                and self.srv.faults.take("close_mid_window")):
            self.stats.add("faults_close_mid_window")
            raise CloseConnection(f"fault: closing after {self.received} events "
                                  f"of a window of {self.window}, without an ack")

        if self.received == self.window:
            self.end_window()
        elif self.opt.partial_acks and self.received % self.opt.partial_acks == 0:
            self.ack(seq, partial=True)

    def decode(self, seq, payload):
        try:
            # Strict UTF-8 (what Logstash's parser expects); NaN/Infinity are
            # not JSON and Jackson refuses them by default.
            doc = json.loads(payload.decode("utf-8"), parse_constant=self.bad_constant,
                             object_pairs_hook=self.check_pairs)
        except (UnicodeDecodeError, ValueError) as e:
            raise ProtocolError(f"event seq {seq}: not valid JSON: {e}") from None
        if not isinstance(doc, dict):
            raise ProtocolError(f"event seq {seq}: JSON is a {type(doc).__name__}, not an object")
        return doc

    @staticmethod
    def bad_constant(name):
        raise ValueError(f"{name} is not JSON")

    def check_pairs(self, pairs):
        d = dict(pairs)
        if len(d) != len(pairs):
            # Logstash keeps the last value; Elasticsearch refuses the document.
            self.stats.add("json_duplicate_keys")
            if not self.dup_key_warned:
                self.dup_key_warned = True
                keys = [k for k, _ in pairs]
                log.warning("%s: duplicate keys in a JSON object: %s", self.name,
                            sorted({k for k in keys if keys.count(k) > 1}))
        return d

    @staticmethod
    def to_line(payload):
        # The document as sent, one line.  JSON may only have line breaks as
        # whitespace; then it is re-serialised compactly.
        if b"\n" in payload or b"\r" in payload:
            return json.dumps(json.loads(payload), ensure_ascii=False,
                              separators=(",", ":")) + "\n"
        return payload.decode("utf-8") + "\n"

    def end_window(self):
        self.stats.add("windows")
        self.conn_windows += 1
        if self.opt.slow:
            self.wait_slow()
        if self.opt.flood_acks:
            self.flood()
        if self.opt.garbage and self.srv.faults.take("garbage"):
            self.stats.add("faults_garbage")
            log.info("%s: fault: sending garbage instead of the ack for seq %d",
                     self.name, self.last_seq)
            self.delay()
            self.send(GARBAGE)
            self.pending, self.npending = [], 0   # never acked, never written
        else:
            self.ack(self.last_seq)
            self.stats.add("windows_acked")
        self.window = None

    def wait_slow(self):
        """A busy pipeline: hold the ack, sending ACK 0 every --keepalive-every
        seconds meanwhile (Logstash sends one after 5 s without writing while
        a batch of the connection is still being processed)."""
        now = time.monotonic()
        end = now + self.opt.slow
        every = self.opt.keepalive_every
        next_ka = now + every if every else float("inf")
        while now < end:
            if now >= next_ka:
                self.send(ack_frame(0))
                self.stats.add("keepalives_sent")
                log.debug("%s: keep-alive ACK 0", self.name)
                next_ka += every
            elif self.srv.stopping.wait(min(end, next_ka) - now):
                raise CloseConnection("server shutting down")
            now = time.monotonic()

    def flood(self):
        """A misbehaving peer: for --flood-acks seconds from the first window
        that is complete, answer every complete window with ACK 0 frames as
        fast as the connection takes them, --flood-batch frames per write,
        instead of its ack; a window whose connection outlives the flood is
        acked as usual afterwards."""
        end = self.srv.flood_period()
        if time.monotonic() >= end:
            return
        self.stats.add("faults_ack_flood")
        log.info("%s: fault: flooding ACK 0 instead of the ack for seq %d "
                 "for %.1f s", self.name, self.last_seq, end - time.monotonic())
        burst = ack_frame(0) * self.opt.flood_batch
        sent = 0
        try:
            while time.monotonic() < end:
                if self.srv.stopping.is_set():
                    raise CloseConnection("server shutting down")
                for _ in range(64):
                    self.send(burst)
                    sent += self.opt.flood_batch
        finally:
            self.stats.add("flood_acks_sent", sent)
        log.info("%s: flood over after %d ACK 0 frames", self.name, sent)

    def delay(self):
        if self.opt.delay_ack and self.srv.stopping.wait(self.opt.delay_ack):
            raise CloseConnection("server shutting down")

    def ack(self, seq, partial=False):
        """Write the pending events up to seq, then ack seq."""
        self.delay()
        if self.srv.stopping.is_set():
            raise CloseConnection("server shutting down")
        # Everything received so far is covered: seqs only grow in a window.
        if self.opt.count_only:
            n, self.npending = self.npending, 0
            self.stats.add("events", n)
        else:
            done, self.pending = self.pending, []
            n = len(done)
            self.srv.sink.commit(done)
        self.send(ack_frame(seq))
        with self.stats.lock:
            self.stats.c["acks_sent"] += 1
            if partial:
                self.stats.c["partial_acks"] += 1
        self.conn_events += n
        log.debug("%s: ACK %d%s (%d events)", self.name, seq,
                  " (partial)" if partial else "", n)
        self.srv.acked(n)


# ---------------------------------------------------------------------------
# the server


class Server:
    def __init__(self, opt):
        self.opt = opt
        self.stats = Stats()
        self.sink = Sink(opt.out, self.stats)
        self.faults = Faults(opt.repeat_faults)
        self.stopping = threading.Event()
        self.conns = set()
        self.threads = []
        self.lock = threading.Lock()
        self.acked_total = 0
        self.accepted = 0
        self.usr1 = False
        # Logstash's ssl_client_authentication: "required" vs "optional"
        self.tls_ctx = tls_server_context(opt, opt.require_client_cert) \
            if opt.tls_cert else None
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_w.setblocking(False)

    def wake(self):
        try:
            self.wake_w.send(b"x")
        except OSError:
            pass

    def stop(self, why):
        if not self.stopping.is_set():
            log.info("stopping: %s", why)
            self.stopping.set()
        self.wake()

    def forget(self, conn):
        with self.lock:
            self.conns.discard(conn)
        with self.stats.lock:
            self.stats.connections_open -= 1

    def flood_period(self):
        """The end of the --flood-acks period, which begins at the first call."""
        with self.stats.lock:
            if self.stats.flood_end is None:
                self.stats.flood_end = time.monotonic() + self.opt.flood_acks
            return self.stats.flood_end

    def acked(self, n):
        if not self.opt.max_events:
            return
        with self.lock:
            self.acked_total += n
            done = self.acked_total >= self.opt.max_events
        if done:
            self.stop(f"{self.acked_total} events acked (--max-events {self.opt.max_events})")

    def listen(self):
        host, _, port = self.opt.listen.rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
        family, type_, proto, _, addr = socket.getaddrinfo(
            host, int(port), type=socket.SOCK_STREAM)[0]
        ls = socket.socket(family, type_, proto)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(addr)
        ls.listen(128)
        ls.setblocking(False)
        self.listener = ls
        port = ls.getsockname()[1]
        log.info("listening on %s port %d%s", host, port,
                 " (TLS)" if self.tls_ctx else "")
        # The line tests wait for: they learn the ephemeral port from it.
        print(f"LISTENING {port}", flush=True)

    def accept(self):
        try:
            sock, addr = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        sock.setblocking(True)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.accepted += 1
        self.stats.add("connections")
        if self.accepted <= self.opt.reject_first_connections:
            self.stats.add("connections_rejected")
            log.info("%s:%d: fault: rejecting connection %d of the first %d",
                     addr[0], addr[1], self.accepted, self.opt.reject_first_connections)
            sock.close()
            return
        log.info("%s:%d: connection accepted", addr[0], addr[1])
        if self.tls_ctx is not None:
            sock = self.tls_ctx.wrap_socket(sock, server_side=True,
                                            do_handshake_on_connect=False)
        conn = Connection(self, sock, addr)
        with self.lock:
            self.conns.add(conn)
        with self.stats.lock:
            self.stats.connections_open += 1
        t = threading.Thread(target=conn.run, name=f"conn-{conn.name}", daemon=True)
        self.threads = [x for x in self.threads if x.is_alive()]
        self.threads.append(t)
        t.start()

    def write_stats(self):
        if self.opt.stats:
            self.stats.write(self.opt.stats)
        else:
            log.info("stats: %s", json.dumps(self.stats.snapshot(), sort_keys=True))

    def serve(self):
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ, "accept")
        sel.register(self.wake_r, selectors.EVENT_READ, "wake")
        while not self.stopping.is_set():
            for key, _ in sel.select():
                if key.data == "accept":
                    self.accept()
                else:
                    self.wake_r.recv(4096)
            if self.usr1:
                self.usr1 = False
                self.write_stats()
        sel.close()
        # Shutdown: no new connections, wake every connection thread, let
        # them finish (a thread in the middle of writing a window finishes
        # that write under the sink lock), then close the file and write
        # the stats last so they count everything.
        self.listener.close()
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            c.abort()
        deadline = time.monotonic() + 5
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self.sink.close()
        self.write_stats()


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Lumberjack v2 (beats) test server; see tests/peers/README.md")
    p.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT",
                   help="address to listen on; port 0 = ephemeral (default %(default)s)")
    p.add_argument("--out", metavar="FILE", help="append each acked event as one JSON line")
    p.add_argument("--stats", metavar="FILE", help="JSON summary on exit and on SIGUSR1")
    p.add_argument("--count-only", action="store_true",
                   help="do not decode or store events, only count them (benchmarks)")
    p.add_argument("--max-events", type=int, default=0, metavar="N",
                   help="exit once N events have been acked")
    p.add_argument("--max-payload", type=int, default=64 << 20, metavar="BYTES",
                   help="largest JSON / compressed frame, and inflated size (default 64 MiB)")
    g = p.add_argument_group("TLS")
    g.add_argument("--tls-cert", metavar="PEM", help="server certificate (enables TLS)")
    g.add_argument("--tls-key", metavar="PEM", help="server key")
    g.add_argument("--tls-ca", metavar="PEM",
                   help="CA for client certificates (verified when one is sent)")
    g.add_argument("--require-client-cert", action="store_true",
                   help="mutual TLS: refuse clients without a valid certificate")
    add_tls_version_arguments(g)
    g = p.add_argument_group("acknowledgements")
    g.add_argument("--partial-acks", type=int, default=0, metavar="N",
                   help="ack every N events of a window, then at its end")
    g.add_argument("--slow", type=float, default=0, metavar="SECONDS",
                   help="hold each window's final ack this long")
    g.add_argument("--keepalive-every", type=float, default=0, metavar="SECONDS",
                   help="while --slow holds an ack, send ACK 0 this often")
    g.add_argument("--delay-ack", type=float, default=0, metavar="SECONDS",
                   help="wait this long before every ack")
    g = p.add_argument_group("faults")
    g.add_argument("--close-mid-window", type=int, default=0, metavar="N",
                   help="close the connection, unacked, after N events of a window")
    g.add_argument("--garbage", action="store_true",
                   help="send garbage instead of a window's ack")
    g.add_argument("--flood-acks", type=float, default=0, metavar="SECONDS",
                   help="for SECONDS from the first complete window, answer "
                        "windows with a stream of ACK 0 instead of their ack")
    g.add_argument("--flood-batch", type=int, default=1, metavar="N",
                   help="with --flood-acks: ACK 0 frames per write (default 1)")
    g.add_argument("--repeat-faults", action="store_true",
                   help="--close-mid-window/--garbage every time, not only once")
    g.add_argument("--close-idle", type=float, default=0, metavar="SECONDS",
                   help="close connections that sent nothing for this long")
    g.add_argument("--reject-first-connections", type=int, default=0, metavar="K",
                   help="accept and close at once the first K connections")
    p.add_argument("-v", "--verbose", action="store_true", help="log every window and ack")
    p.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    o = p.parse_args(argv)
    check_tls_arguments(p, o, o.require_client_cert)
    if o.require_client_cert and not o.tls_ca:
        p.error("--require-client-cert needs --tls-ca")
    if o.keepalive_every and not o.slow:
        p.error("--keepalive-every needs --slow (keep-alives are sent while an ack is held)")
    if o.count_only and o.out:
        p.error("--count-only stores nothing: drop --out")
    if o.flood_batch < 1:
        p.error("--flood-batch must be at least 1")
    check_not_negative(p, o, ("partial_acks", "max_events", "close_mid_window",
                              "reject_first_connections", "max_payload"))
    return o


def main(argv=None):
    opt = parse_args(argv)
    setup_logging(opt, "lumberjack_server")
    try:
        srv = Server(opt)
    except (OSError, ssl.SSLError, ValueError) as e:
        log.error("cannot start: %s", e)
        return 1

    def on_term(signum, _frame):
        srv.stop(signal.Signals(signum).name)

    def on_usr1(_signum, _frame):
        srv.usr1 = True
        srv.wake()

    handle_signals(on_term, on_usr1)
    try:
        srv.listen()
    except (OSError, ValueError) as e:
        log.error("cannot listen on %s: %s", opt.listen, e)
        return 1
    srv.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
