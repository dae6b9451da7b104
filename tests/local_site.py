"""A real HTTP server on 127.0.0.1 in a thread, for the import-by-URL and feed tests."""

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Site:
    """Routes path -> (status, headers, body), or "hang" for a server that never answers."""

    def __init__(self, port: int):
        self.port = port
        self.routes: dict = {}
        self.hits: list[tuple[str, str]] = []
        self.release = threading.Event()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def page(self, path: str, body: bytes, content_type="text/html; charset=utf-8", **headers):
        self.routes[path] = (200, {"Content-Type": content_type, **headers}, body)


def guard_loopback(monkeypatch) -> None:
    """A safety net, not a stand-in: if a check let a private address through, the test fails
    here instead of sending a packet off this machine."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "::1"), f"tried to connect to {address[0]}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@contextmanager
def serve(settings):
    """Serve a Site; loopback fetching is allowed for the test (ARTICLE_FETCH_ALLOW_LOOPBACK)."""
    settings.ARTICLE_FETCH_ALLOW_LOOPBACK = True
    settings.ARTICLE_FETCH_TIMEOUT = 5
    holder: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            current = holder["site"]
            current.hits.append((self.path, self.headers.get("Host", "")))
            route = current.routes.get(self.path)
            if route == "hang":
                current.release.wait(30)
                return
            if route is None:
                route = (404, {"Content-Type": "text/plain"}, b"not here")
            status, headers, body = route
            self.send_response(status)
            for name, value in headers.items():
                if not name.startswith("_"):
                    self.send_header(name, value)
            if "Content-Length" not in headers and not headers.get("_stream"):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["site"] = Site(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["site"]
    finally:
        holder["site"].release.set()
        server.shutdown()
        server.server_close()
        thread.join()
