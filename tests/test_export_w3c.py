"""The W3C export against the W3C Web Annotation test suite's MUST assertions (vendored in
tests/w3c/), plus the rules checked directly."""

import json
from pathlib import Path

import pytest

from annotator.models import Entity
from tests.conftest import tag
from tests.w3c.w3c_validate import Suite, units

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "w3c" / "schemas"


@pytest.fixture(scope="module")
def suite():
    return Suite(SCHEMAS)


@pytest.fixture
def document(api_as, annotator_user, article):
    sheinbaum = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    spans = [
        ("Claudia Sheinbaum", "person", {"entity": sheinbaum.pk}),
        ("👩‍👩‍👧", "other", None),
        ("Ça va très bien", "quote", {"speaker": sheinbaum.pk, "attribution": "direct"}),
        ("habló en la Ciudad", "claim", {"verdict": "false", "verdict_note": "She spoke online."}),
    ]
    for words, label, attributes in spans:
        tag(article, annotator_user, label, words, attributes)
    response = api_as(annotator_user).get("/api/export/w3c/")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_w3c_export_passes_every_must_assertion(suite, document):
    failures = []
    for label, kind, unit in units(document):
        if kind != "skip":
            failures += [(label, f["assertion"], f["detail"]) for f in suite.check(kind, unit)]
    assert failures == []


def test_w3c_collection_counts_and_embeds_its_page(document):
    assert document["type"] == "AnnotationCollection"
    assert "http://www.w3.org/ns/anno.jsonld" in document["@context"]
    assert document["total"] == len(document["first"]["items"]) == 4


def test_w3c_selectors_point_at_the_exact_text(document, article):
    for item in document["first"]["items"]:
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert article.text[position["start"] : position["end"]] == quote["exact"]
        units16 = article.text.encode("utf-16-le")
        s16, e16 = position["newsdesk:startUtf16"], position["newsdesk:endUtf16"]
        assert units16[2 * s16 : 2 * e16].decode("utf-16-le") == quote["exact"]


def test_suite_catches_a_broken_annotation(suite, document):
    broken = dict(document["first"]["items"][0])
    del broken["target"]
    broken["@context"] = "http://www.w3.org/ns/anno.jsonld"
    assert suite.check("annotation", broken)
