"""Full-text search over articles and annotations, on whichever database the suite runs on."""

import pytest
from django.db import connection

from annotator.models import Annotation, Entity
from annotator.search import schema as annotation_schema
from annotator.search.selectors import search_annotations
from articles.models import Article
from articles.search import schema as article_schema
from articles.search.analysis import passage, query_words
from articles.search.selectors import search_articles
from articles.services import article_create, article_update
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def new_article(user, title, text, language="en", **extra):
    article, _ = article_create(user=user, title=title, text=text, language=language, **extra)
    return article


def found(q, queryset=None):
    return list(search_articles(queryset or Article.objects.all(), q).values_list("id", flat=True))


def found_spans(q):
    return list(search_annotations(Annotation.objects.all(), q).values_list("id", flat=True))


def test_an_english_word_finds_its_inflections(editor_user):
    story = new_article(
        editor_user, "Washington acts", "The State Department designated six cartels as terrorists."
    )
    new_article(editor_user, "Other", "A cartel of bakers raised prices.")
    assert found("designating") == [story.pk]
    assert found("designation cartel") == [story.pk]


def test_a_spanish_word_finds_its_inflections(editor_user):
    story = new_article(
        editor_user,
        "Washington actúa",
        "El Departamento de Estado designó a seis cárteles como organizaciones terroristas.",
        language="es-MX",
    )
    assert found("designaron cartel") == [story.pk]
    assert found("organización terrorista") == [story.pk]


def test_a_text_without_a_language_is_found_by_english_and_spanish_inflections(editor_user):
    story = new_article(
        editor_user, "Sin idioma", "Designaron a los cárteles; designated cartels.", ""
    )
    assert found("designar") == [story.pk]
    assert found("designating") == [story.pk]


def test_every_word_must_match_in_title_byline_or_text(editor_user):
    both = new_article(
        editor_user, "Sheinbaum answers", "The president spoke about tariffs.", byline="Ana Ruiz"
    )
    new_article(editor_user, "Sheinbaum travels", "The president flew to Oaxaca.")
    assert found("sheinbaum tariff ruiz") == [both.pk]
    assert found("sheinbaum tariff absentword") == []


def test_results_are_ranked_by_relevance_unless_an_order_is_given(editor_user):
    passing = new_article(
        editor_user, "Budget news", "Long story about roads. The tariffs came up once, at the end."
    )
    about = new_article(editor_user, "Tariffs, tariffs, tariffs", "Tariffs rise; tariffs hurt.")
    assert found("tariff") == [about.pk, passing.pk]
    ordered = search_articles(Article.objects.all(), "tariff").order_by("id")
    assert list(ordered.values_list("id", flat=True)) == [passing.pk, about.pk]


def test_the_index_follows_every_write_even_a_raw_update(editor_user):
    story = new_article(editor_user, "Old title", "Nothing to see.")
    Article.objects.filter(pk=story.pk).update(title="Earthquake in Oaxaca")
    assert found("earthquakes") == [story.pk]
    article_update(article=story, user=editor_user, changes={"text": "Floods hit Veracruz."})
    assert found("flooding") == [story.pk]
    assert found("nothing") == []


def test_an_annotation_is_found_by_quote_speaker_name_and_verdict_note(editor_user, annotator_user):
    story = new_article(
        editor_user,
        "Tariffs",
        "“We are negotiating tariffs,” the minister said. Exports doubled last year.",
    )
    quote = tag(
        story,
        annotator_user,
        "quote",
        "We are negotiating tariffs",
        {"speaker_name": "Marcelo Ebrard"},
    )
    claim = tag(
        story,
        annotator_user,
        "claim",
        "Exports doubled last year",
        {"verdict": "false", "verdict_note": "Customs figures show exports grew by a tenth."},
    )
    assert found_spans("negotiated tariff") == [quote.pk]
    assert found_spans("ebrard") == [quote.pk]
    assert found_spans("custom figure") == [claim.pk]
    assert found_spans("export") == [claim.pk]


def test_a_speaker_entity_renamed_is_found_by_its_new_name(editor_user, annotator_user):
    story = new_article(editor_user, "Q", "“No,” she said.")
    speaker = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    quote = tag(story, annotator_user, "quote", "No", {"speaker": speaker.pk})
    assert found_spans("sheinbaum") == [quote.pk]
    Entity.objects.filter(pk=speaker.pk).update(name="Claudia Sheinbaum Pardo")
    assert found_spans("pardo") == [quote.pk]


def test_an_annotation_follows_its_article_language(editor_user, annotator_user):
    story = new_article(editor_user, "Q", "Ellos designaron al fiscal.", language="es")
    span = tag(story, annotator_user, "claim", "designaron al fiscal")
    assert found_spans("designar") == [span.pk]
    Article.objects.filter(pk=story.pk).update(language="en")
    # PostgreSQL stems in the article's language: in English "designaron" is a word of its own.
    # SQLite matches any word that begins with the Spanish stem, whatever the language.
    assert found_spans("designar") == ([] if connection.vendor == "postgresql" else [span.pk])


def test_api_article_search_is_ranked_and_takes_an_ordering(api_as, editor_user):
    passing = new_article(editor_user, "Roads", "Roads, bridges and, once, cartels.")
    about = new_article(editor_user, "Cartels", "The cartels and their cartel wars.")
    client = api_as(editor_user)
    ranked = client.get("/api/articles/", {"q": "cartel"}).json()["results"]
    assert [a["id"] for a in ranked] == [about.pk, passing.pk]
    by_title = client.get("/api/articles/", {"q": "cartel", "ordering": "-title"}).json()
    assert [a["id"] for a in by_title["results"]] == [passing.pk, about.pk]


def test_api_annotation_search_is_ranked(api_as, editor_user, annotator_user):
    story = new_article(editor_user, "T", "Tariffs went up. Tariffs, tariffs and more tariffs.")
    once = tag(story, annotator_user, "claim", "Tariffs went up")
    many = tag(story, annotator_user, "claim", "Tariffs, tariffs and more tariffs")
    body = api_as(editor_user).get("/api/annotations/", {"q": "tariff"}).json()
    assert [a["id"] for a in body["results"]] == [many.pk, once.pk]
    assert body["count"] == 2


def test_search_keeps_to_what_the_user_may_read(
    api_as, editor_user, annotator_user, other_annotator
):
    mine = new_article(editor_user, "Open", "Cartels everywhere.")
    closed = new_article(editor_user, "Closed", "Cartels elsewhere.")
    closed.assignees.set([other_annotator])
    body = api_as(annotator_user).get("/api/articles/", {"q": "cartel"}).json()
    assert [a["id"] for a in body["results"]] == [mine.pk]


def test_a_bad_ordering_is_refused_with_its_reason(api_as, editor_user):
    response = api_as(editor_user).get("/api/articles/", {"q": "x", "ordering": "text"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_a_query_without_words_filters_nothing(api_as, editor_user):
    story = new_article(editor_user, "T", "Text.")
    body = api_as(editor_user).get("/api/articles/", {"q": " ¿?! "}).json()
    assert [a["id"] for a in body["results"]] == [story.pk]


def test_search_is_a_fixed_number_of_queries(api_as, editor_user, django_assert_max_num_queries):
    for i in range(12):
        new_article(editor_user, f"Cartel story {i}", f"Cartels, part {i}.")
    client = api_as(editor_user)
    with django_assert_max_num_queries(4):
        body = client.get("/api/articles/", {"q": "cartels"}).json()
    assert body["count"] == 12


@pytest.mark.writes_behind_the_apps_back
def test_dropped_triggers_are_put_back_and_the_index_refilled(editor_user, annotator_user):
    story = new_article(editor_user, "Before", "Old words.")
    span = tag(story, annotator_user, "claim", "Old words")
    article_schema.drop_triggers(
        connection, article_schema.POSTGRES_TRIGGERS, article_schema.SQLITE_TRIGGERS
    )
    annotation_schema.drop_triggers(
        connection, annotation_schema.POSTGRES_TRIGGERS, annotation_schema.SQLITE_TRIGGERS
    )
    # What a table rebuild would miss: a write while the triggers are gone.
    Article.objects.filter(pk=story.pk).update(title="Hurricane")
    Annotation.objects.filter(pk=span.pk).update(quote="Storm words")
    assert found("hurricane") == []
    article_schema.ensure_after_migrate(sender=None)
    annotation_schema.ensure_after_migrate(sender=None)
    assert found("hurricane") == [story.pk]
    assert found_spans("storm") == [span.pk]
    # And from then on the triggers work again.
    Article.objects.filter(pk=story.pk).update(title="Typhoon")
    assert found("typhoon") == [story.pk]


def test_passage_marks_every_inflection_around_the_first_match():
    text = "Intro. " * 60 + "The cartels were designated; a cartel designates."
    cut = passage(text, query_words("cartel designating"), "en", width=80)
    marked = [piece for piece, is_match in cut.pieces if is_match]
    assert marked == ["cartels", "designated", "cartel", "designates"]
    assert cut.clipped_start and not cut.clipped_end
    assert "".join(piece for piece, _ in cut.pieces) in text


def test_passage_shows_where_most_of_the_words_are():
    text = "A cartel. " + "Filler words here. " * 40 + "Cartels were designated."
    cut = passage(text, query_words("cartel designating"), "en", width=60)
    assert [piece for piece, is_match in cut.pieces if is_match] == ["Cartels", "designated"]
