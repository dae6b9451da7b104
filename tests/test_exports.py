import csv
import io
import json
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.models import Annotation, Entity, Relation
from annotator.services import annotation_review, relation_create
from tests import conftest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(article, annotator_user, reviewer_user):
    sheinbaum = Entity.objects.create(
        name="Claudia Sheinbaum", type="person", wikidata_qid="Q4401233"
    )

    def tag(label, words, **attributes):
        return conftest.tag(article, annotator_user, label, words, attributes or None)

    person = tag("person", "Claudia Sheinbaum", entity=sheinbaum.pk)
    city = tag("location", "Ciudad de México")
    quote = tag("quote", "Ça va très bien", speaker=sheinbaum.pk, attribution="direct")
    claim = tag("claim", "Claudia Sheinbaum habló en la Ciudad de México", verdict="true", fact_check_state="checked",
                verdict_note="=HYPERLINK(\"http://evil\")")  # fmt: skip
    emoji_span = tag("other", "👩‍👩‍👧")
    annotation_review(annotation=claim, reviewer=reviewer_user, approve=True)
    relation_create(
        source=quote, target=person, type=Relation.Type.SPOKEN_BY, author=annotator_user
    )
    return {
        "article": article,
        "spans": [person, city, quote, claim, emoji_span],
        "entity": sheinbaum,
    }


def export(client, fmt, **params):
    response = client.get(f"/api/export/{fmt}/", params)
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    return response, b"".join(response.streaming_content)


def test_jsonl_has_one_article_per_line_with_exact_spans_and_utf16_offsets(
    api_as, annotator_user, tagged
):
    _, body = export(api_as(annotator_user), "jsonl")
    lines = body.decode("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    text = record["text"]
    assert len(record["annotations"]) == 5
    utf16 = text.encode("utf-16-le")
    for a in record["annotations"]:
        assert text[a["start"] : a["end"]] == a["quote"]
        assert utf16[2 * a["start_utf16"] : 2 * a["end_utf16"]].decode("utf-16-le") == a["quote"]
    emoji = next(a for a in record["annotations"] if a["label"] == "other")
    assert (emoji["end"] - emoji["start"], emoji["end_utf16"] - emoji["start_utf16"]) == (5, 8)
    assert record["relations"] == [
        {"source": tagged["spans"][2].pk, "target": tagged["spans"][0].pk, "type": "spoken_by"}
    ]


def test_jsonl_line_round_trips_through_bulk_import(api_as, editor_user, annotator_user, tagged):
    client = api_as(editor_user)
    _, body = export(client, "jsonl")
    record = json.loads(body)
    copy = client.post(
        "/api/articles/", {"title": "copy", "text": record["text"] + "\n\nCopy."}
    ).json()
    record["id"] = copy["id"]
    record["text"] = copy["text"]
    response = client.post("/api/annotations/bulk/", record, format="json")
    assert response.status_code == 201, response.json()
    imported = {(a["label"], a["start"], a["end"], a["quote"]) for a in response.json()}
    original = {(a["label"], a["start"], a["end"], a["quote"]) for a in record["annotations"]}
    assert imported == original


def test_csv_is_one_row_per_annotation_and_neutralises_formulas(api_as, annotator_user, tagged):
    response, body = export(api_as(annotator_user), "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 5
    text = tagged["article"].text
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
    claim = next(row for row in rows if row["label"] == "claim")
    assert claim["attributes"].startswith("{")  # JSON, not a formula
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())
    from annotator.assembly import spreadsheet_safe

    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("-2") == "'-2"
    assert spreadsheet_safe("Mexico") == "Mexico"


def test_conll_tags_entity_tokens_with_bio(api_as, annotator_user, tagged):
    _, body = export(api_as(annotator_user), "conll")
    lines = body.decode("utf-8").split("\n")
    assert lines[0] == "-DOCSTART-\tO"
    pairs = [tuple(line.split("\t")) for line in lines if "\t" in line]
    assert ("Claudia", "B-PER") in pairs
    assert ("Sheinbaum", "I-PER") in pairs
    at = pairs.index(("Ciudad", "B-LOC"))
    assert pairs[at + 1 : at + 3] == [("de", "I-LOC"), ("México", "I-LOC")]
    assert "" in lines[2:-1]  # sentences are separated by a blank line


def test_brat_zip_has_text_and_standoff_with_exact_offsets(api_as, annotator_user, tagged):
    response, body = export(api_as(annotator_user), "brat")
    archive = zipfile.ZipFile(io.BytesIO(body))
    article_id = tagged["article"].pk
    text = archive.read(f"{article_id}.txt").decode("utf-8")
    assert text == tagged["article"].text
    ann = archive.read(f"{article_id}.ann").decode("utf-8").splitlines()
    t_lines = [line.split("\t") for line in ann if line.startswith("T")]
    assert len(t_lines) == 5
    for _, type_and_offsets, covered in t_lines:
        fragments = type_and_offsets.split(" ", 1)[1].split(";")
        assert " ".join(text[int(s) : int(e)] for s, e in (f.split() for f in fragments)) == covered
    assert any(line.startswith("R1\tspoken_by Arg1:") for line in ann)
    assert any("\tVerdict " in line and line.endswith(" true") for line in ann)
    assert "annotation.conf" in archive.namelist()


def test_claimreview_lists_only_approved_claims_with_a_verdict(api_as, annotator_user, tagged):
    _, body = export(api_as(annotator_user), "claimreview")
    reviews = json.loads(body)
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Claudia Sheinbaum habló en la Ciudad de México"
    assert review["reviewRating"]["alternateName"] == "True"
    assert review["reviewRating"]["ratingValue"] == 5


def test_exports_follow_the_list_filters(api_as, annotator_user, tagged):
    _, body = export(api_as(annotator_user), "jsonl", label="person")
    assert [a["label"] for a in json.loads(body)["annotations"]] == ["person"]


def test_updated_after_export_tells_mirrors_about_deletions(api_as, annotator_user, tagged):
    client = api_as(annotator_user)
    since = client.get(f"/api/annotations/{tagged['spans'][1].pk}/").json()["updated_at"]
    city = tagged["spans"][1]
    client.delete(f"/api/annotations/{city.pk}/")
    _, body = export(client, "jsonl", updated_after=since)
    record = json.loads(body)
    assert record["deleted_annotations"] == [city.pk]


@pytest.mark.writes_behind_the_apps_back
def test_span_whose_quote_no_longer_matches_is_left_out_and_listed_for_repair(
    api_as, annotator_user, tagged
):
    broken = tagged["spans"][1]
    Annotation.objects.filter(pk=broken.pk).update(
        quote="Somewhere else"
    )  # damage behind the app's back
    client = api_as(annotator_user)
    for _ in range(2):  # assembled, then from the cache: reported both times
        _, body = export(client, "jsonl")
        record = json.loads(body)
        assert broken.pk not in [a["id"] for a in record["annotations"]]
        assert record["needs_repair"] == [
            {"id": broken.pk, "reason": "quote no longer matches the text"}
        ]
    # A read reports it and writes nothing: the row is as the damage left it.
    broken.refresh_from_db()
    assert (broken.quote, broken.anchor_state, broken.version) == ("Somewhere else", "anchored", 1)


def test_orphans_of_a_text_edit_are_counted_in_the_header_and_left_out(
    api_as, editor_user, annotator_user, tagged
):
    client = api_as(editor_user)
    article = tagged["article"]
    client.patch(
        f"/api/articles/{article.pk}/",
        {"text": article.text.replace("Ciudad de México", "capital")},
    )
    response, body = export(client, "w3c")
    document = json.loads(body)
    # The city's words are gone; the claim that contained them follows its words, now
    # "... habló en la capital" (5 of its 8 words carry over: annotator/edits.py).
    assert response["X-Export-Needs-Repair"] == "1"
    assert document["total"] == len(document["first"]["items"]) == 4
    claim = next(
        i for i in document["first"]["items"] if "habló" in i["target"]["selector"][0]["exact"]
    )
    assert claim["target"]["selector"][0]["exact"] == "Claudia Sheinbaum habló en la capital"


def test_unknown_format_is_a_404_with_the_choices(api_as, annotator_user):
    response = api_as(annotator_user).get("/api/export/xml/")
    assert response.status_code == 404
    assert "jsonl" in response.json()["detail"]


def test_bad_filter_value_is_a_400(api_as, annotator_user):
    response = api_as(annotator_user).get("/api/export/csv/", {"updated_after": "yesterday"})
    assert response.status_code == 400
    assert "updated_after" in response.json()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "w3c", "conll", "brat", "claimreview"])
def test_export_queries_do_not_grow_with_articles(
    api_as, annotator_user, editor_user, fmt, django_assert_max_num_queries
):
    from annotator.services import annotations_bulk_create
    from articles.services import article_create

    for i in range(12):
        made, _ = article_create(
            user=editor_user, title=f"a{i}", text=f"Article {i} with some words in it."
        )
        annotations_bulk_create(
            article=made,
            author=annotator_user,
            items=[
                {"label": "claim", "start": 0, "end": 7},
                {"label": "person", "start": 8, "end": 10},
            ],
        )
    client = api_as(annotator_user)
    client.get("/api/labels/")
    with django_assert_max_num_queries(12):
        _, body = export(client, fmt)
    assert body


def test_sentences_do_not_end_at_initials():
    from annotator.sentences import sentence_around, sentence_ends

    text = "The U.S. project worried Mexico City. President Claudia Sheinbaum said no.\nNext line."
    # after "City.", after "no.", at the line break; the end of the text needs no mark
    assert sentence_ends(text) == [
        text.index("City.") + 5,
        text.index("no.") + 3,
        text.index("no.") + 4,
    ]
    start = text.index("Claudia")
    assert sentence_around(text, start, start + 7) == (
        "President ",
        "Claudia",
        " Sheinbaum said no.",
    )
    assert sentence_around(text, 4, 8) == ("The ", "U.S.", " project worried Mexico City.")


def test_sentences_do_not_end_after_a_title():
    from annotator.sentences import sentence_ends

    text = "Mr. Smith met Dr. Jones. La Dra. Sheinbaum habló con el Sr. Ebrard. ¿Y St. Louis?"
    assert sentence_ends(text) == [text.index("Jones.") + 6, text.index("Ebrard.") + 7]


@given(
    text=st.text(alphabet='ab .!?\n”")]MrDS', max_size=120),
    bounds=st.tuples(st.integers(0, 120), st.integers(0, 120)),
    limit=st.integers(1, 40),
)
def test_the_sentence_around_a_span_reads_only_its_window(text, bounds, limit):
    import bisect

    from annotator.sentences import sentence_around, sentence_ends

    start, end = sorted(min(b, len(text)) for b in bounds)
    ends = sentence_ends(text)  # the whole text, as it was done before
    before = ends[bisect.bisect_right(ends, start) - 1] if bisect.bisect_right(ends, start) else 0
    after = bisect.bisect_left(ends, end)
    right = min(ends[after] if after < len(ends) else len(text), end + limit)
    expected = (
        text[max(before, start - limit) : start].lstrip(),
        text[start:end],
        text[end:right].rstrip(),
    )
    assert sentence_around(text, start, end, limit) == expected


def test_brat_writes_a_span_across_paragraphs_as_fragments(api_as, annotator_user, article):
    span = conftest.tag(article, annotator_user, "claim", "ok.\n\nAhora")
    _, body = export(api_as(annotator_user), "brat")
    ann = zipfile.ZipFile(io.BytesIO(body)).read(f"{article.pk}.ann").decode("utf-8")
    (t_line,) = [line for line in ann.splitlines() if line.startswith("T")]
    first = span.start
    second = article.text.index("Ahora")
    assert t_line == f"T1\tClaim {first} {first + 3};{second} {second + 5}\tok. Ahora"
