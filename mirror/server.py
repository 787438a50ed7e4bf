"""The mirror's HTTP server: serves the four sites on 127.0.0.1 by the real host a request names.

The host is taken from ``X-Mirror-Host`` (punycode or Unicode), else from ``Host`` when it is a
mirrored host, else from an absolute-form request line (``GET http://polisia.kz/ru/ HTTP/1.1``).
``X-Mirror-Scheme: http`` gets a 301 to https, as the real sites do.

Usable from tests::

    with MirrorServer() as mirror:
        urlopen(Request(mirror.url + "/ru/feed/", headers={"X-Mirror-Host": "polisia.kz"}))
        assert mirror.count(host="polisia.kz") == 1

Internal endpoints (any host, never logged, never faulted): ``GET /__mirror__/health``,
``GET /__mirror__/log``, ``POST /__mirror__/reset`` (clears the log), ``GET|POST /__mirror__/faults``
(POST a JSON object pattern -> fault to replace the faults), ``GET /__mirror__/manifest``.
"""

from __future__ import annotations

import json
import logging
import random
import re
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import mirror.catalog as catalog
from mirror.fault_bodies import (
    CUT_OFF_SHARE,
    STALE_FEED_KEEP,
    empty_feed,
    entity_bomb,
    gone_page,
    mislabel,
    offsite_location,
    stale_feed,
)
from mirror.faults import Fault, FaultTable
from mirror.messages import Request, Response, redirect, text_response
from mirror.model import Article
from mirror.redesign import redesigned
from mirror.regions import with_regions
from mirror.site import Site
from mirror.sites import SITE_CLASSES

log = logging.getLogger("mirror.server")

_CHALLENGE = (Path(__file__).resolve().parent / "templates" / "challenge.html").read_text("utf-8")


def normalize_host(value: str | None) -> str:
    """``Polisia.KZ:443`` -> ``polisia.kz``; ``22.мвд.рф`` -> ``22.xn--b1aew.xn--p1ai``."""
    host = (value or "").strip().rstrip(".")
    if host.startswith("["):
        return host.lower()
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if not host.isascii():
        try:  # http.server decodes header bytes as latin-1; undo that for UTF-8 senders
            host = host.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host.lower()


@dataclass
class LogEntry:
    """One request as the mirror saw it (``status`` None while in flight, 0 for a reset/no answer;
    ``duration_s`` is the time until the answer started)."""

    host: str
    path: str
    status: int | None
    method: str
    time: float
    user_agent: str
    duration_s: float | None = None


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    mirror: MirrorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out or hang up are part of the game (slow, reset); stay quiet.
        log.debug("connection error from %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end after this
    server: _HTTPServer

    def do_GET(self) -> None:  # noqa: N802
        self.server.mirror._serve(self, head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.mirror._serve(self, head=True)

    def do_POST(self) -> None:  # noqa: N802
        self.server.mirror._serve(self, head=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.mirror.verbose:
            log.info("%s %s", self.address_string(), format % args)


class MirrorServer:
    """The mirror of the monitored sites, served from a background thread."""

    def __init__(self, port: int = 0, latency_s: float = 0.0, synthetic: int = 0,
                 faults: Mapping[str, str] | None = None, *, seed: int = 0, bind: str = "127.0.0.1",
                 verbose: bool = False, fresh: int = 0, redesign: bool = False, regions: int = 0,
                 region_codes: Sequence[str] | None = None) -> None:
        """``fresh``: articles per site published after all the others, as a site publishes
        between two crawls (see :func:`mirror.synthetic.generate_fresh`). ``redesign``: serve
        every HTML page in other markup (:mod:`mirror.redesign`). ``regions``: serve мвд.рф's
        main host and a regional host for each of ``region_codes`` (default: every configured
        region), each with this many synthetic articles (:mod:`mirror.regions`)."""
        self.requested_port = port
        self.latency_s = latency_s
        self.synthetic = synthetic
        self.fresh = fresh
        self.redesign = redesign
        self.seed = seed
        self.bind = bind
        self.verbose = verbose
        self.articles: list[Article] = catalog.articles(synthetic, seed, fresh)
        classes: Sequence[type[Site]] = SITE_CLASSES
        if regions > 0:
            classes, self.articles = with_regions(SITE_CLASSES, self.articles, regions, region_codes, seed)
        self.sites: list[Site] = [cls(self.articles) for cls in classes]
        self._by_host = {host: site for site in self.sites for host in site.hosts}
        self._faults = FaultTable(faults)
        self._lock = threading.Lock()
        self._log: list[LogEntry] = []
        self._errors: list[str] = []
        self._stop = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> MirrorServer:
        if self._httpd is not None:
            return self
        self._stop.clear()
        httpd = _HTTPServer((self.bind, self.requested_port), _Handler)
        httpd.mirror = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"mirror:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("mirror not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.bind}:{self.port}"

    # --- access log ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[tuple[str, str, int | None]]:
        """``(host, path_with_query, status)`` per request in arrival order (a snapshot)."""
        with self._lock:
            return [(e.host, e.path, e.status) for e in self._log]

    def log_entries(self) -> list[LogEntry]:
        with self._lock:
            return [replace(e) for e in self._log]

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    def count(self, host: str | None = None, path_prefix: str | None = None) -> int:
        """Requests so far, optionally only for one host and/or a path prefix."""
        want = normalize_host(host) if host else None
        with self._lock:
            return sum(1 for e in self._log
                       if (want is None or e.host == want)
                       and (path_prefix is None or e.path.startswith(path_prefix)))

    @property
    def errors(self) -> list[str]:
        """Tracebacks of requests the mirror itself failed on (a bug in a site or template)."""
        with self._lock:
            return list(self._errors)

    # --- faults -------------------------------------------------------------------------------

    def set_faults(self, faults: Mapping[str, str] | None) -> None:
        """Replace the fault rules (pattern -> fault; see :mod:`mirror.faults`)."""
        self._faults.set(faults or {})

    @property
    def faults(self) -> dict[str, str]:
        return self._faults.as_dict()

    # --- request handling ---------------------------------------------------------------------

    def _resolve(self, h: _Handler) -> tuple[str, str, str, str]:
        target = h.path
        line_host = None
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            line_host = parts.hostname
            path, query = parts.path or "/", parts.query
        else:
            path, _, query = target.partition("?")
            path = path.split("#", 1)[0]
        if not path.isascii():  # raw UTF-8 in the request line: percent-encode it as a browser would
            path = quote(path.encode("latin-1", "replace"), safe="/%:@!$&'()*+,;=-._~")
        header = h.headers.get("X-Mirror-Host")
        host_header = normalize_host(h.headers.get("Host"))
        if header:
            host = normalize_host(header)
        elif host_header in self._by_host:
            host = host_header
        elif line_host:
            host = normalize_host(line_host)
        else:
            host = host_header
        # The request-line scheme is ignored: a proxy-style client asks for http:// URLs of https sites.
        scheme = (h.headers.get("X-Mirror-Scheme") or "https").strip().lower()
        return host, path, query, scheme

    def _serve(self, h: _Handler, head: bool) -> None:
        started = time.monotonic()
        host, path, query, scheme = self._resolve(h)
        if path.startswith("/__mirror__/"):
            self._send(h, self._internal(h, path), head)
            return
        entry = LogEntry(host, path + ("?" + query if query else ""), None, h.command, time.time(),
                         h.headers.get("User-Agent", ""))
        with self._lock:
            self._log.append(entry)
        try:
            self._answer(h, head, Request(h.command, host, path, query, scheme, dict(h.headers)),
                         lambda status: self._record(entry, status, started))
        except (ConnectionError, TimeoutError):
            if entry.status is None:
                self._record(entry, 0, started)

    def _record(self, entry: LogEntry, status: int, started: float) -> None:
        """Log the status before the answer leaves, so a client never sees an answer the log lacks."""
        with self._lock:
            entry.status = status
            entry.duration_s = time.monotonic() - started

    def _answer(self, h: _Handler, head: bool, req: Request, record: Callable[[int], None]) -> None:
        if self.latency_s > 0 and self._stop.wait(self.latency_s):
            record(0)
            self._reset(h)
            return
        fault = self._faults.match(req.host, req.path_with_query)
        if fault is not None:
            if fault.kind == "reset":
                record(0)
                self._reset(h)
                return
            if fault.kind == "slow":
                if self._stop.wait(fault.params["seconds"]):
                    record(0)
                    self._reset(h)
                    return
            elif fault.kind not in _REWRITES:
                resp = self._fault_response(fault, req)
                record(resp.status)
                self._send(h, resp, head)
                return
        resp = self._normal(req)
        cut = None
        if fault is not None:
            if fault.kind in ("truncated", "cut-off"):
                cut = fault.kind
            elif fault.kind == "stale-feed":
                resp = stale_feed(resp, int(fault.params.get("keep", STALE_FEED_KEEP)))
            elif fault.kind in _REWRITES:
                resp = mislabel(resp, fault.kind)
        record(resp.status)
        self._send(h, resp, head, cut=cut)

    def _normal(self, req: Request) -> Response:
        site = self._by_host.get(req.host)
        if site is None:
            known = ", ".join(sorted(self._by_host))
            return text_response(f"mirror: no site for host {req.host!r}; known hosts: {known}\n", 404)
        if req.scheme == "http":
            return redirect(f"https://{req.host}{req.path_with_query}")
        if req.method not in ("GET", "HEAD"):
            return text_response("Method Not Allowed\n", 405, headers=[("Allow", "GET, HEAD")])
        try:
            if req.upath == "/robots.txt":
                return text_response(site.robots_txt(req.host, self._faults.robots_disallows(req.host)))
            answer = site.handle(req)
            return redesigned(answer) if self.redesign else answer
        except Exception:  # a bug in a site or template: answer 500 and keep the traceback
            tb = traceback.format_exc()
            log.error("mirror failed on %s: %s", req.absolute_url(), tb)
            with self._lock:
                self._errors.append(f"{req.absolute_url()}\n{tb}")
            return text_response("mirror internal error\n", 500)

    def _fault_response(self, fault: Fault, req: Request) -> Response:
        kind = fault.kind
        if kind in ("500", "503-burst", "404"):
            status = {"500": 500, "503-burst": 503, "404": 404}[kind]
            return _nginx_page(status)
        if kind == "429":
            resp = _nginx_page(429)
            resp.headers.append(("Retry-After", str(int(fault.params["retry_after"]))))
            return resp
        if kind == "empty":
            return Response(200, b"")
        if kind == "410":
            return gone_page()
        if kind == "empty-feed":
            return empty_feed(req)
        if kind == "entity-bomb":
            return entity_bomb()
        if kind == "offsite-redirect":
            return redirect(offsite_location(req), 302)
        if kind == "huge":
            length, chunks = _huge_body(fault.params["mb"])
            return Response(200, chunks, length=length)
        if kind == "redirect-loop":
            return redirect(req.absolute_url(), 302)
        if kind == "garbage":
            rnd = random.Random(req.host + req.path_with_query)
            return Response(200, rnd.randbytes(2048 + rnd.randrange(8192)))
        if kind == "challenge":
            token = f"{random.Random(req.path).getrandbits(64):016x}"
            return Response(200, _CHALLENGE.replace("{{TOKEN}}", token).encode(),
                            headers=[("Set-Cookie", f"__challenge_id={token}; Path=/; HttpOnly"),
                                     ("Cache-Control", "no-store")])
        raise AssertionError(kind)

    def _internal(self, h: _Handler, path: str) -> Response:
        def as_json(data: Any, status: int = 200) -> Response:
            return Response(status, json.dumps(data, ensure_ascii=False, indent=1).encode(),
                            "application/json; charset=utf-8")

        name = path[len("/__mirror__/"):].strip("/")
        if name == "health":
            return as_json({"status": "ok", "articles": len(self.articles), "synthetic": self.synthetic,
                            "fresh": self.fresh,
                            "hosts": sorted(self._by_host), "faults": self.faults})
        if name == "log":
            return as_json({"requests": [asdict(e) for e in self.log_entries()]})
        if name == "reset" and h.command == "POST":
            self.reset_log()
            return as_json({"status": "ok"})
        if name == "manifest":
            return as_json({"articles": [a.manifest_entry() for a in self.articles]})
        if name == "faults":
            if h.command == "POST":
                try:
                    length = int(h.headers.get("Content-Length") or 0)
                    data = json.loads(h.rfile.read(length) or b"{}")
                    if not isinstance(data, dict):
                        raise ValueError("expected a JSON object pattern -> fault")
                    self.set_faults({str(k): str(v) for k, v in data.items()})
                except (ValueError, re.error) as exc:
                    return as_json({"error": str(exc)}, 400)
            return as_json(self.faults)
        return as_json({"error": f"unknown endpoint {path}"}, 404)

    # --- writing ------------------------------------------------------------------------------

    def _send(self, h: _Handler, resp: Response, head: bool, cut: str | None = None) -> None:
        """Send ``resp``; ``cut``: ``truncated`` sends half the body under the full
        Content-Length, ``cut-off`` part of it with no Content-Length, then closes."""
        h.send_response(resp.status)
        if resp.content_type:
            h.send_header("Content-Type", resp.content_type)
        if cut != "cut-off":
            h.send_header("Content-Length", str(resp.content_length()))
        for key, value in resp.headers:
            h.send_header(key, value)
        if cut:
            h.send_header("Connection", "close")
        h.end_headers()
        if head:
            return
        if cut:
            data = resp.body_bytes()
            share = 0.5 if cut == "truncated" else CUT_OFF_SHARE
            h.wfile.write(data[: int(len(data) * share)])
            h.close_connection = True
            return
        if isinstance(resp.body, bytes):
            h.wfile.write(resp.body)
        else:
            for chunk in resp.body:
                h.wfile.write(chunk)

    @staticmethod
    def _reset(h: _Handler) -> None:
        """Drop the connection with a TCP RST and no answer."""
        h.close_connection = True
        try:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        h.rfile.close()
        h.connection.close()


_REWRITES = ("truncated", "cut-off", "cp1251-as-utf8", "utf8-as-cp1251", "koi8r-as-cp1251", "stale-feed")
"""Faults that answer the normal page, rewritten or cut."""


def _nginx_page(status: int) -> Response:
    reason = {404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
              503: "Service Temporarily Unavailable"}[status]
    body = (f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
            f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n")
    return Response(status, body.encode(), "text/html")


def _huge_body(mb: float) -> tuple[int, Iterator[bytes]]:
    total = max(1024, int(mb * 1024 * 1024))
    head = ('<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
            "<title>Архив новостей</title></head><body>\n").encode()
    tail = b"</body></html>\n"
    para = ("<p>Сотрудники полиции провели профилактическое мероприятие и напомнили гражданам "
            "о правилах безопасности. Информация обновляется ежедневно.</p>\n").encode()
    middle = total - len(head) - len(tail)
    block = para * max(1, 65536 // len(para))

    def chunks() -> Iterator[bytes]:
        yield head
        left = middle
        while left >= len(block):
            yield block
            left -= len(block)
        n = left // len(para)
        yield para * n + b" " * (left - n * len(para))
        yield tail

    return total, chunks()
