"""The review workflow, article statuses, the admin moderation doors, history and statistics."""

import pytest
from django.urls import reverse

from annotator.models import Annotation, Entity
from annotator.services import annotation_create, annotation_update
from articles.models import Article
from tests.conftest import tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(article, annotator_user):
    return annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)


def test_approval_records_reviewer_and_time(api_as, reviewer_user, pending):
    body = api_as(reviewer_user).post(f"/api/annotations/{pending.pk}/approve/").json()
    assert (body["status"], body["reviewer"]) == ("approved", "rey")
    assert body["reviewed_at"]


def test_rejection_needs_a_reason(api_as, reviewer_user, pending):
    client = api_as(reviewer_user)
    refused = client.post(f"/api/annotations/{pending.pk}/reject/", {"note": "  "})
    assert refused.status_code == 400
    assert "why" in refused.json()["note"][0]
    pending.refresh_from_db()
    assert pending.status == "pending"
    body = client.post(
        f"/api/annotations/{pending.pk}/reject/", {"note": "Opinion, not a claim."}
    ).json()
    assert (body["status"], body["review_note"]) == ("rejected", "Opinion, not a claim.")


def test_approved_annotation_changed_goes_back_to_pending(
    api_as, reviewer_user, editor_user, pending
):
    api_as(reviewer_user).post(f"/api/annotations/{pending.pk}/approve/")
    body = (
        api_as(editor_user)
        .patch(f"/api/annotations/{pending.pk}/", {"version": 2, "label": "quote"})
        .json()
    )
    assert (body["status"], body["reviewer"], body["reviewed_at"]) == ("pending", None, None)


def test_every_review_step_is_in_history_with_who_did_it(
    api_as, reviewer_user, editor_user, pending
):
    api_as(reviewer_user).post(f"/api/annotations/{pending.pk}/approve/")
    api_as(editor_user).patch(f"/api/annotations/{pending.pk}/", {"version": 2, "label": "quote"})
    api_as(editor_user).delete(f"/api/annotations/{pending.pk}/")
    history = list(
        pending.history.order_by("history_date").values_list(
            "history_change_reason", "status", "history_user__username"
        )
    )
    assert [(reason, status) for reason, status, _ in history] == [
        (None, "pending"),
        ("approve", "approved"),
        ("edit", "pending"),
        ("delete", "pending"),
    ]


@pytest.mark.parametrize(
    ("start", "target", "who", "code"),
    [
        ("draft", "annotating", "editor", 200),
        ("draft", "annotating", "annotator", 403),
        ("annotating", "in_review", "editor", 200),
        ("in_review", "annotating", "reviewer", 200),
        ("in_review", "published", "annotator", 403),
        ("in_review", "published", "reviewer", 403),
        ("draft", "published", "editor", 400),
        ("published", "archived", "editor", 200),
    ],
)
def test_article_status_moves(
    api_as, editor_user, reviewer_user, annotator_user, article, start, target, who, code
):
    Article.objects.filter(pk=article.pk).update(status=start)
    user = {"editor": editor_user, "reviewer": reviewer_user, "annotator": annotator_user}[who]
    response = api_as(user).post(f"/api/articles/{article.pk}/status/", {"status": target})
    assert response.status_code == code, response.json()
    article.refresh_from_db()
    assert article.status == (target if code == 200 else start)


def test_publishing_waits_for_every_review(api_as, editor_user, reviewer_user, article, pending):
    Article.objects.filter(pk=article.pk).update(status="in_review")
    client = api_as(editor_user)
    refused = client.patch(f"/api/articles/{article.pk}/", {"status": "published"})
    assert refused.status_code == 400
    assert "await review" in refused.json()["status"][0]
    api_as(reviewer_user).post(f"/api/annotations/{pending.pk}/approve/")
    assert client.patch(f"/api/articles/{article.pk}/", {"status": "published"}).status_code == 200


def test_admin_bulk_approval_shows_in_the_api_and_history(
    client, api_as, reviewer_user, article, annotator_user
):
    made = [
        annotation_create(article=article, author=annotator_user, label="claim", start=i, end=i + 3)
        for i in (0, 5, 10)
    ]
    client.force_login(reviewer_user)
    response = client.post(
        reverse("admin:annotator_annotation_changelist"),
        {"action": "approve", "_selected_action": [a.pk for a in made[:2]]},
        follow=True,
    )
    assert response.status_code == 200
    statuses = {
        a["id"]: a["status"]
        for a in api_as(annotator_user).get("/api/annotations/").json()["results"]
    }
    assert statuses == {made[0].pk: "approved", made[1].pk: "approved", made[2].pk: "pending"}
    latest = made[0].history.latest()
    assert (latest.history_user, latest.history_change_reason) == (reviewer_user, "approve")


def test_admin_moderation_queue_opens_on_pending_and_searches_quotes(
    client, reviewer_user, pending, article, annotator_user
):
    tag(article, annotator_user, "person", "Claudia")
    client.force_login(reviewer_user)
    page = client.get(
        reverse("admin:annotator_annotation_changelist"), {"q": "Claudia"}
    ).content.decode()
    assert "Claudia" in page and "Café" not in page


def test_annotator_cannot_use_the_admin(client, annotator_user):
    client.force_login(annotator_user)
    response = client.get(reverse("admin:annotator_annotation_changelist"))
    assert response.status_code == 302


def test_admin_delete_is_soft_for_editors(client, editor_user, article):
    client.force_login(editor_user)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    article.refresh_from_db()
    assert article.deleted_at is not None
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "restore", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.deleted_at is None


def test_entity_merge_relinks_every_span(api_as, editor_user, annotator_user, article, entity_span):
    keep = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    duplicate = Entity.objects.create(name="C. Sheinbaum", type="person", wikidata_qid="Q4401233")
    client = api_as(annotator_user)
    client.patch(
        f"/api/annotations/{entity_span.pk}/",
        {"version": 1, "attributes": {"entity": duplicate.pk}},
    )
    assert (
        client.post(f"/api/entities/{keep.pk}/merge/", {"merge": duplicate.pk}).status_code == 403
    )
    body = (
        api_as(editor_user).post(f"/api/entities/{keep.pk}/merge/", {"merge": duplicate.pk}).json()
    )
    assert (body["mention_count"], body["wikidata_qid"], body["aliases"]) == (
        1,
        "Q4401233",
        ["C. Sheinbaum"],
    )
    entity_span.refresh_from_db()
    assert entity_span.entity_id == keep.pk
    assert not Entity.objects.filter(pk=duplicate.pk).exists()
    latest = entity_span.history.latest()
    assert (latest.entity_id, latest.history_user, latest.version) == (keep.pk, editor_user, 3)


def test_entities_are_found_by_alias(api_as, annotator_user):
    Entity.objects.create(
        name="Andrés Manuel López Obrador", type="person", aliases=["AMLO", "López Obrador"]
    )
    client = api_as(annotator_user)
    assert [e["name"] for e in client.get("/api/entities/", {"q": "amlo"}).json()["results"]] == [
        "Andrés Manuel López Obrador"
    ]
    assert len(client.get("/api/entities/", {"q": "López Obrador"}).json()["results"]) == 1


def test_statistics_count_per_person_and_label(
    api_as, reviewer_user, annotator_user, pending, article
):
    annotation_create(article=article, author=annotator_user, label="claim", start=5, end=8)
    api_as(reviewer_user).post(f"/api/annotations/{pending.pk}/approve/")
    rows = api_as(reviewer_user).get("/api/stats/annotators/").json()
    assert rows == [
        {"author": "anna", "label": "claim", "made": 2, "approved": 1, "rejected": 0, "pending": 1}
    ]
    assert api_as(annotator_user).get("/api/stats/annotators/").status_code == 403


def test_statistics_page_for_reviewers(client, reviewer_user, pending):
    client.force_login(reviewer_user)
    page = client.get("/review/stats/").content.decode()
    assert "anna" in page


def test_review_queue_shows_each_tag_in_its_sentence(
    client, reviewer_user, article, annotator_user
):
    tag(article, annotator_user, "person", "Claudia")
    client.force_login(reviewer_user)
    page = client.get("/review/", {"label": "person"}).content.decode()
    assert "<mark" in page and ">Claudia</mark> Sheinbaum habló en la Ciudad de México." in page


def test_suggestion_accept_makes_it_pending(api_as, annotator_user, article):
    created = annotation_create(
        article=article,
        author=annotator_user,
        label="claim",
        start=0,
        end=4,
        origin=Annotation.Origin.MACHINE,
    )
    assert created.status == "suggested"
    body = api_as(annotator_user).post(f"/api/annotations/{created.pk}/accept/").json()
    assert body["status"] == "pending"


def test_suggest_command_runs_the_suggesters_as_a_task(annotator_user, article, capsys):
    from django.core.management import call_command

    Entity.objects.create(name="Claudia Sheinbaum", type="person")
    call_command("suggest", "--all", "--user", "anna")
    assert (
        "2 suggestion(s) made over 1 article(s)." in capsys.readouterr().out
    )  # the name and the quote
    assert Annotation.objects.filter(status="suggested", origin="machine").count() == 2


def test_admin_pages_render_with_history(client, superuser, article, pending, entity_span):
    client.force_login(superuser)
    for url in [
        reverse("admin:annotator_annotation_changelist"),
        reverse("admin:annotator_annotation_change", args=[pending.pk]),
        reverse("admin:annotator_annotation_history", args=[pending.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:annotator_entity_changelist"),
        reverse("admin:annotator_label_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Claudia Sheinbaum" in page  # the annotations inline


def test_admin_entity_merge_action(client, editor_user, annotator_user, article, entity_span):
    keep = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    other = Entity.objects.create(name="Sheinbaum", type="person")
    annotation_update(
        annotation=entity_span,
        user=annotator_user,
        version=entity_span.version,
        changes={"attributes": {"entity": other.pk}},
    )
    client.force_login(editor_user)
    client.post(
        reverse("admin:annotator_entity_changelist"),
        {"action": "merge_into_first", "_selected_action": [keep.pk, other.pk]},
    )
    entity_span.refresh_from_db()
    assert entity_span.entity_id == keep.pk
    assert list(Entity.objects.values_list("name", flat=True)) == ["Claudia Sheinbaum"]


def test_admin_change_form_has_no_editable_span_or_status(client, superuser, pending):
    # Offsets, quotes and statuses change only through the checked doors (API, page, actions).
    client.force_login(superuser)
    page = client.get(
        reverse("admin:annotator_annotation_change", args=[pending.pk])
    ).content.decode()
    for field in ["start", "end", "quote", "status", "label", "attributes"]:
        assert f'name="{field}"' not in page, field
    assert "Café" in page  # shown, read-only
