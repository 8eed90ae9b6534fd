"""The replica portal over HTTP: a threaded loopback server, its start API and its command line.

    with start_replica(n=240, seed=1) as replica:
        crawl(replica.listing_url); replica.edit(); replica.fail(paths=[...], times=2)

    python scripts/replica/server.py --port 0 --n 240 --seed 1   # prints "REPLICA http://127.0.0.1:PORT/Pressemeldungen"
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import signal
import socket
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

if not __package__:  # run as a script: make the package importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from replica import control  # noqa: E402
from replica.content import PRESS, Portal  # noqa: E402
from replica.site import Page, Site, assemble  # noqa: E402
from replica.state import Faults, Rule, SiteState, Stats  # noqa: E402

LOOPBACK = "127.0.0.1"
_HOST_OK = re.compile(r"^[A-Za-z0-9.\-\[\]:]{1,100}$")
UNAVAILABLE = (b"<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Wartungsarbeiten</title>"
               b"</head><body><h1>Der Dienst ist vor\xc3\xbcbergehend nicht erreichbar.</h1></body></html>\n")
BOMB_SIZE = 16 * 1024 * 1024  # inflated: beyond any crawler's download limit (Scrapy's default is 1 GB; ours 10 MB)
# About 3.3 M characters of text after the article: a page beyond the parser's 3 M character cap.
PADDING = ("<div class=\"archiv\">" + ("<p>" + "Weitere Meldungen aus dem Archiv der Stadt. " * 70 + "</p>\n") * 1050
           + "</div>").encode()
_BOMB: list[bytes] = []
_TEXT_BOX = re.compile(rb'(<div class="richtext">).*?(<p>\([^<]*\)</p>)', re.DOTALL)  # text up to the date line
COOKIES = (b'<p>Wir verwenden Cookies. <a href="/Datenschutz">Einstellungen</a> <a href="/Datenschutz#ok">'
           b'Alle akzeptieren</a></p>')


class Handler(BaseHTTPRequestHandler):
    """Hands every request to the Replica; keep-alive, no logging."""

    protocol_version = "HTTP/1.1"
    server_version = "BochumPortalReplica/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end eventually

    def setup(self) -> None:
        super().setup()
        # small answers must not wait for delayed ACKs (Nagle): 40 ms per page otherwise
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        """Silent: a crawl of thousands of pages must not fill stderr."""

    def do_GET(self) -> None:  # noqa: N802
        self.server.replica.serve(self, head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.replica.serve(self, head=True)

    def do_POST(self) -> None:  # noqa: N802
        self.server.replica.control(self, "POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self.server.replica.control(self, "DELETE")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for idle keep-alive connections

    def __init__(self, address, replica: "Replica"):
        self.replica = replica
        self.open: set = set()
        self.open_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request(self, request, client_address):
        with self.open_lock:
            self.open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.open_lock:
            self.open.discard(request)
        super().shutdown_request(request)

    def close_all(self) -> None:
        """End every open connection (for stop())."""
        with self.open_lock:
            sockets, self.open = list(self.open), set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Replica:
    """A replica portal served on 127.0.0.1 from a background thread."""

    def __init__(self, portal: Portal, port: int = 0):
        self.portal, self.state = portal, SiteState()
        self.faults, self.stats_ = Faults(), Stats()
        self.site = Site(portal, self.state)
        self.httpd = _Server((LOOPBACK, port), self)
        self.thread: threading.Thread | None = None

    # Lifecycle ---------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self.httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def listing_url(self) -> str:
        """The start URL for a crawl: http://127.0.0.1:PORT/Pressemeldungen"""
        return self.base_url + PRESS

    def url(self, path: str) -> str:
        """An absolute URL on this replica."""
        return self.base_url + path

    def start(self) -> "Replica":
        """Serve from a daemon thread."""
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       name=f"replica:{self.port}", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every connection."""
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread = None
        self.httpd.close_all()
        self.httpd.server_close()

    def __enter__(self) -> "Replica":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # Content states ----------------------------------------------------------------------------------

    def edit(self, path: str | None = None) -> str:
        """Change words in one paragraph of a release; its ETag changes. Returns its path."""
        return self.portal.edit_body(path).path

    def correct_headline(self, path: str | None = None) -> str:
        """Correct a release's headline (URL unchanged). Returns its path."""
        return self.portal.correct_headline(path).path

    def withdraw(self, path: str | None = None, status: int = 410) -> str:
        """Withdraw a release: 410 (or 404), gone from listing and teasers. Returns its path."""
        return self.portal.withdraw(path, status).path

    def soft_404(self, path: str | None = None) -> str:
        """Withdraw a release the sloppy way: status 200 with the "Seite nicht gefunden" page. Returns its path."""
        return self.portal.withdraw(path, 404, soft=True).path

    def restore(self, path: str | None = None) -> str:
        """Bring a withdrawn release back. Returns its path."""
        return self.portal.restore(path).path

    def add_release(self, published: str | None = None) -> str:
        """Publish a new release on top of the listing. Returns its path."""
        return self.portal.add_release(published).path

    def reshuffle_chrome(self) -> int:
        """New chrome on every page (teasers, sprite/nav order, whitespace, wrappers); text unchanged."""
        return self.state.reshuffle()

    def set_mode(self, **modes: str) -> None:
        """markup='portal'|'fallback', etag='content'|'chrome'|'random'|'none', listing='normal'|'empty'."""
        self.state.set(**modes)

    def reset(self) -> None:
        """Initial content and modes; faults cleared (counters kept)."""
        self.portal.reset()
        self.state.reset()
        self.faults.clear()

    def truth(self, path: str) -> dict | None:
        """Ground truth of the release at any spelling of path."""
        return self.portal.truth(path)

    # Faults ------------------------------------------------------------------------------------------

    def _keys(self, paths) -> list[str] | None:
        return [self.site.route(p).key for p in paths] if paths else None

    def fail(self, paths=None, fraction=None, kinds=None, times=1, status=503):
        """Answer `status` (503) to the first `times` requests of each selected path (None: all paths)."""
        return self.faults.add("503", self._keys(paths), fraction, kinds, times, status=status)

    def drop(self, paths=None, fraction=None, kinds=None, times=1):
        """Close the connection without an answer, the first `times` requests of each selected path."""
        return self.faults.add("drop", self._keys(paths), fraction, kinds, times)

    def slow(self, seconds: float, paths=None, fraction=None, kinds=None, times=None):
        """Wait `seconds` before answering (every time unless `times`)."""
        return self.faults.add("slow", self._keys(paths), fraction, kinds, times, seconds)

    def redirect(self, location: str, paths=None, fraction=None, kinds=None, times=None, status: int = 301):
        """Answer a redirect to `location` (every time unless `times`); `location` = the path itself: a loop.

        status 200: a page whose <meta http-equiv="refresh"> leads there."""
        return self.faults.add("redirect", self._keys(paths), fraction, kinds, times, status=status, location=location)

    def gzip_bomb(self, paths=None, fraction=None, kinds=None, times=None):
        """Answer a small gzip body that inflates to 16 MB (every time unless `times`)."""
        return self.faults.add("gzipbomb", self._keys(paths), fraction, kinds, times)

    def cookie_wall(self, paths=None, fraction=None, kinds=None, times=None):
        """Answer the page with only a cookie notice in its text box (every time unless `times`)."""
        return self.faults.add("cookiewall", self._keys(paths), fraction, kinds, times)

    def huge(self, paths=None, fraction=None, kinds=None, times=None):
        """Answer the page padded beyond 3 M characters after the article (every time unless `times`)."""
        return self.faults.add("huge", self._keys(paths), fraction, kinds, times)

    def down(self, on: bool = True) -> None:
        """Answer 503 to everything (control endpoints excepted)."""
        self.faults.down = on

    def clear_faults(self) -> None:
        """No more faults."""
        self.faults.clear()

    # Counters ----------------------------------------------------------------------------------------

    def count(self, kind: str | None = None, outcome: str = "200") -> int:
        """Responses by kind (listing, article, intern, service, robots, asset, home, other) and outcome
        ('200' = body sent, 'head', '304', '404', '410', '503', 'drop')."""
        return self.stats_.count(kind, outcome)

    def path_count(self, path: str, outcome: str | None = None):
        """Outcomes for one path (any spelling); one outcome's count if given."""
        counts = self.stats_.path(self.site.route(path).key)
        return counts if outcome is None else counts.get(outcome, 0)

    def requests(self) -> list[tuple[str, str, str]]:
        """Every answer since the last reset, in order: (kind, canonical key, outcome)."""
        with self.stats_.lock:
            return list(self.stats_.order)

    def stats(self) -> dict:
        """All counters as JSON."""
        return self.stats_.snapshot()

    def reset_stats(self) -> None:
        """Forget all counts."""
        with self.stats_.lock:
            self.stats_.reset()

    # Serving -----------------------------------------------------------------------------------------

    def control(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        """The /_replica/ endpoints (never faulted, never counted)."""
        if not handler.path.startswith(control.PREFIX):
            return self._send(handler, 405, "text/plain; charset=utf-8", b"method not allowed\n", False)
        status, payload = control.handle(self, method, handler)
        body = json.dumps(payload, ensure_ascii=False).encode()
        self._send(handler, status, "application/json; charset=utf-8", body, False)

    def serve(self, handler: BaseHTTPRequestHandler, head: bool) -> None:
        """Answer one GET or HEAD: faults first, then the page, a 304 or an error."""
        if handler.path.startswith(control.PREFIX):
            return self.control(handler, "GET")
        route = self.site.route(handler.path)
        self.stats_.record_agent(handler.headers.get("User-Agent") or "")
        wait, action = self.faults.decide(route.key, route.kind)
        if wait:
            time.sleep(wait)
        if action == "drop":
            return self._drop(handler, route)
        if isinstance(action, Rule):
            return self._fault_answer(handler, route, action, head)
        if action is not None:
            self.stats_.record(route.kind, route.key, str(action))
            return self._send(handler, action, "text/html; charset=utf-8", UNAVAILABLE, head)
        page = self.site.render(route)
        if page.status == 200 and self._not_modified(handler, page):
            self.stats_.record(route.kind, route.key, "304")
            return self._send(handler, 304, None, b"", True, self._validator_headers(page.etag, page.modified))
        self._answer(handler, route, page, head)

    def _answer(self, handler, route, page: Page, head: bool) -> None:
        body = assemble(page.parts, self._values(handler))
        etag, modified = page.etag, page.modified
        if route.kind == "article" and page.status == 200 and self.state.etag == "random":
            etag, modified = '"' + hashlib.sha1(body).hexdigest()[:20] + '"', time.time()
        outcome = ("head" if head else "200") if page.status == 200 else str(page.status)
        self.stats_.record(route.kind, route.key, outcome)
        self._send(handler, page.status, page.ctype, body, head, self._validator_headers(etag, modified))

    def _fault_answer(self, handler, route, rule: Rule, head: bool) -> None:
        """A redirect, a gzip bomb or an over-size page instead of the page itself."""
        self.stats_.record(route.kind, route.key, rule.fault)
        if rule.fault == "redirect" and rule.status == 200:  # status 200: a <meta http-equiv="refresh">
            page = f'<html><head><meta http-equiv="refresh" content="0; url={rule.location}"></head><body></body></html>'
            return self._send(handler, 200, "text/html; charset=utf-8", page.encode(), head)
        if rule.fault == "redirect":
            return self._send(handler, rule.status, "text/html; charset=utf-8", b"", head, [("Location", rule.location)])
        if rule.fault == "gzipbomb":
            if not _BOMB:
                _BOMB.append(gzip.compress(b" " * BOMB_SIZE, 9))
            return self._send(handler, 200, "text/html; charset=utf-8", _BOMB[0], head, [("Content-Encoding", "gzip")])
        body = assemble(self.site.render(route).parts, self._values(handler))
        if rule.fault == "cookiewall":
            body = _TEXT_BOX.sub(lambda m: m.group(1) + COOKIES + m.group(2), body, count=1)
        else:
            body = body.replace(b"</body>", PADDING + b"</body>", 1)
        self._send(handler, 200, "text/html; charset=utf-8", body, head)

    def _values(self, handler) -> dict:
        host = handler.headers.get("Host", "")
        host = host if _HOST_OK.match(host) else f"{LOOPBACK}:{self.port}"
        return {"c": str(1000 + int.from_bytes(os.urandom(2), "big") % 9000).encode(),
                "t": os.urandom(16).hex().encode(), "h": f"http://{host}".encode()}

    @staticmethod
    def _validator_headers(etag: str | None, modified: float | None) -> list:
        headers = [("ETag", etag)] if etag else []
        return headers + ([("Last-Modified", formatdate(modified, usegmt=True))] if modified else [])

    @staticmethod
    def _not_modified(handler, page: Page) -> bool:
        """RFC 9110: If-None-Match decides when present; else If-Modified-Since against Last-Modified."""
        tags = handler.headers.get("If-None-Match")
        if tags is not None:
            wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
            return page.etag is not None and ("*" in wanted or page.etag in wanted)
        since = handler.headers.get("If-Modified-Since")
        if not since or page.modified is None:
            return False
        try:
            return int(page.modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _drop(self, handler, route) -> None:
        self.stats_.record(route.kind, route.key, "drop")
        handler.close_connection = True
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    @staticmethod
    def _send(handler, status: int, ctype: str | None, body: bytes, head: bool, headers: list = ()) -> None:
        handler.send_response(status)
        if ctype:
            handler.send_header("Content-Type", ctype)
        for name, value in headers:
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        # headers and body in one write: one packet sequence, no wait for the peer's ACK in between
        handler._headers_buffer.append(b"\r\n" + (b"" if head or status == 304 else body))
        handler.flush_headers()


def start_replica(n: int = 240, seed: int = 1, port: int = 0, **portal_options) -> Replica:
    """Generate a portal and serve it on 127.0.0.1 in a background thread (port 0: any free port)."""
    return Replica(Portal(n=n, seed=seed, **portal_options), port).start()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the replica of the Bochum press portal on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--n", type=int, default=240, help="number of releases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port-file", help="also write the port to this file")
    parser.add_argument("--state", help='JSON as for POST /_replica/state, e.g. \'{"markup": "fallback"}\'')
    parser.add_argument("--faults", help="JSON as for POST /_replica/faults")
    return parser.parse_args(argv)


def _announce(replica: Replica, port_file: str | None) -> None:
    if port_file:
        tmp = f"{port_file}.tmp"
        with open(tmp, "w") as fh:
            fh.write(f"{replica.port}\n")
        os.replace(tmp, port_file)  # readers never see a half-written file
    print(f"REPLICA {replica.listing_url}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Command line: serve until killed; print one line 'REPLICA <listing URL>' when ready."""
    args = _arguments(argv)
    replica = start_replica(n=args.n, seed=args.seed, port=args.port)
    try:
        for endpoint, spec in (("state", args.state), ("faults", args.faults)):
            if spec:
                control.apply(replica, endpoint, json.loads(spec))
        _announce(replica, args.port_file)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        replica.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
