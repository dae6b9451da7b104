"""Bodies that are too deep, too large or malformed get 400 with a message, through every door
that reads one, and change nothing."""

import json

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from annotator.api.parsers import nesting_depth_exceeds
from annotator.models import Annotation, Entity, Relation
from articles.models import Article

pytestmark = pytest.mark.django_db

DEEP_ARRAYS = b"[" * 100_000
DEEP_OBJECTS = b'{"a":' * 5_000
WRITE_DOORS = [
    "/api/articles/",
    "/api/annotations/",
    "/api/annotations/bulk/",
    "/api/entities/",
    "/api/relations/",
]


def counts():
    return (
        Article.objects.count(),
        Annotation.objects.count(),
        Entity.objects.count(),
        Relation.objects.count(),
    )


@pytest.mark.parametrize("door", WRITE_DOORS)
@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS], ids=["arrays", "objects"])
def test_deep_json_gets_400_with_a_message(api_as, editor_user, article, door, body):
    before = counts()
    response = api_as(editor_user).post(door, body, content_type="application/json")
    assert response.status_code == 400
    assert "nest deeper than 32 levels" in response.json()["detail"]
    assert counts() == before


def test_deep_json_is_refused_on_an_annotations_edit(api_as, editor_user, entity_span):
    response = api_as(editor_user).patch(
        f"/api/annotations/{entity_span.pk}/", DEEP_OBJECTS, content_type="application/json"
    )
    assert response.status_code == 400
    entity_span.refresh_from_db()
    assert entity_span.version == 1


def test_deep_json_is_refused_by_the_token_endpoint(client, editor_user):
    response = client.post("/api/auth/token/", DEEP_ARRAYS, content_type="application/json")
    assert response.status_code == 400
    assert "nest deeper" in response.json()["detail"]


def test_json_at_the_depth_limit_is_parsed(api_as, editor_user, article):
    # 32 levels in all: the body's object and 31 inside `attributes`.
    nested = '{"x":' * 30 + "1" + "}" * 30
    body = f'{{"article": {article.pk}, "label": "claim", "start": 0, "end": 4, "attributes": {nested}}}'
    response = api_as(editor_user).post("/api/annotations/", body, content_type="application/json")
    # Parsed, then refused by the claim's attribute rules, not by the parser.
    assert response.status_code == 400
    assert "nest deeper" not in str(response.json())


def test_brackets_inside_strings_do_not_count_as_depth():
    assert not nesting_depth_exceeds(b'{"text": "' + b"[" * 1000 + b'"}', 32)
    assert not nesting_depth_exceeds(b'["\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]', 32)
    assert nesting_depth_exceeds(b"[" * 33 + b"]" * 33, 32)
    assert not nesting_depth_exceeds(b"[" * 32 + b"]" * 32, 32)
    # Many siblings are not depth.
    assert not nesting_depth_exceeds(b"[" + b"[1]," * 10_000 + b"[1]]", 32)


@override_settings(API_MAX_JSON_BYTES=1000)
def test_json_over_the_size_limit_gets_400_before_it_is_read(api_as, editor_user):
    body = '{"title": "Big", "text": "' + "x" * 2000 + '"}'
    response = api_as(editor_user).post("/api/articles/", body, content_type="application/json")
    assert response.status_code == 400
    assert "larger than the 1,000 bytes" in response.json()["detail"]
    assert Article.objects.count() == 0


def test_json_size_is_checked_on_the_bytes_read_when_no_length_is_declared():
    import io

    from rest_framework.exceptions import ParseError

    from annotator.api.parsers import read_limited

    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(ParseError, match="larger than the 1,000 bytes"):
        read_limited(stream, {}, 1000, "JSON body")
    # It stopped after the limit and one byte: a endless body is never read whole.
    assert stream.tell() == 1001


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"title": "x",}', b"NaN", b'{"title": "\\ud800", "text": "a"}', b"\xff\xfe"],
    ids=["truncated", "trailing-comma", "nan", "lone-surrogate", "not-utf8"],
)
def test_malformed_json_gets_400(api_as, editor_user, body):
    response = api_as(editor_user).post("/api/articles/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert Article.objects.count() == 0


@pytest.mark.parametrize("door", WRITE_DOORS)
def test_deep_body_sent_as_a_form_is_refused_without_a_5xx(api_as, editor_user, article, door):
    before = counts()
    client = api_as(editor_user)
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = client.post(door, DEEP_ARRAYS, content_type=content_type)
        assert 400 <= response.status_code < 500, (content_type, response.status_code)
    assert counts() == before


def test_form_with_too_many_fields_gets_400_json(api_as, editor_user):
    body = "&".join(f"f{i}=1" for i in range(2000))
    response = api_as(editor_user).post(
        "/api/annotations/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Form parse error" in response.json()["detail"]


@override_settings(ARTICLE_MAX_UPLOAD_BYTES=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_multipart_upload_gets_413_before_it_is_parsed(api_as, editor_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.txt", b"word " * 1000, content_type="text/plain")
    response = api_as(editor_user).post("/api/articles/", {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert "larger than the 2,000 bytes" in response.json()["detail"]
    assert Article.objects.count() == 0


def test_multipart_upload_within_the_limits_still_works(api_as, editor_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("story.txt", b"Una historia corta.", content_type="text/plain")
    response = api_as(editor_user).post("/api/articles/", {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["text"] == "Una historia corta."


def depth_of(value) -> int:
    """How deep arrays and objects nest in a parsed value (iteratively)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, list | dict):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend(
                (child, depth) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


JSON_VALUES = st.recursive(
    st.none() | st.integers() | st.text(alphabet='[]{}"\\a '),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\a', max_size=3), children, max_size=3)
    ),
    max_leaves=40,
)


@given(JSON_VALUES)
def test_the_depth_check_agrees_with_the_parsed_document(value):
    body = json.dumps(value).encode()
    for limit in (1, 2, 3, 5, 8):
        assert nesting_depth_exceeds(body, limit) == (depth_of(value) > limit)
