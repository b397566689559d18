"""A throwaway HTTP server on 127.0.0.1 for the tests (nothing in the suite reaches further)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: ``{path: (status, content type, body)}``
Routes = Mapping[str, tuple[int, str, bytes]]


@contextmanager
def serve(routes: Routes) -> Iterator[str]:
    """Serve ``routes`` (anything else is a 404) and yield the base URL, ``http://127.0.0.1:N``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code, kind, body = routes.get(self.path, (404, "text/plain", b"missing"))
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
