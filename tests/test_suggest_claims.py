"""Claim suggestions: checkable sentences scored for check-worthiness, not every sentence."""

from annotator.suggest import claims
from annotator.suggest.context import Context

from .suggest_fixtures import STORY


def claims_of(text: str) -> list[tuple[str, str]]:
    return [
        (text[s.start : s.end], s.attributes["check_worthiness"])
        for s in claims.suggest(Context(text=text))
    ]


def test_figures_dates_and_official_actions_are_check_worthy():
    found = dict(claims_of(STORY))
    assert found["Officials said 40 percent more fentanyl was seized in 2025 than in 2024."] == (
        "high"
    )
    assert found[
        "Mexico City — President Claudia Sheinbaum said on Tuesday that the government had "
        "extradited 26 cartel members to the United States in August."
    ] in {"high", "medium"}


def test_sentences_with_nothing_to_check_are_not_suggested():
    sentences = [sentence for sentence, _ in claims_of(STORY)]
    assert "I think this is a nice day for everyone in the city." not in sentences
    assert not any(sentence.startswith("“We will not") for sentence in sentences)


def test_the_most_check_worthy_come_first():
    levels = [level for _, level in claims_of(STORY)]
    order = {"high": 0, "medium": 1, "low": 2}
    assert levels == sorted(levels, key=order.get) and levels[0] == "high"


def test_questions_and_opinions_score_lower_than_the_same_facts_stated():
    stated, _ = claims.score("Unemployment rose to 12 percent in March 2025.")
    asked, _ = claims.score("Did unemployment rise to 12 percent in March 2025?")
    opinion, _ = claims.score("I think unemployment rose to 12 percent in March 2025.")
    assert stated > opinion and stated > asked
