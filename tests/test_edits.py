"""Spans carried through edits of their text: the diff (articles/textdiff.py) and the mapping
(annotator/edits.py), pure functions, tested on the edits an editor makes and on random ones."""

import itertools
import os
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.edits import KEEP_WORDS_SHARE, Outcome, map_span_edits
from articles.textdiff import Gap, diff_texts, fold

STORY = (
    "President Claudia Sheinbuam said on Tuesday that Mexico would cooperate. "
    '"We will not allow any intervention," she told reporters at the palace.\n'
    "The sinaloa cartel and the Jalisco cartel were designated as terrorist groups. "
    "Officials said the cartels are criminal groups.\n"
    "The White House has not yet made a final decision, officials said."
)


def at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def follow(old: str, new: str, *spans: tuple[int, int]):
    return map_span_edits(old, new, list(spans))


# --- The edits an editor makes ---------------------------------------------------------------


def test_a_typo_fixed_inside_a_tag_changes_the_tag_onto_the_fixed_word():
    new = STORY.replace("Sheinbuam", "Sheinbaum")
    (name,) = follow(STORY, new, at(STORY, "Claudia Sheinbuam"))
    assert name.outcome == Outcome.CHANGED
    assert (name.span.start, name.span.end) == at(new, "Claudia Sheinbaum")
    assert name.span.quote == "Claudia Sheinbaum"
    assert name.span.prefix == "President "
    assert name.span.suffix == new[name.span.end : name.span.end + 32]
    assert name.changes == (("Sheinbuam", "Sheinbaum"),)
    assert name.description == '"Sheinbuam" → "Sheinbaum"'


def test_a_word_added_inside_a_quote_keeps_the_quote_covering_all_its_words():
    new = STORY.replace("will not allow", "will never, ever allow")
    quote, word = follow(
        STORY, new, at(STORY, '"We will not allow any intervention,"'), at(STORY, "intervention")
    )
    assert quote.outcome == Outcome.CHANGED
    assert quote.span.quote == '"We will never, ever allow any intervention,"'
    assert quote.description == '"not" → "never, ever"'
    assert word.outcome == Outcome.KEPT
    assert (word.span.start, word.span.end) == at(new, "intervention")


def test_a_case_fixed_in_an_organisation_changes_its_tag():
    new = STORY.replace("The sinaloa cartel", "The Sinaloa Cartel")
    (org,) = follow(STORY, new, at(STORY, "sinaloa cartel"))
    assert org.outcome == Outcome.CHANGED
    assert org.span.quote == "Sinaloa Cartel"
    assert org.changes == (("sinaloa", "Sinaloa"), ("cartel", "Cartel"))


def test_straight_quotes_made_typographic_carry_a_quote_tag_onto_the_curly_marks():
    new = STORY.replace('"We', "\u201cWe").replace(',"', ",\u201d")
    quote, inner = follow(
        STORY, new, at(STORY, '"We will not allow any intervention,"'), at(STORY, "We will not")
    )
    assert quote.outcome == Outcome.CHANGED
    assert quote.span.quote == "\u201cWe will not allow any intervention,\u201d"
    assert inner.outcome == Outcome.KEPT
    assert inner.span.quote == "We will not"


def test_spaces_collapsed_inside_a_tag_change_it_and_say_so():
    old = STORY.replace("on Tuesday that", "on  Tuesday  that")
    (tag,) = follow(old, STORY, at(old, "said on  Tuesday  that"))
    assert tag.outcome == Outcome.CHANGED
    assert tag.span.quote == "said on Tuesday that"
    assert tag.changes == (("on  Tuesday  that", "on Tuesday that"),)


def test_tags_untouched_by_an_edit_before_them_keep_their_words_at_shifted_offsets():
    new = STORY.replace("President Claudia", "Mexican President Claudia")
    house, decision = follow(STORY, new, at(STORY, "White House"), at(STORY, "final decision"))
    assert house.outcome == decision.outcome == Outcome.KEPT
    assert (house.span.start, house.span.end) == at(new, "White House")
    assert decision.span.start == at(STORY, "final decision")[0] + len("Mexican ")


def test_a_deleted_sentence_orphans_its_tags_and_the_equal_phrase_elsewhere_stays_put():
    old = "Officials said the cartels are terrorists. Later, the cartels responded in a statement."
    new = "Later, the cartels responded in a statement."
    deleted, other = follow(old, new, at(old, "the cartels"), at(old, "the cartels", 1))
    assert deleted.outcome == Outcome.ORPHANED
    assert deleted.span is None
    assert deleted.reason == "deleted"
    assert other.outcome == Outcome.KEPT
    assert (other.span.start, other.span.end) == at(new, "the cartels")


def test_words_rewritten_orphan_their_tag_with_what_they_became():
    new = STORY.replace("criminal groups", "terrorist organisations")
    (tag,) = follow(STORY, new, at(STORY, "criminal groups"))
    assert tag.outcome == Outcome.ORPHANED
    assert tag.reason == "rewritten"
    assert tag.changes == (("criminal groups", "terrorist organisations"),)
    assert tag.description == (
        'its words were rewritten: "criminal groups" → "terrorist organisations"'
    )


@pytest.mark.parametrize(
    ("after", "outcome"),
    [
        # 1 of 1 word carries over (8 of 9 letters survive).
        ("Claudia Sheinbaum", Outcome.CHANGED),
        # 2 of the 3 words now in the span carry over: more than half.
        ("Claudia P. Sheinbuam", Outcome.CHANGED),
        # 1 of 2: not more than half, so it is another person's name now.
        ("Claudia Obrador", Outcome.ORPHANED),
        # 2 of 4: not more than half either.
        ("Claudia Ruiz Massieu Sheinbuam", Outcome.ORPHANED),
    ],
)
def test_the_rewrite_threshold_is_more_than_half_of_the_words(after, outcome):
    assert KEEP_WORDS_SHARE == 0.5
    new = STORY.replace("Claudia Sheinbuam", after)
    (tag,) = follow(STORY, new, at(STORY, "Claudia Sheinbuam"))
    assert tag.outcome == outcome
    if outcome == Outcome.CHANGED:
        assert tag.span.quote == after


@pytest.mark.parametrize(
    ("after", "outcome"),
    [("Tiju", Outcome.CHANGED), ("Tij", Outcome.ORPHANED)],  # 4 of 7 letters left; 3 of 7
)
def test_a_word_carries_over_while_more_than_half_its_letters_survive(after, outcome):
    old = "They met in Tijuana today."
    (tag,) = follow(old, old.replace("Tijuana", after), at(old, "Tijuana"))
    assert tag.outcome == outcome


def test_a_moved_paragraph_carries_its_tags_to_its_new_place():
    paragraphs = STORY.split("\n")
    new = "\n".join([paragraphs[2], paragraphs[0], paragraphs[1]])
    house, name = follow(STORY, new, at(STORY, "White House"), at(STORY, "Claudia Sheinbuam"))
    assert house.outcome in (Outcome.MOVED, Outcome.KEPT)
    assert (house.span.start, house.span.end) == at(new, "White House")
    assert name.outcome in (Outcome.MOVED, Outcome.KEPT)
    assert (name.span.start, name.span.end) == at(new, "Claudia Sheinbuam")
    assert {house.outcome, name.outcome} == {Outcome.KEPT, Outcome.MOVED}


def test_a_moved_and_edited_sentence_carries_its_tags_changed():
    old = (
        "The cartels responded in a statement on Wednesday night.\n"
        "Nothing else happened in the capital that week.\n"
        "Analysts in Monterrey expect the designation to change very little."
    )
    new = (
        "Nothing else happened in the capital that week.\n"
        "Analysts in Monterrey expect the designation to change very little.\n"
        "The cartels responded in a long statement on Wednesday evening."
    )
    night, statement = follow(old, new, at(old, "Wednesday night"), at(old, "statement"))
    assert night.outcome == Outcome.ORPHANED  # 1 of 2 words carried over
    assert statement.outcome == Outcome.MOVED
    assert (statement.span.start, statement.span.end) == at(new, "statement")


def test_text_inserted_at_a_tags_edge_stays_outside_it():
    old, new = "Obrador spoke first.", "López Obrador spoke first."
    (tag,) = follow(old, new, at(old, "Obrador"))
    assert tag.outcome == Outcome.KEPT
    assert (tag.span.start, tag.span.end) == at(new, "Obrador")


def test_letters_added_to_the_word_a_tag_ends_with_join_it():
    old, new = "Sheinbau spoke first.", "Sheinbaum spoke first."
    first, whole = follow(old, new, at(old, "Sheinbau"), at(old, "Sheinbau spoke"))
    assert first.span.quote == "Sheinbaum"
    assert whole.span.quote == "Sheinbaum spoke"
    assert first.outcome == whole.outcome == Outcome.CHANGED


def test_a_doubled_word_removed_leaves_one_tag_on_the_word_and_orphans_the_other():
    old, new = "He said the the president would sign.", "He said the president would sign."
    results = follow(old, new, at(old, "the"), at(old, "the president"), at(old, "the", 1))
    first, phrase, second = results
    assert phrase.outcome == Outcome.KEPT
    assert (phrase.span.start, phrase.span.end) == at(new, "the president")
    # One word survives, so exactly one of the two tags on a "the" follows it.
    placed = [r for r in (first, second) if r.span is not None]
    assert len(placed) == 1
    assert (placed[0].span.start, placed[0].span.end) == at(new, "the")


def test_a_tag_whose_words_are_moved_apart_is_orphaned_as_split():
    old = (
        "Alpha beta gamma delta epsilon.\n"
        "This paragraph stays where it is, the longer one.\n"
        "Omega closes the story."
    )
    new = (
        "Alpha beta This paragraph stays where it is, the longer one. gamma delta epsilon.\n"
        "Omega closes the story."
    )
    tag, stays = follow(old, new, at(old, "beta gamma"), at(old, "paragraph stays"))
    assert tag.outcome == Outcome.ORPHANED
    assert tag.reason == "split"
    assert tag.description == "its words were moved apart"
    assert stays.outcome == Outcome.KEPT
    assert (stays.span.start, stays.span.end) == at(new, "paragraph stays")


def test_text_moved_into_the_middle_of_a_tag_orphans_it_rather_than_cover_other_words():
    old = (
        "Short moved words here.\n"
        "A long paragraph that stays in its place, with many words in it.\n"
        "Another long paragraph with the tagged alpha beta in it, staying too."
    )
    new = (
        "A long paragraph that stays in its place, with many words in it.\n"
        "Another long paragraph with the tagged alpha Short moved words here. beta in it, "
        "staying too."
    )
    tag, moved = follow(old, new, at(old, "alpha beta"), at(old, "moved words"))
    assert tag.outcome == Outcome.ORPHANED
    assert tag.reason == "split"
    assert moved.outcome == Outcome.MOVED
    assert (moved.span.start, moved.span.end) == at(new, "moved words")


def test_an_unchanged_text_keeps_every_tag_where_it_was():
    spans = [at(STORY, "Mexico"), at(STORY, "cartel"), at(STORY, "cartel", 1)]
    results = follow(STORY, STORY, *spans)
    assert [(r.outcome, r.span.start, r.span.end) for r in results] == [
        (Outcome.KEPT, s, e) for s, e in spans
    ]


def test_a_diff_cut_short_by_its_time_limit_orphans_rather_than_misplaces():
    old = STORY * 3
    new = STORY.replace("Sheinbuam", "Sheinbaum") + STORY.upper() + STORY
    diff = diff_texts(old, new, time_limit=0.0)
    assert not diff.complete
    spans = [m.span() for m in re.finditer(r"\w+( \w+)?", old)]
    for (s, e), result in zip(spans, map_span_edits(old, new, spans, diff=diff), strict=True):
        if result.outcome in (Outcome.KEPT, Outcome.MOVED):
            assert result.span.quote == old[s:e]


def test_hunks_list_the_text_diff_in_order_and_flag_a_move():
    paragraphs = STORY.split("\n")
    new = "\n".join([paragraphs[2], paragraphs[0], paragraphs[1].replace("sinaloa", "Sinaloa")])
    hunks = diff_texts(STORY, new).hunks()
    assert "".join(STORY[h.old_start : h.old_end] for h in hunks) == STORY
    assert "".join(new[h.new_start : h.new_end] for h in hunks) == new
    assert [h.op for h in hunks if h.op != "equal" and not h.moved] == ["replace"]
    replaced = next(h for h in hunks if h.op == "replace")
    assert (
        STORY[replaced.old_start : replaced.old_end],
        new[replaced.new_start : replaced.new_end],
    ) == ("s", "S")
    assert any(h.moved for h in hunks)


def test_fold_keeps_length_and_ignores_case_accents_and_typography():
    text = "\u201cMéxico\u201d \u2014 İstanbul \u2019s ß"
    assert len(fold(text)) == len(text)
    assert fold("\u201cMéxico\u201d \u2014") == '"mexico" -'


# --- Random texts, spans and edits ------------------------------------------------------------
#
# Texts of words that share no letter, edited the ways an editor edits; every character
# remembers which old character it is (or that it was inserted), so the true image of a span is
# known and no two ways of reading the edit are equally good. (Where words do share letters,
# "aaa aab" -> "aaaaaaa aaa" reads as well as an insertion before "aaa" as an edit of it: the
# repeated-text test below covers that, with weaker claims.)

LETTERS = (
    [chr(c) for c in range(0x430, 0x450) if c != 0x439]  # Cyrillic, cased
    + [chr(c) for c in range(0x3B1, 0x3CA) if c != 0x3C2]  # Greek, cased
    + [chr(c) for c in range(0x561, 0x587)]  # Armenian, cased
)
# Letters no word is made of, one per edit, so an edited word is never equal to another word.
MARKS = [chr(c) for c in range(0x5D0, 0x5EB)]  # Hebrew
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n"]

EDITS = ["delete", "insert", "typo", "letter", "drop", "case", "separator", "move"]


def _render(items):
    chars = [c for item in items for c in item]
    return "".join(c for c, _ in chars), [o for _, o in chars]


@st.composite
def edited_texts(draw, max_edits=6):
    lengths = draw(st.lists(st.integers(4, 6), min_size=20, max_size=20))
    letters, pool = iter(LETTERS), []
    for size in lengths:
        word = "".join(itertools.islice(letters, size))
        if len(word) < size:
            break
        pool.append(word)
    count = draw(st.integers(6, 12))
    words, spare = pool[:count], pool[count:]
    items = []  # word, separator, word, ..., word; each a list of (char, origin)
    position = 0
    for i, word in enumerate(words):
        if i:
            sep = draw(st.sampled_from(SEPARATORS))
            items.append([(c, position + k) for k, c in enumerate(sep)])
            position += len(sep)
        items.append([(c, position + k) for k, c in enumerate(word)])
        position += len(word)
    old, _ = _render(items)
    word_spans = [m.span() for m in re.finditer(r"\w+", old)]
    marks = iter(MARKS)
    kinds = draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=max_edits))
    # One move at most, and last, so that no later edit shortens the stretches it needs to be
    # recognised (two moves may together read best as one move of a single word).
    kinds = [k for k in kinds if k != "move"] + ["move"] * ("move" in kinds)
    for kind in kinds:
        n_words = (len(items) + 1) // 2
        i = draw(st.integers(0, n_words - 1))
        word = items[2 * i]
        if kind == "delete" and n_words > 2:
            cut = 2 * i if 2 * i + 1 < len(items) else 2 * i - 1  # with the separator after it
            del items[cut : cut + 2]
        elif kind == "insert" and spare:
            items[2 * i : 2 * i] = [[(c, None) for c in spare.pop()], [(" ", None)]]
        elif kind == "typo":
            k = draw(st.integers(0, len(word) - 1))
            word[k] = (next(marks), None)
        elif kind == "letter":
            k = draw(st.integers(0, len(word)))
            word.insert(k, (next(marks), None))
        elif kind == "drop" and len(word) > 2:
            k = draw(st.integers(0, len(word) - 1))
            del word[k]
            others = {"".join(c for c, _ in w).lower() for w in items[::2] if w is not word}
            if "".join(c for c, _ in word).lower() in others:
                word.insert(k, (next(marks), None))  # still unique
        elif kind == "case":
            items[2 * i] = [(c.upper(), None if c.upper() != c else o) for c, o in word]
        elif kind == "separator" and i < n_words - 1:
            sep = draw(st.sampled_from(SEPARATORS))
            items[2 * i + 1] = [(c, None) for c in sep]
        elif kind == "move" and n_words >= 9:
            # Words cut and pasted past other words, each side with two unedited words side
            # by side at least, so whichever side the diff takes for the moved one is long
            # enough to be paired (MOVE_MIN_CHARS, MOVE_MIN_WORDS).
            size = draw(st.integers(3, 4))
            start = draw(st.integers(0, n_words - size - 1))
            chunk = items[2 * start : 2 * (start + size)]
            rest = items[: 2 * start] + items[2 * (start + size) :]
            rest_words = (len(rest) + 1) // 2

            def unedited(word):
                first, last = word[0][1], word[-1][1]
                return (
                    first is not None
                    and [o for _, o in word] == list(range(first, first + len(word)))
                    and (first == 0 or not old[first - 1].isalnum())
                    and (last + 1 == len(old) or not old[last + 1].isalnum())
                )

            def pristine(words):
                """The longest run of unedited words side by side."""
                run = best = 0
                for w in words[::2]:
                    run = run + 1 if unedited(w) else 0
                    best = max(best, run)
                return best

            choices = [
                j
                for j in range(rest_words)
                if pristine(rest[2 * min(j, start) : 2 * max(j, start)]) >= 2
            ]
            if choices and pristine(chunk) >= 2:
                j = draw(st.sampled_from(choices))
                items = rest[: 2 * j] + chunk + rest[2 * j :]
    new, origins = _render(items)
    spans = []
    for _ in range(draw(st.integers(1, 8))):
        a = draw(st.integers(0, len(word_spans) - 1))
        b = draw(st.integers(a, min(len(word_spans) - 1, a + 4)))
        spans.append((word_spans[a][0], word_spans[b][1]))
    return old, new, origins, spans


def _true_image(new, origins, s, e):
    """Where the old characters ``s..e-1`` are now, or None when they are not all there, in
    order, side by side, or when letters were added to the words at their edges."""
    where = {o: q for q, o in enumerate(origins) if o is not None and s <= o < e}
    if len(where) != e - s:
        return None
    start, end = where[s], where[s] + e - s
    if any(where[s + k] != start + k for k in range(e - s)):
        return None
    if (start > 0 and new[start - 1].isalnum()) or (end < len(new) and new[end].isalnum()):
        return None
    return start, end


@settings(max_examples=int(os.environ.get("EDITS_EXAMPLES", 400)), deadline=None)
@given(edited_texts())
def test_a_span_outside_every_edit_keeps_its_exact_words_at_their_new_place(case):
    old, new, origins, spans = case
    for (s, e), result in zip(spans, map_span_edits(old, new, spans), strict=True):
        image = _true_image(new, origins, s, e)
        if image is None or new[image[0] : image[1]] != old[s:e]:
            continue
        assert result.outcome in (Outcome.KEPT, Outcome.MOVED), (old[s:e], result)
        assert (result.span.start, result.span.end) == image


@settings(max_examples=int(os.environ.get("EDITS_EXAMPLES", 400)), deadline=None)
@given(edited_texts())
def test_no_span_ever_covers_words_that_are_not_the_image_of_its_own(case):
    old, new, origins, spans = case
    for (s, e), result in zip(spans, map_span_edits(old, new, spans), strict=True):
        if result.span is None:
            continue
        assert new[result.span.start : result.span.end] == result.span.quote
        for q in range(result.span.start, result.span.end):
            if new[q].isalnum():
                assert origins[q] is None or s <= origins[q] < e, (old[s:e], result.span.quote)
        if result.outcome in (Outcome.KEPT, Outcome.MOVED):
            assert result.span.quote == old[s:e]
        else:
            assert result.span.quote != old[s:e]


# Texts of a few words repeated, where equal phrases are everywhere, and one edit. Where the
# text repeats, an edit can be read in several equally good places ("the the the" -> "the the"
# lost the first, the second or the third "the"); spans inside the edit compete with those
# outside it for the one reading, so here all spans are outside it, and the reading that
# touches none of them must be found.
VOCABULARY = ["the", "cartel", "said", "Mexico", "a"]


@st.composite
def repetitive_edits(draw):
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=30))
    seps = [draw(st.sampled_from([" ", ", ", ". "])) for _ in words[1:]]
    text = words[0] + "".join(sep + word for sep, word in zip(seps, words[1:], strict=True))
    bounds = [0] + [m.end() for m in re.finditer(r"[ ,.]+", text)]
    starts = [m.start() for m in re.finditer(r"\w+", text)]
    ends = [m.end() for m in re.finditer(r"\w+", text)]
    a = draw(st.sampled_from(bounds))
    b = draw(st.sampled_from([x for x in bounds if x >= a] + [len(text)]))
    inserted = draw(st.lists(st.sampled_from(VOCABULARY), max_size=4))
    replacement = " ".join(inserted) + (" " if inserted and b < len(text) else "")
    new = text[:a] + replacement + text[b:]
    outside = [
        (starts[i], ends[j])
        for i in range(len(starts))
        for j in range(i, min(len(ends), i + 4))
        if ends[j] <= a or starts[i] >= b
    ]
    spans = draw(st.lists(st.sampled_from(outside), min_size=1, max_size=6)) if outside else []
    return text, new, spans


@settings(max_examples=int(os.environ.get("EDITS_EXAMPLES", 400)), deadline=None)
@given(repetitive_edits())
# Found by hypothesis: a word set aside as found on one side only once moved the deletion of
# "the the, " onto the first "the" (symbols are set aside only in long sequences now).
@example(("the the the, cartel", "the cartel", [(0, 3)]))
def test_in_repeated_text_spans_outside_the_edit_keep_their_exact_words(case):
    old, new, spans = case
    placed = {}
    for (s, e), result in zip(spans, map_span_edits(old, new, spans), strict=True):
        assert result.outcome in (Outcome.KEPT, Outcome.MOVED), (old[s:e], result)
        assert result.span.quote == old[s:e]
        # Two tags never end up on the one surviving copy of their words.
        where = (result.span.start, result.span.end)
        assert placed.setdefault(where, (s, e)) == (s, e)


def assert_true_diff(old, new):
    diff = diff_texts(old, new)
    old_at = new_at = 0
    for gap in [*diff.gaps, Gap(len(old), len(old), len(new), len(new))]:
        # Between gaps the texts are equal.
        assert old[old_at : gap.old_start] == new[new_at : gap.new_start]
        assert old_at <= gap.old_start <= gap.old_end and new_at <= gap.new_start <= gap.new_end
        old_at, new_at = gap.old_end, gap.new_end
    for move in diff.moves:
        for o, n, size in move.blocks:
            assert fold(old[o : o + size]) == fold(new[n : n + size])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_the_diff_is_a_true_diff_of_any_two_texts(old, new):
    assert_true_diff(old, new)


@settings(max_examples=300, deadline=None)
@given(st.one_of(edited_texts(), repetitive_edits()))
def test_the_diff_is_a_true_diff_of_edited_texts(case):
    assert_true_diff(case[0], case[1])
