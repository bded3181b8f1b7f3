"""What the two test servers, es_server.py and lumberjack_server.py, share:
their TLS context, their logging, checks of their options, and writing
their files.

Python 3.11 standard library only.  See README.md beside this file.
"""

import logging
import os
import signal
import ssl
import sys

TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def add_tls_version_arguments(group):
    """--tls-min-version and --tls-max-version."""
    group.add_argument("--tls-min-version", choices=tuple(TLS_VERSIONS))
    group.add_argument("--tls-max-version", choices=tuple(TLS_VERSIONS))


def check_tls_arguments(parser, o, *more_tls_options):
    """--tls-cert and --tls-key go together, and every other TLS option
    (the versions, --tls-ca and more_tls_options) needs them."""
    if bool(o.tls_cert) != bool(o.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if (o.tls_ca or o.tls_min_version or o.tls_max_version or any(more_tls_options)) \
            and not o.tls_cert:
        parser.error("TLS options need --tls-cert and --tls-key")


def check_not_negative(parser, o, names):
    for name in names:
        if getattr(o, name) < 0:
            parser.error(f"--{name.replace('_', '-')} must not be negative")


def tls_server_context(o, client_cert_required):
    """A server context from --tls-cert, --tls-key, the versions and
    --tls-ca; with a CA, client certificates are verified, and required
    or only verified when sent."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(o.tls_cert, o.tls_key)
    if o.tls_min_version:
        ctx.minimum_version = TLS_VERSIONS[o.tls_min_version]
    if o.tls_max_version:
        ctx.maximum_version = TLS_VERSIONS[o.tls_max_version]
    if o.tls_ca:
        ctx.load_verify_locations(o.tls_ca)
        ctx.verify_mode = ssl.CERT_REQUIRED if client_cert_required else ssl.CERT_OPTIONAL
    return ctx


def setup_logging(o, name):
    """Log to stderr as name[pid]: everything with -v, warnings and
    errors only with -q, else from info up."""
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if o.verbose else logging.WARNING if o.quiet else logging.INFO,
        format=f"%(asctime)s {name}[%(process)d]: %(message)s")


def handle_signals(on_term, on_usr1):
    """SIGTERM and SIGINT stop, SIGUSR1 writes the files.  To be called
    before LISTENING is printed: a test may signal as soon as it reads it."""
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGUSR1, on_usr1)


def atomic_write(path, data):
    """Write the bytes data to path, then rename, so a test never reads
    half a file."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
