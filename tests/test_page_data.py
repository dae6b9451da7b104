"""The page data the annotation page and the review queue draw themselves from, and the small
server pieces issue 12 added (the undo of accept, the favicon, the form's order)."""

import json
import re

import pytest

from annotator import attributes
from annotator.choices import AnnotationStatus
from annotator.models import Annotation
from annotator.page_data import page_permissions
from annotator.services import annotation_create, suggestion_accept
from articles.models import Article
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def page_data(client, user, article):
    client.force_login(user)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    found = re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)), html


def test_choice_lists_come_from_the_attribute_rules(client, annotator_user, article):
    data, _ = page_data(client, annotator_user, article)
    choices = data["choices"]
    assert [v for v, _ in choices["verdicts"]] == list(attributes.VERDICTS)
    assert [v for v, _ in choices["attribution_types"]] == list(attributes.ATTRIBUTION_TYPES)
    assert [v for v, _ in choices["fact_check_states"]] == list(attributes.FACT_CHECK_STATES)
    assert dict(choices["verdicts"])["mostly_true"] == "Mostly true"
    assert [v for v, _ in choices["statuses"]] == list(AnnotationStatus.values)


def test_reject_reasons_come_from_the_setting(client, settings, reviewer_user, entity_span):
    settings.REVIEW_REJECT_REASONS = ["Off topic", "Wrong span, too long"]
    client.force_login(reviewer_user)
    html = client.get("/review/").content.decode()
    found = re.search(r'<script id="review-data" type="application/json">(.*?)</script>', html)
    assert json.loads(found.group(1)) == {
        "can_review": True,
        "reject_reasons": ["Off topic", "Wrong span, too long"],
    }


def test_an_annotator_may_edit_own_pending_tags_and_suggestions(annotator_user, article):
    rules = page_permissions(annotator_user, article)
    assert rules["annotate"] and rules["accept"] and not rules["review"]
    assert rules["edit"] == {"own": ["suggested", "pending"], "others": ["suggested"]}
    assert rules["restore"] == {"own": True, "others": False}


def test_an_editor_may_edit_everything_and_a_reviewer_nothing(editor_user, reviewer_user, article):
    everything = list(AnnotationStatus.values)
    assert page_permissions(editor_user, article)["edit"] == {
        "own": everything,
        "others": everything,
    }
    rules = page_permissions(reviewer_user, article)
    assert (rules["annotate"], rules["review"]) == (False, True)
    assert rules["edit"] == {"own": [], "others": []}


def test_a_published_article_offers_an_annotator_nothing(annotator_user, article):
    Article.objects.filter(pk=article.pk).update(status="published")
    article.refresh_from_db()
    rules = page_permissions(annotator_user, article)
    assert (rules["annotate"], rules["edit"]) == (False, {"own": [], "others": []})


def test_an_assigned_article_is_closed_to_others(annotator_user, other_annotator, article):
    article.assignees.add(other_annotator)
    assert page_permissions(annotator_user, article)["annotate"] is False
    assert page_permissions(other_annotator, article)["annotate"] is True


def test_the_reviewers_page_has_no_label_bar(client, reviewer_user, annotator_user, article):
    _, html = page_data(client, reviewer_user, article)
    assert "data-label=" not in html and "data-suggest>" not in html
    _, html = page_data(client, annotator_user, article)
    assert 'data-label="claim"' in html and "data-suggest>" in html


def test_status_buttons_name_the_next_status(client, editor_user, article):
    _, html = page_data(client, editor_user, article)
    assert "Move to annotating" in html
    assert "→" not in html


def test_unaccept_returns_an_accepted_suggestion(api_as, annotator_user, article):
    suggestion = annotation_create(
        article=article, author=annotator_user, label="person", start=0, end=4, origin="machine"
    )
    accepted = suggestion_accept(annotation=suggestion, user=annotator_user)
    response = api_as(annotator_user).post(
        f"/api/annotations/{suggestion.pk}/unaccept/", {"version": accepted.version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("suggested", 3)
    suggestion.refresh_from_db()
    assert suggestion.status == "suggested"


def test_unaccept_refuses_a_stale_version_and_a_human_tag(api_as, annotator_user, article):
    suggestion = annotation_create(
        article=article, author=annotator_user, label="person", start=0, end=4, origin="machine"
    )
    suggestion_accept(annotation=suggestion, user=annotator_user)
    client = api_as(annotator_user)
    stale = client.post(f"/api/annotations/{suggestion.pk}/unaccept/", {"version": 1})
    assert stale.status_code == 409
    human = tag(article, annotator_user, "claim", "Café")
    refused = client.post(f"/api/annotations/{human.pk}/unaccept/", {}, format="json")
    assert refused.status_code == 400
    assert "Only an accepted machine suggestion" in refused.content.decode()
    statuses = set(Annotation.objects.values_list("status", flat=True))
    assert statuses == {"pending"}


def test_unaccept_is_refused_to_who_may_not_annotate(
    api_as, annotator_user, reviewer_user, article
):
    suggestion = annotation_create(
        article=article, author=annotator_user, label="person", start=0, end=4, origin="machine"
    )
    suggestion_accept(annotation=suggestion, user=annotator_user)
    response = api_as(reviewer_user).post(f"/api/annotations/{suggestion.pk}/unaccept/", {})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)


def test_the_new_article_form_asks_the_title_first(client, editor_user):
    client.force_login(editor_user)
    html = client.get("/articles/new/").content.decode()
    order = [html.index(f'name="{name}"') for name in ("title", "file", "text", "byline")]
    assert order == sorted(order)
    assert "Source URL" in html


def revise(article, editor_user, *replacements):
    from annotator.services import article_update

    text = article.text
    for old, new in replacements:
        text = text.replace(old, new)
    return article_update(article=article, user=editor_user, changes={"text": text})


def test_a_revision_that_changed_and_orphaned_tags_gives_the_page_its_notice(
    client, editor_user, annotator_user, article
):
    kept = tag(article, annotator_user, "claim", "Café")
    changed = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    lost = tag(article, annotator_user, "location", "Ciudad de México")
    revise(article, editor_user, ("Sheinbaum", "Sheinbaüm"), ("Ciudad de México", "capital"))
    notice = page_data(client, editor_user, article)[0]["revision_notice"]
    assert (notice["number"], notice["by"]) == (2, editor_user.username)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", notice["date"])
    assert notice["summary"] == {"kept": 1, "moved": 0, "changed": 1, "orphaned": 1}
    tags = {pk: (outcome, what) for pk, outcome, what in notice["tags"]}
    assert tags == {
        changed.pk: ("changed", '"Sheinbaum" → "Sheinbaüm"'),
        lost.pk: ("orphaned", 'its words were rewritten: "Ciudad de México" → "capital"'),
    }
    assert kept.pk not in tags


def test_the_first_text_and_an_edit_that_kept_every_tag_give_no_notice(
    client, editor_user, annotator_user, article
):
    tag(article, annotator_user, "person", "Claudia Sheinbaum")
    assert page_data(client, editor_user, article)[0]["revision_notice"] is None
    revise(article, editor_user, ("ok.", "okay."))  # after the tag: it keeps its offsets
    assert page_data(client, editor_user, article)[0]["revision_notice"] is None


def test_only_the_latest_revision_is_noticed(client, editor_user, annotator_user, article):
    tag(article, annotator_user, "location", "Ciudad de México")
    article = revise(article, editor_user, ("Ciudad de México", "capital"))
    article = revise(article, editor_user, ("ok.", "okay."))
    notice = page_data(client, editor_user, article)[0]["revision_notice"]
    # The tag orphaned by revision 2 stays orphaned through revision 3, which says so again.
    assert (notice["number"], [t[1] for t in notice["tags"]]) == (3, ["orphaned"])


def test_a_revised_page_is_the_same_number_of_queries_however_many_tags_it_touched(
    client, editor_user, annotator_user, article, django_assert_max_num_queries
):
    from annotator.services import annotations_bulk_create

    start = article.text.index("Claudia")
    annotations_bulk_create(
        article=article,
        author=annotator_user,
        items=[{"label": "person", "start": start, "end": start + 17} for _ in range(30)]
        + [{"label": "claim", "start": i, "end": i + 2} for i in range(40, 60)],
    )
    revise(article, editor_user, ("Sheinbaum", "Sheinbaüm"), ("Café", "Le café"))
    client.force_login(editor_user)
    client.get(f"/articles/{article.pk}/")
    with django_assert_max_num_queries(10):
        response = client.get(f"/articles/{article.pk}/")
    assert b'"revision_notice":{' in response.content
