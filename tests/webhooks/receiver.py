"""A real HTTP receiver on 127.0.0.1 for the webhook tests: records every request and answers as told."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """`answers` are taken one per request ("ok", "error", "redirect", "gone", "hang"); then `default`."""

    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    default: str = "ok"
    hang_seconds: float = 2.0

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"


def start() -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            answer = receiver.answers.pop(0) if receiver.answers else receiver.default
            if answer == "hang":
                time.sleep(receiver.hang_seconds)
            status = {"ok": 200, "error": 500, "redirect": 302, "gone": 410, "hang": 200}[answer]
            self.send_response(status)
            if answer == "redirect":
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            text = f"answer {answer}".encode()
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, format: str, *args: object) -> None:  # quiet in test output
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
