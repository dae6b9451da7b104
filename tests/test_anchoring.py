import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.anchoring import (
    CONTEXT_CHARS,
    OffsetMap,
    SpanError,
    Utf16Index,
    make_span,
    normalize_text,
    reanchor,
)

# Text made of the characters that break offset code: emoji with ZWJ and skin tones, flags,
# combining marks, CR/LF, right-to-left letters, plus arbitrary Unicode.
PIECES = st.sampled_from(
    [
        "a",
        "é",
        "e\u0301",
        "👩‍👩‍👧",
        "🇲🇽",
        "👍🏽",
        "\r\n",
        "\r",
        "\n",
        " ",
        "ا",
        "𝔘",
        "\u200d",
        "ñ",
        "n\u0303",
        "\ufeff",
        "가",
        "\u1100\u1161",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.characters(exclude_categories=["Cs"])), max_size=40).map(
    "".join
)


@given(TEXTS)
def test_normalize_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


@given(TEXTS)
def test_normalized_text_has_no_carriage_returns_and_is_nfc(raw):
    text = normalize_text(raw)
    assert "\r" not in text
    assert unicodedata.is_normalized("NFC", text)


def draw_span(data, length: int) -> tuple[int, int]:
    """A non-empty span of a text of ``length`` characters."""
    start = data.draw(st.integers(0, length - 1))
    return start, data.draw(st.integers(start + 1, length))


@given(TEXTS, st.data())
def test_span_quote_is_exactly_the_text_at_its_offsets(raw, data):
    text = normalize_text(raw)
    assume(len(text) >= 1)
    start, end = draw_span(data, len(text))
    span = make_span(text, start, end)
    assert text[span.start : span.end] == span.quote
    assert span.prefix == text[max(0, start - CONTEXT_CHARS) : start]
    assert span.suffix == text[end : end + CONTEXT_CHARS]


@given(TEXTS, st.data())
def test_utf16_round_trip_lands_on_the_same_span(raw, data):
    text = normalize_text(raw)
    assume(len(text) >= 1)
    start, end = draw_span(data, len(text))
    index = Utf16Index(text)
    s16, e16 = index.to_utf16(start), index.to_utf16(end)
    units = text.encode("utf-16-le")
    # The UTF-16 slice, as JavaScript's String.slice sees it, is the same characters.
    assert units[2 * s16 : 2 * e16].decode("utf-16-le") == text[start:end]
    assert (index.from_utf16(s16), index.from_utf16(e16)) == (start, end)


def test_utf16_offset_inside_a_surrogate_pair_is_refused():
    index = Utf16Index("a😀b")
    assert index.to_utf16(2) == 3
    with pytest.raises(SpanError):
        index.from_utf16(2)


@given(TEXTS, st.data())
def test_offsets_on_the_clients_raw_text_map_onto_the_same_characters(raw, data):
    mapper = OffsetMap(raw)
    assume(len(raw) >= 1)
    start, end = draw_span(data, len(raw))
    try:
        span = mapper.span(start, end)
    except SpanError:
        return  # refused with a reason: allowed, silently wrong is not
    piece = raw[start:end]
    if start == 0 and piece.startswith("\ufeff"):  # only a leading BOM is dropped
        piece = piece[1:]
    folded = piece.replace("\r\n", "\n").replace("\r", "\n")
    expected = unicodedata.normalize("NFC", folded)
    # Trimmed outer blank lines can shorten a span at the text's edges, never change its middle.
    assert span.quote in expected
    if span.start > 0 and span.end < len(mapper.text):
        assert span.quote == expected


def test_crlf_and_decomposed_accents_map_exactly():
    raw = "Cafe\u0301\r\nSheinbaum dijo"
    mapper = OffsetMap(raw)
    start = raw.index("Sheinbaum")
    span = mapper.span(start, start + len("Sheinbaum"), quote="Sheinbaum")
    assert mapper.text == "Café\nSheinbaum dijo"
    assert (span.start, span.end, span.quote) == (5, 14, "Sheinbaum")


def test_offset_between_cr_and_lf_is_refused_with_a_reason():
    mapper = OffsetMap("one\r\ntwo")
    with pytest.raises(SpanError, match="normalisation"):
        mapper.span(4, 7)


def test_offset_inside_a_composed_character_is_refused():
    mapper = OffsetMap("cafe\u0301 ok")
    with pytest.raises(SpanError):
        mapper.span(0, 4)  # ends between "e" and its accent


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(-1, 2, "start"), (3, 3, "end"), (4, 2, "end"), (0, 99, "end")],
)
def test_bad_offsets_name_the_field(start, end, field):
    with pytest.raises(SpanError) as error:
        make_span("hello", start, end)
    assert error.value.field == field


def test_quote_mismatch_names_both_texts():
    with pytest.raises(SpanError, match="'hel'") as error:
        make_span("hello", 0, 3, quote="help")
    assert error.value.field == "quote"


def test_normalize_drops_bom_and_outer_blank_lines_but_keeps_inner_ones():
    assert normalize_text("\ufeff\n  \nFirst\r\n\r\nSecond\n \n") == "First\n\nSecond"


def test_reanchor_keeps_a_span_whose_text_did_not_move():
    span, state = reanchor(
        "Hello world", start=6, end=11, quote="world", prefix="Hello ", suffix=""
    )
    assert (span.start, state) == (6, "anchored")


def test_reanchor_follows_text_inserted_before_the_span():
    span, state = reanchor(
        "Oh. Hello world", start=6, end=11, quote="world", prefix="Hello ", suffix=""
    )
    assert (span.start, span.end, state) == (10, 15, "moved")


def test_reanchor_prefers_the_occurrence_with_matching_context():
    text = "said no. Then the minister said no again."
    span, _ = reanchor(
        text, start=2, end=9, quote="said no", prefix="the minister ", suffix=" again"
    )
    assert text[span.start - 13 : span.start] == "the minister "


def test_reanchor_gives_up_when_the_quote_is_gone():
    assert reanchor("Completely new", start=0, end=5, quote="Hello", prefix="", suffix="") is None
