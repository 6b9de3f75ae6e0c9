"""A chat server of the tests' own: an HTTP receiver on 127.0.0.1 that answers each request as
its script says (200, a 500, a 429 with Retry-After, or silence past the client's timeout),
and keeps what it acknowledged."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, port: int = 0):
        self.script: list = []
        self.acknowledged: list[dict] = []
        self.requests = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with receiver.lock:
                    receiver.requests += 1
                    step = receiver.script.pop(0) if receiver.script else "ok"
                if step == "hang":
                    time.sleep(receiver.hang_seconds)
                    return  # never answers within the client's patience
                status, headers = (200, {}) if step == "ok" else step
                if status == 200:
                    with receiver.lock:
                        receiver.acknowledged.append(
                            {"path": self.path, "headers": dict(self.headers), "json": body}
                        )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            do_POST = do_PUT = _answer

            def log_message(self, *args):
                pass

        self.hang_seconds = 3.0
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
