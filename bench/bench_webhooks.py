"""Webhook latency: from a write's commit to its delivery arriving at a receiver on this
machine, with the default (immediate) task backend.

    .venv/bin/python bench/bench_webhooks.py                  # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_webhooks.py

Each of 200 rounds creates an annotation through the service and emits annotation.created in
the same transaction; the clock starts when the commit returns (an on_commit callback
registered before emit's) and stops when the receiver, an http.server in a thread, has read
the request. Also the time the writer waits for its commit's deliveries (the immediate backend
sends them in the writer's process).
"""

import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from setup_django import make_user, start

ROUNDS = 200


def main() -> None:
    import os

    os.environ.setdefault("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")
    start()
    from django.db import connection, transaction

    from annotator.services import annotation_create
    from annotator.webhooks.events import emit
    from annotator.webhooks.models import WebhookAttempt
    from annotator.webhooks.services import webhook_create
    from articles.services import article_create

    arrived: list[float] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            arrived.append(time.perf_counter())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    editor = make_user("bench-editor", "Editor")
    webhook_create(
        user=editor,
        url=f"http://127.0.0.1:{server.server_port}/hook",
        events=["annotation.created"],
        secret="bench",
    )
    article, _ = article_create(user=editor, title="Bench", text="word " * 5000)
    committed, returned = [], []
    for i in range(ROUNDS):
        with transaction.atomic():
            made = annotation_create(
                article=article, author=editor, label="claim", start=i * 5, end=i * 5 + 4
            )
            transaction.on_commit(lambda: committed.append(time.perf_counter()))
            emit("annotation.created", annotation_ids=[made.pk])
        returned.append(time.perf_counter())
    server.shutdown()
    server.server_close()
    latency = sorted((a - c) * 1000 for a, c in zip(arrived, committed, strict=True))
    waited = sorted((r - c) * 1000 for r, c in zip(returned, committed, strict=True))
    attempts = sorted(WebhookAttempt.objects.values_list("duration_ms", flat=True))
    print(f"{connection.vendor}: {len(arrived)} of {ROUNDS} deliveries arrived")

    def line(name, values):
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"| {name} | {statistics.median(values):.1f} ms | {p95:.1f} ms | {max(values):.1f} ms |"
        )

    print("| measure | median | p95 | max |\n|---|---|---|---|")
    line("commit -> request read by the receiver", latency)
    line("commit -> the writer's call returns", waited)
    line("attempt duration recorded (connect, send, response)", attempts)


if __name__ == "__main__":
    main()
