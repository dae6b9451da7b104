"""Webhooks: signed deliveries to a real HTTP listener on this machine, after commit, retried
with backoff, every attempt recorded; SSRF refusals; the API and the admin."""

import hashlib
import hmac
import io
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotator.models import Annotation
from annotator.services import annotation_purge
from annotator.webhooks import delivery as sending
from annotator.webhooks.events import emit
from annotator.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from annotator.webhooks.services import webhook_create
from annotator.webhooks.tasks import deliver_webhook
from articles.models import Article
from tests.conftest import tag

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


@pytest.fixture
def listener(settings):
    """An HTTP server in a thread that records each request and answers what it is told to
    (200 by default)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    received, replies = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status, headers = replies.pop(0) if replies else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield SimpleNamespace(
        url=f"http://127.0.0.1:{server.server_port}/hook", received=received, replies=replies
    )
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def endpoint(listener, editor_user):
    return webhook_create(
        user=editor_user,
        url=listener.url,
        events=["annotation.created", "annotation.approved", "article.updated"],
        secret=SECRET,
    )


def emit_committed(capture, event, **ids):
    """``emit`` inside a transaction that commits, its after-commit work run."""
    with capture(execute=True), transaction.atomic():
        emit(event, **ids)


def test_a_delivery_is_signed_and_carries_the_resource_as_the_api_shows_it(
    listener, endpoint, entity_span, api_as, editor_user, django_capture_on_commit_callbacks
):
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.created", annotation_ids=[entity_span.pk]
    )
    (request,) = listener.received
    body = request["body"]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert request["headers"]["X-Newsdesk-Signature"] == expected
    assert request["headers"]["X-Newsdesk-Event"] == "annotation.created"
    assert request["path"] == "/hook"
    payload = json.loads(body)
    assert payload["event"] == "annotation.created"
    assert payload["sent_at"].endswith("Z")
    assert payload["data"] == api_as(editor_user).get(f"/api/annotations/{entity_span.pk}/").json()
    (attempt,) = WebhookAttempt.objects.all()
    assert (attempt.number, attempt.succeeded, attempt.status_code, attempt.address) == (
        1, True, 200, "127.0.0.1",
    )  # fmt: skip
    assert attempt.duration_ms > 0
    assert WebhookDelivery.objects.get().status == "delivered"


def test_the_deliveries_api_lists_each_delivery_with_its_attempts(
    listener, endpoint, entity_span, api_as, editor_user, django_capture_on_commit_callbacks
):
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.created", annotation_ids=[entity_span.pk]
    )
    body = api_as(editor_user).get(f"/api/webhooks/{endpoint.pk}/deliveries/").json()
    (item,) = body["results"]
    assert (item["event"], item["status"], item["attempt_count"]) == (
        "annotation.created", "delivered", 1,
    )  # fmt: skip
    assert item["data"]["id"] == entity_span.pk
    assert [(a["number"], a["status_code"], a["succeeded"]) for a in item["attempts"]] == [
        (1, 200, True)
    ]


def test_an_article_event_carries_the_article(
    listener, endpoint, article, api_as, editor_user, django_capture_on_commit_callbacks
):
    emit_committed(django_capture_on_commit_callbacks, "article.updated", article_id=article.pk)
    data = json.loads(listener.received[0]["body"])["data"]
    assert data == api_as(editor_user).get(f"/api/articles/{article.pk}/").json()


def test_nothing_is_sent_for_a_transaction_that_rolls_back(
    listener, endpoint, entity_span, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        emit("annotation.created", annotation_ids=[entity_span.pk])
        raise RuntimeError("the write failed")
    assert listener.received == []
    assert not WebhookDelivery.objects.exists()


def test_an_event_the_endpoint_does_not_want_is_not_sent(
    listener, endpoint, entity_span, django_capture_on_commit_callbacks
):
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.deleted", annotation_ids=[entity_span.pk]
    )
    assert listener.received == [] and not WebhookDelivery.objects.exists()


def test_a_failure_is_retried_with_exponential_backoff(
    listener, endpoint, entity_span, django_capture_on_commit_callbacks
):
    listener.replies.extend([(500, {}), (503, {})])
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.created", annotation_ids=[entity_span.pk]
    )
    made = WebhookDelivery.objects.get()
    assert made.status == "retrying"
    first_wait = made.next_attempt_at - made.attempts.get().started_at
    assert first_wait == timedelta(seconds=30)
    assert sending.due(made.next_attempt_at - timedelta(seconds=1)) == []
    assert sending.due(made.next_attempt_at) == [made.pk]
    later = made.next_attempt_at
    sending.attempt(sending.claim(made.pk, later), now=later)
    made.refresh_from_db()
    assert made.next_attempt_at - later == timedelta(seconds=120)
    sending.attempt(sending.claim(made.pk, made.next_attempt_at), now=made.next_attempt_at)
    made.refresh_from_db()
    assert made.status == "delivered"
    assert list(made.attempts.values_list("number", "status_code", "succeeded")) == [
        (1, 500, False), (2, 503, False), (3, 200, True),
    ]  # fmt: skip
    assert len(listener.received) == 3
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_delivery_is_sent_once_even_if_two_workers_try(listener, endpoint, entity_span):
    (made,) = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, event="annotation.created", data=b"{}")]
    )
    now = timezone.now()
    assert sending.claim(made.pk, now) is not None
    assert sending.claim(made.pk, now) is None


def test_with_a_deferring_backend_a_retry_is_a_task_for_later(
    listener, endpoint, entity_span, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    listener.replies.append((500, {}))
    (made,) = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, event="annotation.created", data=b"{}")]
    )
    assert deliver_webhook.call(made.pk) == "retrying"
    made.refresh_from_db()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path.endswith("deliver_webhook")
    assert queued.args_kwargs["args"] == [made.pk]
    assert queued.run_after == made.next_attempt_at


def test_an_endpoint_failing_again_and_again_is_disabled_and_the_admin_says_so(
    listener, endpoint, entity_span, settings, client, editor_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    listener.replies.extend([(500, {})] * 5)
    for _ in range(4):
        emit_committed(
            django_capture_on_commit_callbacks,
            "annotation.created",
            annotation_ids=[entity_span.pk],
        )
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert "3 failed attempts in a row" in endpoint.disabled_reason
    assert "HTTP 500" in endpoint.disabled_reason
    # The fourth event found no active endpoint: nothing stored, nothing sent.
    assert len(listener.received) == 3 and WebhookDelivery.objects.count() == 3
    client.force_login(editor_user)
    page = client.get(reverse("admin:webhooks_webhookendpoint_changelist")).content.decode()
    assert "was disabled on" in page and "3 failed attempts in a row" in page


def test_loopback_is_refused_unless_allowed(
    listener, endpoint, entity_span, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.created", annotation_ids=[entity_span.pk]
    )
    assert listener.received == []
    made = WebhookDelivery.objects.get()
    assert made.status == "failed"  # refused targets are not retried
    attempt = made.attempts.get()
    assert "127.0.0.1 is a loopback address" in attempt.error
    assert "WEBHOOK_ALLOWED_HOSTS" in attempt.error
    assert attempt.status_code is None and attempt.address == ""


def test_debug_allows_a_private_target(
    listener, endpoint, entity_span, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    settings.DEBUG = True
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.created", annotation_ids=[entity_span.pk]
    )
    assert len(listener.received) == 1


def test_a_redirect_is_not_followed(
    listener, endpoint, entity_span, django_capture_on_commit_callbacks
):
    listener.replies.append((302, {"Location": listener.url + "/elsewhere"}))
    emit_committed(
        django_capture_on_commit_callbacks, "annotation.created", annotation_ids=[entity_span.pk]
    )
    assert [r["path"] for r in listener.received] == ["/hook"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 302 and "redirects are not followed" in attempt.error


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/hook", "private address"),
        ("http://169.254.169.254/latest/meta-data", "link-local address"),
        ("http://[::1]:8000/", "loopback address"),
        ("http://localhost:8000/", "this machine"),
        ("http://user:pw@example.org/", "passwords"),
        ("ftp://example.org/", "http://"),
    ],
)
def test_the_api_refuses_a_target_inside_the_network(api_as, editor_user, url, reason):
    response = api_as(editor_user).post(
        "/api/webhooks/", {"url": url, "events": ["annotation.created"]}
    )
    assert response.status_code == 400
    assert reason in json.dumps(response.json())
    assert not WebhookEndpoint.objects.exists()


def test_the_api_makes_an_endpoint_and_shows_its_secret_once(api_as, editor_user):
    client = api_as(editor_user)
    response = client.post(
        "/api/webhooks/",
        {"url": "https://cms.example.org/hooks/newsdesk", "events": ["annotation.approved"]},
    )
    assert response.status_code == 201
    made = response.json()
    assert len(made["secret"]) >= 32
    assert WebhookEndpoint.objects.get().secret == made["secret"]
    listed = client.get("/api/webhooks/").json()["results"]
    assert [w["url"] for w in listed] == ["https://cms.example.org/hooks/newsdesk"]
    assert (
        "secret" not in listed[0]
        and "secret" not in client.get(f"/api/webhooks/{made['id']}/").json()
    )


def test_the_api_refuses_unknown_events(api_as, editor_user):
    response = api_as(editor_user).post(
        "/api/webhooks/", {"url": "https://cms.example.org/", "events": ["annotation.liked"]}
    )
    assert response.status_code == 400 and "events" in response.json()
    assert not WebhookEndpoint.objects.exists()


def test_switching_a_disabled_endpoint_back_on_clears_its_failures(api_as, editor_user, endpoint):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, consecutive_failures=10, disabled_at=timezone.now(), disabled_reason="x"
    )
    body = api_as(editor_user).patch(f"/api/webhooks/{endpoint.pk}/", {"active": True}).json()
    assert (body["active"], body["consecutive_failures"], body["disabled_at"]) == (True, 0, None)


@pytest.mark.parametrize("role", ["annotator_user", "reviewer_user", "outsider"])
def test_only_editors_and_superusers_manage_webhooks(request, api_as, role, endpoint, superuser):
    client = api_as(request.getfixturevalue(role))
    assert client.get("/api/webhooks/").status_code == 403
    assert client.get(f"/api/webhooks/{endpoint.pk}/deliveries/").status_code == 403
    assert client.delete(f"/api/webhooks/{endpoint.pk}/").status_code == 403
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert api_as(superuser).get("/api/webhooks/").status_code == 200
    assert api_as(None).get("/api/webhooks/").status_code == 401


# Real commits: the test event leaves once its delivery row is committed, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_test_event_is_sent_now(listener, endpoint, api_as, editor_user):
    response = api_as(editor_user).post(f"/api/webhooks/{endpoint.pk}/test/")
    assert response.status_code == 201
    assert response.json()["status"] == "delivered"
    (request,) = listener.received
    assert request["headers"]["X-Newsdesk-Event"] == "ping"
    assert json.loads(request["body"])["data"]["webhook"] == endpoint.pk


@pytest.mark.django_db(transaction=True)
def test_the_admin_sends_a_test_event(listener, endpoint, client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        reverse("admin:webhooks_webhookendpoint_changelist"),
        {"action": "send_test_event", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "test event delivered (HTTP 200" in response.content.decode()
    assert len(listener.received) == 1


def test_a_span_purged_before_its_delivery_is_announced_by_id(
    listener, endpoint, article, annotator_user, superuser, django_capture_on_commit_callbacks
):
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    pk = span.pk
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emit("annotation.created", annotation_ids=[pk])
        annotation_purge(annotation=span, user=superuser)
    assert json.loads(listener.received[0]["body"])["data"] == {"id": pk, "deleted": True}


@pytest.fixture
def subscribed(listener, editor_user):
    """An endpoint for every event of the contract."""
    from annotator.webhooks.validation import EVENTS

    return webhook_create(user=editor_user, url=listener.url, events=list(EVENTS), secret=SECRET)


def events_sent(listener) -> list[tuple[str, int]]:
    bodies = [json.loads(r["body"]) for r in listener.received]
    return [(b["event"], b["data"]["id"]) for b in bodies]


def test_every_article_write_is_announced(
    listener, subscribed, api_as, editor_user, django_capture_on_commit_callbacks
):
    client = api_as(editor_user)
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/api/articles/", {"title": "T", "text": "Tariffs rose."}).json()
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(f"/api/articles/{made['id']}/", {"title": "Tariffs"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/articles/{made['id']}/status/", {"status": "annotating"})
    assert events_sent(listener) == [
        ("article.created", made["id"]),
        ("article.updated", made["id"]),
        ("article.status_changed", made["id"]),
    ]
    last = json.loads(listener.received[-1]["body"])["data"]
    assert last == client.get(f"/api/articles/{made['id']}/").json()
    assert last["status"] == "annotating"


def test_an_article_added_on_the_new_article_page_is_announced(
    listener, subscribed, client, editor_user, django_capture_on_commit_callbacks
):
    client.force_login(editor_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/articles/new/", {"title": "Page", "text": "Tariffs rose again."})
    assert response.status_code == 302
    article = Article.objects.get(title="Page")
    assert events_sent(listener) == [("article.created", article.pk)]


def test_an_article_created_with_annotations_is_announced_once_with_each_span(
    listener, subscribed, api_as, editor_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = (
            api_as(editor_user)
            .post(
                "/api/articles/",
                {
                    "title": "T",
                    "text": "Tariffs rose.",
                    "annotations": [{"label": "claim", "start": 0, "end": 12}],
                },
            )
            .json()
        )
    span = Annotation.objects.get(article_id=made["id"])
    assert sorted(events_sent(listener)) == [
        ("annotation.created", span.pk),
        ("article.created", made["id"]),
    ]


def test_every_annotation_write_is_announced(
    listener, subscribed, api_as, article, annotator_user, reviewer_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = api_as(annotator_user)
    start = article.text.index("Claudia Sheinbaum")
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            "/api/annotations/",
            {"article": article.pk, "label": "person", "start": start, "end": start + 17},
        ).json()
    with django_capture_on_commit_callbacks(execute=True):
        edited = client.patch(
            f"/api/annotations/{made['id']}/", {"version": made["version"], "label": "other"}
        ).json()
    with django_capture_on_commit_callbacks(execute=True):
        api_as(reviewer_user).post(f"/api/annotations/{made['id']}/approve/", {})
    with django_capture_on_commit_callbacks(execute=True):
        bulk = client.post(
            "/api/annotations/bulk/",
            [{"article": article.pk, "label": "claim", "start": 0, "end": 4},
             {"article": article.pk, "label": "claim", "start": 5, "end": 8}],
        ).json()  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        api_as(reviewer_user).post(f"/api/annotations/{bulk[0]['id']}/reject/", {"note": "No."})
    with django_capture_on_commit_callbacks(execute=True):
        client.delete(f"/api/annotations/{bulk[1]['id']}/")
    assert events_sent(listener) == [
        ("annotation.created", made["id"]),
        ("annotation.updated", made["id"]),
        ("annotation.approved", made["id"]),
        ("annotation.created", bulk[0]["id"]),
        ("annotation.created", bulk[1]["id"]),
        ("annotation.rejected", bulk[0]["id"]),
        ("annotation.deleted", bulk[1]["id"]),
    ]
    bodies = [json.loads(r["body"]) for r in listener.received]
    assert (
        bodies[1]["data"]["label"] == "other" and bodies[1]["data"]["version"] == edited["version"]
    )
    assert bodies[2]["data"]["status"] == "approved"
    assert bodies[-1]["data"]["deleted"] is True


def test_a_refused_write_announces_nothing(
    listener, subscribed, api_as, article, annotator_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(annotator_user).post(
            "/api/annotations/", {"article": article.pk, "label": "person", "start": 5, "end": 2}
        )
    assert response.status_code == 400
    assert listener.received == [] and not WebhookDelivery.objects.exists()


def test_the_sweep_sends_the_retries_that_are_due(listener, endpoint, entity_span):
    from django.core.management import call_command

    (due_now, later) = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=endpoint, event="annotation.created", data=b"{}",
                            status="retrying", attempt_count=1,
                            next_attempt_at=timezone.now() - timedelta(seconds=1)),
            WebhookDelivery(endpoint=endpoint, event="annotation.created", data=b"{}",
                            status="retrying", attempt_count=1,
                            next_attempt_at=timezone.now() + timedelta(hours=1)),
        ]
    )  # fmt: skip
    call_command("send_webhooks", stdout=io.StringIO())
    due_now.refresh_from_db()
    later.refresh_from_db()
    assert (due_now.status, due_now.attempt_count) == ("delivered", 2)
    assert (later.status, later.attempt_count) == ("retrying", 1)
    assert len(listener.received) == 1
