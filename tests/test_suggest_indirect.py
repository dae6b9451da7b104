"""Reported speech, a suggester that a newsroom turns on in SUGGESTERS (off by default: each
one counts as a quote suggestion, and the direct quotes are what the desk asked to find)."""

from annotator.suggest import indirect_speech, propose, suggesters
from annotator.suggest.context import Context

TEXT = (
    "Senator Ana Ruiz said on Tuesday that the new budget would cut school funding by half.\n\n"
    "She said it was a bad day.\n\n"
    "“We will fight,” Ruiz said."
)


def test_reported_speech_with_a_named_speaker_is_an_indirect_quote():
    found = list(indirect_speech.suggest(Context(text=TEXT)))
    assert [(TEXT[s.start : s.end], s.attributes) for s in found] == [
        (
            "the new budget would cut school funding by half",
            {"attribution": "indirect", "speaker_name": "Ana Ruiz"},
        )
    ]


def test_it_runs_only_when_listed_in_settings(settings):
    assert indirect_speech not in suggesters()
    settings.SUGGESTERS = [*settings.SUGGESTERS, "annotator.suggest.indirect_speech"]
    kinds = {
        (s.suggester, s.attributes.get("attribution"))
        for s in propose(Context(text=TEXT))
        if s.label == "quote"
    }
    assert kinds == {("quotations", "direct"), ("indirect_speech", "indirect")}
