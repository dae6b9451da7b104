"""Quote suggestions and their speakers, on the suggesters themselves (real spaCy model)."""

import pytest

from annotator.suggest import propose
from annotator.suggest.context import Context
from annotator.suggest.quote_marks import find_quotes

from .suggest_fixtures import MARKS, MULTI_PARAGRAPH, NOT_SPEECH, SPANISH, STORY


def quotes_of(text: str, language: str = "") -> dict[str, dict]:
    found = propose(Context(text=text, language=language))
    return {text[s.start : s.end]: s for s in found if s.label == "quote"}


@pytest.fixture(scope="module")
def story_quotes():
    return quotes_of(STORY)


def speaker(quotes: dict, passage: str) -> str:
    return quotes[passage].attributes.get("speaker_name", "")


def test_a_quote_split_by_its_attribution_gives_both_halves_the_full_name(story_quotes):
    assert speaker(story_quotes, "We will not subordinate ourselves to anyone,") == (
        "Claudia Sheinbaum"
    )
    assert speaker(story_quotes, "Mexico is a sovereign nation and it will stay one.") == (
        "Claudia Sheinbaum"
    )


def test_a_pronoun_is_the_person_last_named(story_quotes):
    assert speaker(story_quotes, "Every one of them had a court order,") == "Arturo Reyes"


def test_said_name_with_an_apposition(story_quotes):
    assert speaker(story_quotes, "This is a turning point for both countries,") == "Maria Lopez"


def test_a_quote_alone_after_an_introducing_paragraph_takes_its_speaker(story_quotes):
    assert speaker(story_quotes, "The cooperation continues, and it will grow.") == ("Arturo Reyes")


def test_quote_suggestions_carry_the_contract_attributes(story_quotes):
    quote = story_quotes["Every one of them had a court order,"]
    assert quote.attributes["attribution"] == "direct"
    assert 0 < quote.confidence <= 1 and quote.suggester == "quotations"
    assert STORY[quote.speaker_at[0] : quote.speaker_at[1]] == "Arturo Reyes"


def test_each_paragraph_of_a_long_quote_is_a_quote_by_the_same_speaker():
    quotes = quotes_of(MULTI_PARAGRAPH)
    assert set(quotes) == {
        "The first thing we owe the voters is the truth about the budget.",
        "The second thing we owe them is a plan that adds up, line by line.",
    }
    assert {q.attributes.get("speaker_name") for q in quotes.values()} == {"John Carter"}


def test_guillemets_straight_and_german_marks():
    quotes = quotes_of(MARKS)
    assert speaker(quotes, "We have the money for the new bridge and we will build it") == (
        "Ana Torres"
    )
    assert speaker(quotes, "The bridge opens next spring, on schedule,") == "Paul Meyer"
    assert "Wir bauen die Brücke bis zum Sommer" in quotes


def test_spanish_attribution_after_the_quote():
    quotes = quotes_of(SPANISH, language="es")
    assert speaker(quotes, "No vamos a subordinarnos a nadie") == "Claudia Sheinbaum"


def test_titles_and_scare_quotes_are_not_speech():
    quotes = quotes_of(NOT_SPEECH)
    assert "Face the Nation" not in quotes and "fake" not in quotes
    # A phrase of three words or more put in someone's mouth is still theirs.
    assert "a very bad deal" in quotes


def test_an_unclosed_quote_runs_to_the_end_of_its_paragraph_only():
    text = "“This goes on\n\nA new paragraph with no mark."
    spans = [(q.start, q.end) for q in find_quotes(text)]
    assert spans == [(1, len("“This goes on"))]


def test_straight_and_typographic_marks_mixed_in_one_quote():
    text = '“Deals should not be required," said Jo Park. "It was a “big” problem,” she said.'
    spans = [text[q.start : q.end] for q in find_quotes(text)]
    assert spans == ["Deals should not be required,", "It was a “big” problem,"]
