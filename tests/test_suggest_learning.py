"""What the desk decided changes what is suggested: in the article, and across articles."""

import pytest

from annotator.models import Annotation
from annotator.services import annotation_delete, annotation_review
from annotator.suggest import run_suggesters
from articles.services import article_create

from .conftest import tag
from .suggest_fixtures import STORY

OTHER = "The talks at the National Palace ended late. Riverside Nine members waited outside."


def new_article(editor, title: str, text: str):
    return article_create(user=editor, title=title, text=text)[0]


def suggest(article, user) -> list[Annotation]:
    ids = run_suggesters(article=article, user=user)
    return list(Annotation.objects.filter(pk__in=ids).select_related("label").order_by("id"))


def suggested_texts(article) -> set[tuple[str, str]]:
    rows = Annotation.objects.alive().filter(article=article, status="suggested")
    return set(rows.values_list("label__slug", "quote"))


@pytest.fixture
def story(editor_user):
    return new_article(editor_user, "Extraditions", STORY)


def test_a_rejected_suggestion_is_not_suggested_again_in_that_article(
    annotator_user, reviewer_user, story
):
    made = {(a.label.slug, a.quote): a for a in suggest(story, annotator_user)}
    annotation_delete(annotation=made[("organization", "National Palace")], user=annotator_user)
    annotation_review(
        annotation=made[("location", "Mexico City")],
        reviewer=reviewer_user,
        approve=False,
        note="a dateline",
    )
    assert run_suggesters(article=story, user=annotator_user) == []
    assert ("organization", "National Palace") not in suggested_texts(story)


def test_a_name_rejected_in_several_articles_stops_coming_back(
    editor_user, annotator_user, settings
):
    settings.SUGGEST_LEARN_AFTER = 2
    for number in (1, 2):
        article = new_article(editor_user, f"Talks {number}", f"Day {number}. " + OTHER)
        made = suggest(article, annotator_user)
        palace = next(a for a in made if a.quote == "National Palace")
        annotation_delete(annotation=palace, user=annotator_user)
    third = new_article(editor_user, "Talks 3", "Day 3. " + OTHER)
    found = {a.quote for a in suggest(third, annotator_user)}
    assert "National Palace" not in found


def test_a_name_confirmed_in_several_articles_is_found_everywhere(
    editor_user, annotator_user, settings
):
    settings.SUGGEST_LEARN_AFTER = 2
    for number in (1, 2):
        article = new_article(editor_user, f"Fans {number}", f"Riverside Nine fans {number}.")
        tag(article, annotator_user, "organization", "Riverside Nine")
    third = new_article(editor_user, "Waiting", OTHER)
    made = suggest(third, annotator_user)
    found = {a.quote: a for a in made if a.label.slug == "organization"}
    assert found["Riverside Nine"].suggester == "known_entities"


def test_a_name_confirmed_once_is_not_yet_learnt(editor_user, annotator_user, settings):
    settings.SUGGEST_LEARN_AFTER = 2
    article = new_article(editor_user, "Fans", "Riverside Nine fans.")
    tag(article, annotator_user, "organization", "Riverside Nine")
    third = new_article(editor_user, "Waiting", OTHER)
    made = suggest(third, annotator_user)
    assert not any(a.suggester == "known_entities" for a in made)
