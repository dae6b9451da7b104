"""Each annotation keeps its part of every read ready-made; none may ever be older than its row.

Every way a row can change is tried here, and each read (API and export) must show the change.
"""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model

from annotator.models import Annotation, Entity, Label
from annotator.representation import render_csv, render_json
from annotator.services import annotation_review, entities_merge
from articles.services import revision_add
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def stored(annotation: Annotation) -> tuple[bytes | None, bytes | None]:
    return tuple(
        Annotation.objects.filter(pk=annotation.pk).values_list(*Annotation.RENDERED).get()
    )


def rendered_now(annotation: Annotation) -> tuple[bytes, bytes]:
    fresh = Annotation.objects.select_related("label").get(pk=annotation.pk)
    return render_json(fresh), render_csv(fresh)


def api_annotation(client, pk: int) -> dict:
    response = client.get(f"/api/annotations/{pk}/")
    assert response.status_code == 200
    return response.json()


def exported(client, fmt: str = "jsonl") -> str:
    response = client.get(f"/api/export/{fmt}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_created_annotation_stores_its_rendering(article, annotator_user):
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    assert stored(span) == rendered_now(span)
    assert json.loads(b"{" + stored(span)[0] + b"}")["quote"] == "Claudia Sheinbaum"


def test_a_service_change_renders_again_in_the_same_write(article, annotator_user, reviewer_user):
    span = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    annotation_review(annotation=span, reviewer=reviewer_user, approve=False, note="too vague")
    assert stored(span) == rendered_now(span)
    assert b'"status":"rejected"' in stored(span)[0]


def test_an_update_behind_the_models_back_clears_the_rendering_and_reads_show_the_change(
    api_as, article, annotator_user
):
    span = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    Annotation.objects.filter(pk=span.pk).update(review_note="checked by phone")
    assert stored(span) == (None, None)
    client = api_as(annotator_user)
    assert api_annotation(client, span.pk)["review_note"] == "checked by phone"
    assert stored(span) == rendered_now(span)  # the read stored it again


def test_exports_render_cleared_rows_before_writing_them(api_as, article, annotator_user):
    span = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    Annotation.objects.filter(pk=span.pk).update(attributes={"check_worthiness": 5})
    client = api_as(annotator_user)
    (record,) = map(json.loads, exported(client).splitlines())
    assert record["annotations"][0]["attributes"] == {"check_worthiness": 5}
    Annotation.objects.filter(pk=span.pk).update(attributes={"check_worthiness": 2})
    (row,) = csv.DictReader(io.StringIO(exported(client, "csv")))
    assert json.loads(row["attributes"]) == {"check_worthiness": 2}


def test_a_renamed_label_shows_everywhere_without_touching_annotations(
    api_as, article, annotator_user
):
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    before = stored(span)
    Label.objects.filter(slug="person").update(slug="people")
    client = api_as(annotator_user)
    assert api_annotation(client, span.pk)["label"] == "people"
    (row,) = csv.DictReader(io.StringIO(exported(client, "csv")))
    assert row["label"] == "people"
    assert stored(span) == before


def test_a_renamed_author_shows_in_reads(api_as, article, annotator_user, editor_user):
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    get_user_model().objects.filter(pk=annotator_user.pk).update(username="ana.renamed")
    (record,) = map(json.loads, exported(api_as(editor_user)).splitlines())
    assert record["annotations"][0]["author"] == "ana.renamed"
    assert api_annotation(api_as(editor_user), span.pk)["author"] == "ana.renamed"


def test_a_label_changing_kind_renders_its_spans_again(api_as, article, annotator_user):
    span = tag(article, annotator_user, "other", "Ciudad de México")
    assert api_annotation(api_as(annotator_user), span.pk)["attributes"] == {"entity": None}
    label = Label.objects.get(slug="other")
    label.kind, label.entity_type = "claim", ""
    label.save()
    body = api_annotation(api_as(annotator_user), span.pk)
    assert (body["kind"], body["attributes"]) == ("claim", {})


def test_deleting_an_entity_unlinks_its_spans_in_reads(api_as, article, annotator_user):
    entity = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum", {"entity": entity.pk})
    entity.delete()
    assert api_annotation(api_as(annotator_user), span.pk)["attributes"] == {"entity": None}


def test_merging_entities_relinks_spans_in_reads(api_as, article, annotator_user, editor_user):
    keep = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    merge = Entity.objects.create(name="C. Sheinbaum", type="person")
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum", {"entity": merge.pk})
    entities_merge(keep=keep, merge=merge, user=editor_user)
    body = api_annotation(api_as(annotator_user), span.pk)
    assert body["attributes"] == {"entity": keep.pk}
    assert body["version"] == 2


def test_a_new_revision_renders_moved_spans_again(api_as, article, annotator_user, editor_user):
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    revision = revision_add(article=article, user=editor_user, text="Breaking. " + article.text)
    assert stored(span) == rendered_now(span)
    body = api_annotation(api_as(annotator_user), span.pk)
    assert (body["start"], body["revision"]) == (span.start + len("Breaking. "), revision.pk)


def test_history_does_not_copy_the_renderings(article, annotator_user):
    span = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    fields = {f.name for f in span.history.model._meta.get_fields()}
    assert "quote" in fields
    assert not fields & set(Annotation.RENDERED)


def test_fetch_answers_an_empty_match_without_asking_the_database():
    from annotator.dbio import fetch

    assert fetch(Annotation.objects.filter(pk__in=[]).values_list("id", "rendered_json")) == []
