"""What the hardening costs a request: body parsing with the depth and size checks, the
refusal of abusive bodies, and an Idempotency-Key on a create.

    .venv/bin/python bench/bench_hardening.py

Figures go in bench/README.md ("Hardening").
"""

import json
import statistics
import time

from setup_django import make_user, start


def timed(function, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main() -> None:
    import os

    # The rate limit would answer 429 to a loop this fast; its cost is not what is measured.
    os.environ.setdefault("API_RATE_USER", "1000000/s")
    start()
    import io

    from rest_framework.exceptions import ParseError
    from rest_framework.parsers import JSONParser
    from rest_framework.test import APIClient

    from annotator.api.parsers import LimitedJSONParser

    items = [
        {"label": "claim", "start": i * 10, "end": i * 10 + 8, "attributes": {"check_worthiness": 0.5, "sources": ["https://example.org/a"]}}
        for i in range(5000)
    ]  # fmt: skip
    body = json.dumps({"article": 1, "annotations": items, "text": "x" * 200_000}).encode()
    print(f"bulk body: {len(body):,} bytes, 5,000 items")
    for name, parser in (
        ("DRF JSONParser", JSONParser()),
        ("LimitedJSONParser", LimitedJSONParser()),
    ):
        ms = timed(lambda p=parser: p.parse(io.BytesIO(body), "application/json", {}), 30)
        print(f"  {name:<20} {ms:8.2f} ms")

    from annotator.api.parsers import nesting_depth_exceeds

    print(
        f"  {'of which depth scan':<20} {timed(lambda: nesting_depth_exceeds(body, 32), 20):8.2f} ms"
    )
    for label, abusive in (("[ x 100,000", b"[" * 100_000), ('{"a": x 5,000', b'{"a":' * 5000)):

        def refuse(data=abusive):
            try:
                LimitedJSONParser().parse(io.BytesIO(data), "application/json", {})
            except ParseError:
                return
            raise AssertionError("accepted")

        print(f"  refuse {label:<14} {timed(refuse, 20):8.3f} ms")

    editor = make_user("bench-editor", "Editor")
    client = APIClient()
    client.force_authenticate(editor)
    counter = iter(range(10**9))

    def create(with_key: bool):
        number = next(counter)
        extra = {"HTTP_IDEMPOTENCY_KEY": f"bench-{number}"} if with_key else {}
        response = client.post(
            "/api/entities/", {"name": f"Person {number}", "type": "person"}, format="json", **extra
        )
        assert response.status_code == 201, response.content

    for _ in range(20):
        create(False)
    print("POST /api/entities/ (SQLite, in-process client), median of 200:")
    print(f"  without Idempotency-Key  {timed(lambda: create(False), 200):8.2f} ms")
    print(f"  with a new key           {timed(lambda: create(True), 200):8.2f} ms")
    client.post(
        "/api/entities/",
        {"name": "Replayed", "type": "person"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="same",
    )

    def replay():
        client.post(
            "/api/entities/",
            {"name": "Replayed", "type": "person"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="same",
        )

    print(f"  a replayed key           {timed(replay, 200):8.2f} ms")


if __name__ == "__main__":
    main()
