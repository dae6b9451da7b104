"""The published/archived lock on every write door, and hidden work that reads as missing.

The lock is checked in the services (annotator/services), so every door — API, pages, admin —
holds it; the matrix below goes through the API, and a second test calls the services
directly."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from annotator import services
from annotator.models import Annotation, Relation
from articles.models import Article
from tests.conftest import tag

pytestmark = pytest.mark.django_db

ROLES = ["annotator", "reviewer", "editor"]
DOORS = [
    "create", "bulk", "edit", "delete", "restore", "approve", "reject", "accept",
    "relation create", "relation delete", "suggest",
]  # fmt: skip
# What each role gets in an article that is being annotated: the lock must be the only
# reason for a refusal below.
OPEN_ANSWERS = {
    "annotator": [201, 201, 200, 204, 200, 403, 403, 200, 201, 204, 201],
    "reviewer": [403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403],
    "editor": [201, 201, 200, 204, 200, 403, 403, 200, 201, 204, 201],
}


@pytest.fixture
def world(article, annotator_user, reviewer_user, editor_user):
    mine = tag(article, annotator_user, "claim", "habló en la Ciudad de México")
    person = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    quote = tag(article, annotator_user, "quote", "Ça va très bien")
    suggestion = tag(article, annotator_user, "location", "Ciudad de México", origin="machine")
    gone = tag(article, annotator_user, "other", "opened")
    services.annotation_delete(annotation=gone, user=annotator_user)
    relation = services.relation_create(
        source=quote, target=person, type="spoken_by", author=annotator_user
    )
    users = {"annotator": annotator_user, "reviewer": reviewer_user, "editor": editor_user}
    return {
        "article": article,
        "mine": mine,
        "person": person,
        "claim_target": person,
        "suggestion": suggestion,
        "gone": gone,
        "relation": relation,
        "users": users,
    }


def knock(client, door: str, w: dict):
    article, mine = w["article"], w["mine"]
    start = article.text.index("Café")
    span = {"article": article.pk, "label": "claim", "start": start, "end": start + 4}
    calls = {
        "create": lambda: client.post("/api/annotations/", span),
        "bulk": lambda: client.post("/api/annotations/bulk/", [span], format="json"),
        "edit": lambda: client.patch(
            f"/api/annotations/{mine.pk}/", {"version": mine.version, "label": "quote"}
        ),
        "delete": lambda: client.delete(f"/api/annotations/{mine.pk}/"),
        "restore": lambda: client.post(f"/api/annotations/{w['gone'].pk}/restore/"),
        "approve": lambda: client.post(f"/api/annotations/{mine.pk}/approve/", {}),
        "reject": lambda: client.post(f"/api/annotations/{mine.pk}/reject/", {"note": "No."}),
        "accept": lambda: client.post(f"/api/annotations/{w['suggestion'].pk}/accept/"),
        "relation create": lambda: client.post(
            "/api/relations/",
            {"source": mine.pk, "target": w["claim_target"].pk, "type": "about"},
        ),
        "relation delete": lambda: client.delete(f"/api/relations/{w['relation'].pk}/"),
        "suggest": lambda: client.post(f"/api/articles/{article.pk}/suggest/"),
    }
    return calls[door]()


def state(article) -> tuple:
    return (
        sorted(
            Annotation.objects.filter(article=article).values_list(
                "id", "version", "status", "label__slug", "deleted_at"
            )
        ),
        sorted(Relation.objects.filter(article=article).values_list("id", "type")),
    )


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["annotating", "published", "archived"])
def test_lock_matrix(api_as, world, status, role, door):
    article = world["article"]
    Article.objects.filter(pk=article.pk).update(status=status)
    before = state(article)
    response = knock(api_as(world["users"][role]), door, world)
    open_answer = OPEN_ANSWERS[role][DOORS.index(door)]
    locked = status != "annotating" and role != "editor"
    expected = 403 if locked else open_answer
    assert response.status_code == expected, (response.status_code, response.content[:300])
    if expected == 403:
        assert state(article) == before
    if locked and open_answer != 403:
        # Refused for the lock (not the role), and the answer says so.
        assert status in response.json()["detail"].lower()


def test_services_refuse_every_write_in_a_locked_article(world):
    article, mine, users = world["article"], world["mine"], world["users"]
    Article.objects.filter(pk=article.pk).update(status="published")
    article.refresh_from_db()
    annotator, reviewer = users["annotator"], users["reviewer"]
    before = state(article)
    writes = [
        lambda: services.annotation_create(
            article=article, author=annotator, label="claim", start=0, end=4
        ),
        lambda: services.annotations_bulk_create(
            article=article, author=annotator, items=[{"label": "claim", "start": 0, "end": 4}]
        ),
        lambda: services.annotation_update(
            annotation=mine, user=annotator, version=mine.version, changes={"label": "quote"}
        ),
        lambda: services.annotation_delete(annotation=mine, user=annotator),
        lambda: services.annotation_restore(annotation=world["gone"], user=annotator),
        lambda: services.annotation_review(annotation=mine, reviewer=reviewer, approve=True),
        lambda: services.annotation_review(
            annotation=mine, reviewer=reviewer, approve=False, note="No."
        ),
        lambda: services.annotation_reset(annotation=mine, user=reviewer),
        lambda: services.suggestion_accept(annotation=world["suggestion"], user=annotator),
        lambda: services.relation_create(
            source=mine, target=world["person"], type="about", author=annotator
        ),
        lambda: services.relation_delete(relation=world["relation"], user=annotator),
    ]
    for number, write in enumerate(writes):
        with pytest.raises(PermissionDenied):
            write()
        assert state(article) == before, number


# Hidden work: an annotator not assigned to an article learns nothing from its ids.


@pytest.fixture
def hidden(world, other_annotator):
    """The world's article, assigned to someone else: hidden from ``anna``'s colleague
    ``otto``... and here the other way round: assigned to otto, hidden from anna."""
    world["article"].assignees.set([other_annotator])
    return world


def same_answer(hidden_response, missing_response, hidden_id: int, missing_id: int) -> None:
    """Both answers are the same but for the id they name."""
    assert hidden_response.status_code == missing_response.status_code
    text = hidden_response.content.decode().replace(str(hidden_id), "ID")
    assert text == missing_response.content.decode().replace(str(missing_id), "ID")


MISSING = 987_654


def test_relation_between_hidden_annotations_reads_like_missing_ids(api_as, hidden):
    client = api_as(hidden["users"]["annotator"])
    quote, person = hidden["relation"].source, hidden["relation"].target
    before = Relation.objects.count()
    # The link exists; a visible article would say "must make a unique set".
    probing = client.post(
        "/api/relations/", {"source": quote.pk, "target": person.pk, "type": "spoken_by"}
    )
    missing = client.post(
        "/api/relations/", {"source": MISSING, "target": MISSING + 1, "type": "spoken_by"}
    )
    assert probing.status_code == 400
    assert "unique" not in probing.content.decode() and "annotating" not in probing.content.decode()
    body = probing.json()
    assert set(body) == {"source", "target"}
    expected = {"source": [f'Invalid pk "{quote.pk}" - object does not exist.'],
                "target": [f'Invalid pk "{person.pk}" - object does not exist.']}  # fmt: skip
    assert body == expected
    assert missing.json() == {
        "source": [f'Invalid pk "{MISSING}" - object does not exist.'],
        "target": [f'Invalid pk "{MISSING + 1}" - object does not exist.'],
    }
    assert Relation.objects.count() == before


def test_a_visible_tag_cannot_be_linked_to_a_hidden_one(
    api_as, hidden, annotator_user, other_annotator
):
    from articles.services import article_create

    mine_article, _ = article_create(
        user=hidden["users"]["editor"], title="Open", text="Otra historia con Claudia."
    )
    visible = tag(mine_article, annotator_user, "claim", "Otra historia")
    client = api_as(annotator_user)
    probing = client.post(
        "/api/relations/",
        {"source": visible.pk, "target": hidden["mine"].pk, "type": "about"},
    )
    missing = client.post(
        "/api/relations/", {"source": visible.pk, "target": MISSING, "type": "about"}
    )
    same_answer(probing, missing, hidden["mine"].pk, MISSING)


@pytest.mark.parametrize(
    "call",
    [
        ("get", "/api/annotations/{id}/", None),
        ("patch", "/api/annotations/{id}/", {"version": 1, "label": "quote"}),
        ("delete", "/api/annotations/{id}/", None),
        ("post", "/api/annotations/{id}/approve/", {}),
        ("post", "/api/annotations/{id}/reject/", {"note": "no"}),
        ("post", "/api/annotations/{id}/accept/", None),
        ("post", "/api/annotations/{id}/restore/", None),
    ],
    ids=lambda call: f"{call[0]} {call[1]}",
)
def test_hidden_annotations_answer_like_missing_ones(api_as, hidden, call):
    method, path, body = call
    client = api_as(hidden["users"]["annotator"])
    target = hidden["gone"] if "restore" in path else hidden["mine"]
    before = state(hidden["article"])
    probing = getattr(client, method)(path.format(id=target.pk), body)
    missing = getattr(client, method)(path.format(id=MISSING), body)
    assert probing.status_code == 404
    same_answer(probing, missing, target.pk, MISSING)
    assert state(hidden["article"]) == before


@pytest.mark.parametrize(
    "call",
    [
        ("get", "/api/articles/{id}/", None),
        ("get", "/api/articles/{id}/revisions/", None),
        ("get", "/api/articles/{id}/annotations/", None),
        ("post", "/api/articles/{id}/suggest/", None),
        ("post", "/api/articles/{id}/status/", {"status": "in_review"}),
    ],
    ids=lambda call: f"{call[0]} {call[1]}",
)
def test_hidden_articles_answer_like_missing_ones(api_as, hidden, call):
    method, path, body = call
    client = api_as(hidden["users"]["annotator"])
    article = hidden["article"]
    probing = getattr(client, method)(path.format(id=article.pk), body)
    missing = getattr(client, method)(path.format(id=MISSING), body)
    assert probing.status_code == 404
    same_answer(probing, missing, article.pk, MISSING)


@pytest.mark.parametrize("door", ["create", "bulk"])
def test_creating_in_a_hidden_article_reads_like_a_missing_one(api_as, hidden, door):
    client = api_as(hidden["users"]["annotator"])
    article = hidden["article"]

    def attempt(article_id):
        span = {"article": article_id, "label": "claim", "start": 0, "end": 4}
        if door == "create":
            return client.post("/api/annotations/", span)
        return client.post("/api/annotations/bulk/", [span], format="json")

    before = state(article)
    probing, missing = attempt(article.pk), attempt(MISSING)
    assert probing.status_code == 400
    assert not re.search("annotating|assigned|published", probing.content.decode())
    same_answer(probing, missing, article.pk, MISSING)
    assert state(article) == before


def test_lists_and_exports_of_a_hidden_article_read_like_a_missing_one(api_as, hidden):
    client = api_as(hidden["users"]["annotator"])
    article = hidden["article"]
    for path in ["/api/annotations/?article={id}", "/api/relations/?article={id}"]:
        probing = client.get(path.format(id=article.pk))
        missing = client.get(path.format(id=MISSING))
        assert probing.json()["count"] == 0
        same_answer(probing, missing, article.pk, MISSING)
    export = client.get(f"/api/export/jsonl/?article={article.pk}")
    assert export.status_code == 200
    assert b"".join(export.streaming_content) == b""
