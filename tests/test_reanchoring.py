"""A new text through the API: every tag on the words it meant or orphaned for repair, never on
other words; reviewed tags whose words changed go back to review; the revisions say what
became of the tags and what changed in the text."""

import pytest

from annotator.models import Annotation
from annotator.services import annotation_create, annotation_review

STORY = (
    "President Claudia Sheinbuam said on Tuesday that Mexico would cooperate. "
    '"We will not allow any intervention," she told reporters at the palace.\n'
    "The sinaloa cartel and the Jalisco cartel were designated as terrorist groups. "
    "Officials said the cartels are criminal groups.\n"
    "The White House has not yet made a final decision, officials said."
)


@pytest.fixture
def story(api_as, editor_user):
    response = api_as(editor_user).post("/api/articles/", {"title": "Story", "text": STORY})
    assert response.status_code == 201
    return response.json()["id"]


def tag(article_id, author, label, words, nth=0):
    from articles.models import Article

    article = Article.objects.get(pk=article_id)
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(words, start + 1)
    return annotation_create(
        article=article, author=author, label=label, start=start, end=start + len(words)
    )


def patch_text(client, article_id, text):
    response = client.patch(f"/api/articles/{article_id}/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_typo_fixed_inside_an_approved_tag_moves_it_onto_the_fixed_words_for_review_again(
    api_as, story, editor_user, annotator_user, reviewer_user
):
    name = tag(story, annotator_user, "person", "Claudia Sheinbuam")
    annotation_review(annotation=name, reviewer=reviewer_user, approve=True)
    text = patch_text(api_as(editor_user), story, STORY.replace("Sheinbuam", "Sheinbaum"))["text"]
    body = api_as(editor_user).get(f"/api/annotations/{name.pk}/").json()
    assert (body["quote"], body["anchor_state"], body["status"]) == (
        "Claudia Sheinbaum",
        "moved",
        "pending",
    )
    assert text[body["start"] : body["end"]] == "Claudia Sheinbaum"
    assert body["prefix"] == "President "
    history = Annotation.history.filter(id=name.pk).order_by("-history_id").first()
    assert history.history_change_reason == 're-anchor: changed: "Sheinbuam" → "Sheinbaum"'
    assert history.quote == "Claudia Sheinbaum"
    assert history.history_user_id == editor_user.pk


def test_tags_outside_an_edit_keep_their_words_and_review(
    api_as, story, editor_user, annotator_user, reviewer_user
):
    house = tag(story, annotator_user, "organization", "White House")
    annotation_review(annotation=house, reviewer=reviewer_user, approve=True)
    text = patch_text(
        api_as(editor_user), story, STORY.replace("President Claudia", "Mexican President Claudia")
    )["text"]
    body = api_as(editor_user).get(f"/api/annotations/{house.pk}/").json()
    assert text[body["start"] : body["end"]] == "White House"
    assert (body["quote"], body["status"], body["anchor_state"]) == (
        "White House",
        "approved",
        "moved",  # its offsets moved, its words did not
    )


def test_a_deleted_sentence_orphans_its_tag_and_the_equal_phrase_elsewhere_attracts_nothing(
    api_as, story, editor_user, annotator_user
):
    groups = tag(story, annotator_user, "claim", "criminal groups")
    terror = tag(story, annotator_user, "organization", "terrorist groups")
    new = STORY.replace(" Officials said the cartels are criminal groups.", "")
    patch_text(api_as(editor_user), story, new)
    groups.refresh_from_db()
    terror.refresh_from_db()
    assert (groups.anchor_state, groups.quote, groups.revision.number) == (
        "orphaned",
        "criminal groups",
        1,
    )
    assert terror.anchor_state == "anchored"
    assert new[terror.start : terror.end] == "terrorist groups"


def test_ten_copy_edits_leave_every_tag_on_its_words_or_orphaned(
    api_as, story, editor_user, annotator_user
):
    """The issue's editor pass: edits inside and outside tags, typography, whitespace, a case
    fix, a deletion and a move, one PATCH each."""
    phrases = {
        "name": "Claudia Sheinbuam",
        "quote": '"We will not allow any intervention,"',
        "org": "sinaloa cartel",
        "other_org": "Jalisco cartel",
        "house": "White House",
        "claim": "Officials said the cartels are criminal groups.",
        "decision": "final decision",
        "mexico": "Mexico",
    }
    tags = {key: tag(story, annotator_user, "claim", words) for key, words in phrases.items()}
    edits = [
        ("Sheinbuam", "Sheinbaum"),
        ("will not allow", "will never allow"),
        ("The sinaloa cartel", "The Sinaloa cartel"),
        (
            '"We will never allow any intervention,"',
            "\u201cWe will never allow any intervention,\u201d",
        ),
        ("said on Tuesday", "said  on  Tuesday"),
        ("said  on  Tuesday", "said on Tuesday"),
        ("Mexico would cooperate", "México would cooperate"),
        (" Officials said the cartels are criminal groups.", ""),
        ("has not yet made", "has yet to make"),
        ("at the palace", "at the National Palace"),
    ]
    client, text = api_as(editor_user), STORY
    for before, after in edits:
        assert before in text
        text = patch_text(client, story, text.replace(before, after, 1))["text"]
    expected = {
        "name": "Claudia Sheinbaum",
        "quote": "\u201cWe will never allow any intervention,\u201d",
        "org": "Sinaloa cartel",
        "other_org": "Jalisco cartel",
        "house": "White House",
        "claim": None,
        "decision": "final decision",
        "mexico": "México",
    }
    for key, annotation in tags.items():
        annotation.refresh_from_db()
        if expected[key] is None:
            assert annotation.anchor_state == "orphaned", key
            assert annotation.quote == phrases[key]
        else:
            assert annotation.anchor_state != "orphaned", key
            assert text[annotation.start : annotation.end] == expected[key] == annotation.quote


def test_revisions_carry_a_summary_of_what_became_of_the_tags(
    api_as, story, editor_user, annotator_user
):
    tag(story, annotator_user, "person", "Claudia Sheinbuam")
    tag(story, annotator_user, "organization", "White House")
    tag(story, annotator_user, "claim", "criminal groups")
    tag(story, annotator_user, "claim", "she told reporters")
    # The first paragraph moved to the end (a typo fixed in it), a claim rewritten.
    paragraphs = STORY.replace("Sheinbuam", "Sheinbaum").replace("criminal groups", "gangs")
    first, *rest = paragraphs.split("\n")
    patch_text(api_as(editor_user), story, "\n".join([*rest, first]))
    revisions = api_as(editor_user).get(f"/api/articles/{story}/revisions/").json()
    assert [r["summary"] for r in revisions] == [
        None,
        {"kept": 1, "moved": 1, "changed": 1, "orphaned": 1},
    ]
    listed = api_as(editor_user).get(
        "/api/annotations/", {"article": story, "anchor_state": "moved"}
    )
    assert sorted(a["quote"] for a in listed.json()["results"]) == [
        "Claudia Sheinbaum",
        "White House",
        "she told reporters",
    ]


def test_two_revisions_compare_as_a_text_diff(api_as, story, editor_user):
    client = api_as(editor_user)
    patch_text(client, story, STORY.replace("Sheinbuam", "Sheinbaum"))
    body = client.get(f"/api/articles/{story}/revisions/compare/").json()
    assert (body["from"], body["to"]) == (1, 2)
    changed = [h for h in body["hunks"] if h["op"] != "equal"]
    # "Sheinbuam" -> "Sheinbaum": the "u" went from before the "a" to after it.
    assert [(h["op"], h["old_text"], h["new_text"]) for h in changed] == [
        ("delete", "u", ""),
        ("insert", "", "u"),
    ]
    assert "".join(h.get("text", h.get("new_text")) for h in body["hunks"]) == STORY.replace(
        "Sheinbuam", "Sheinbaum"
    )
    same = client.get(f"/api/articles/{story}/revisions/compare/", {"from": 2, "to": 2}).json()
    assert [h["op"] for h in same["hunks"]] == ["equal"]


@pytest.mark.parametrize(
    ("query", "status"), [({"from": "x"}, 400), ({"from": 0}, 400), ({"to": 9}, 404)]
)
def test_comparing_revisions_that_do_not_exist_says_so(api_as, story, editor_user, query, status):
    response = api_as(editor_user).get(f"/api/articles/{story}/revisions/compare/", query)
    assert response.status_code == status
    assert response.json()


def test_a_tag_orphaned_by_one_edit_follows_its_words_when_a_later_edit_restores_them(
    api_as, story, editor_user, annotator_user
):
    decision = tag(story, annotator_user, "claim", "final decision")
    client = api_as(editor_user)
    patch_text(client, story, STORY.replace("a final decision", "a choice"))
    decision.refresh_from_db()
    assert decision.anchor_state == "orphaned"
    text = patch_text(client, story, STORY.replace("White House", "White  House"))["text"]
    decision.refresh_from_db()
    assert decision.anchor_state == "moved"
    assert text[decision.start : decision.end] == "final decision"


def _change_form_data(response) -> dict:
    """What the admin's change form would post back unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            data[form.add_prefix(name)] = (
                [str(v) for v in value] if isinstance(value, list) else value
            )
    return data


def test_a_new_text_saved_in_the_admin_carries_the_tags_the_same_way(
    client, story, superuser, annotator_user
):
    from django.urls import reverse

    name = tag(story, annotator_user, "person", "Claudia Sheinbuam")
    gone = tag(story, annotator_user, "claim", "criminal groups")
    client.force_login(superuser)
    url = reverse("admin:articles_article_change", args=[story])
    data = _change_form_data(client.get(url))
    assert data["text"] == STORY
    data["text"] = STORY.replace("Sheinbuam", "Sheinbaum").replace("criminal groups", "gangs")
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert (
        "revision 2; annotations: 0 kept, 0 moved, 1 changed, 1 orphaned"
        in response.content.decode()
    )
    name.refresh_from_db()
    gone.refresh_from_db()
    assert (name.quote, name.anchor_state, name.revision.number) == (
        "Claudia Sheinbaum",
        "moved",
        2,
    )
    assert gone.anchor_state == "orphaned"


def test_a_blank_text_in_the_admin_is_refused_and_changes_nothing(client, story, superuser):
    from django.urls import reverse

    from articles.models import Article

    client.force_login(superuser)
    url = reverse("admin:articles_article_change", args=[story])
    data = _change_form_data(client.get(url))
    data["text"] = "  \n  "
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "an article needs some text" in response.content.decode()
    assert Article.objects.get(pk=story).current_revision.number == 1


def test_a_reimport_of_the_same_story_revises_it_and_its_tags_follow(
    tmp_path, capsys, superuser, annotator_user
):
    import json

    from django.core.management import call_command

    from articles.models import Article

    url = "https://news.example/2026/sheinbaum-cartels"
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": "Story", "text": STORY, "source_url": url}) + "\n")
    call_command("import_articles", str(feed))
    (article,) = Article.objects.all()
    name = tag(article.pk, annotator_user, "person", "Claudia Sheinbuam")
    corrected = STORY.replace("Sheinbuam", "Sheinbaum")
    feed.write_text(
        json.dumps({"title": "Story", "text": corrected, "source_url": url})
        + "\n"
        + json.dumps({"title": "Story", "text": corrected, "source_url": url})
        + "\n"
    )
    call_command("import_articles", str(feed))
    out = capsys.readouterr().out
    assert "Imported 0, duplicates skipped 1, refused 0. Revised 1" in out
    (article,) = Article.objects.all()
    assert (article.current_revision.number, article.text) == (2, corrected)
    name.refresh_from_db()
    assert (name.quote, name.anchor_state, name.revision_id) == (
        "Claudia Sheinbaum",
        "moved",
        article.current_revision_id,
    )


def test_revisions_and_their_comparison_read_in_a_fixed_number_of_queries(
    api_as, story, editor_user, django_assert_max_num_queries
):
    client = api_as(editor_user)
    for n in range(3):
        patch_text(client, story, STORY + f" Update {n}.")
    with django_assert_max_num_queries(4):
        assert len(client.get(f"/api/articles/{story}/revisions/").json()) == 4
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/articles/{story}/revisions/compare/").json()["to"] == 4
