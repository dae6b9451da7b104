"""How one revision of a text became the next: a diff that says, for every character of the old
text, whether it survives and where it now is.

The diff is diff-match-patch's (Myers' O(ND) algorithm with common prefix/suffix and half-match
speedups), run in three passes so that a long text stays fast and the result stays fine-grained:

1. lines (paragraphs), each encoded as one character, so 200,000 characters are a thousand-odd
   symbols and unchanged paragraphs are settled at once;
2. the words inside each run of changed lines, each with the spaces and punctuation after it;
3. between kept words, the most alike pairs of words letter by letter (a typo fixed in a
   name, a case changed), cleaned up semantically (diff-match-patch's
   ``diff_cleanupSemantic``); words alike in nothing are replaced whole, so a letter of one
   word is never taken for a letter of another.

A paragraph or sentence cut from one place and pasted in another shows in any diff as a
deletion and an insertion. :func:`diff_texts` diffs each deleted stretch against the inserted
stretches that share its words (compared case-, accent- and typography-insensitively) and pairs
them as a *move* through the equal stretches of at least :data:`MOVE_MIN_CHARS` characters and
:data:`MOVE_MIN_WORDS` words (and what lies between them), best pair first, each character used
once. Only deleted and inserted text is ever paired: words the diff kept in place are never
taken for the image of anything else.

The module is pure (no Django): the article layer uses it to show what changed between
revisions, and the annotator maps its spans through it (``annotator/edits.py``).
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# Myers' algorithm costs O(N*D); past this many seconds (wall time, as diff-match-patch counts
# it, so a busy machine reaches it sooner) diff-match-patch answers "all deleted, all inserted"
# for the part left, which is still a true diff (the spans in it are orphaned, never
# misplaced). Set aside symbols found on one side only, a rewritten text costs little anyway;
# this is a safety net, wide enough that a loaded server does not cut a normal pass short.
TIME_LIMIT = 5.0

# Moves: deleted and inserted text pair only through a stretch, equal but for form, of at least
# this many characters and words, so a stray "of the" is never taken for a moved phrase.
MOVE_MIN_CHARS = 8
MOVE_MIN_WORDS = 2
# Each deleted stretch is diffed against at most this many inserted ones (those sharing the
# most words with it), so a long list of edits stays linear.
MOVE_CANDIDATES = 4
MOVE_COMMON_WORD = 64

# Between kept words, two words are diffed letter by letter only when this alike (difflib's
# ratio on their folded forms; "Sheinbuam"/"Sheinbaum" 0.89, "said"/"told" 0.25), and only in
# stretches of at most this many word pairs (a longer one is a rewrite: replaced whole).
PAIR_MIN_RATIO = 0.5
PAIR_MAX_TRIES = 400

# Symbols found on one side only are set aside before Myers' algorithm when the two sequences
# are this large (their lengths multiplied): a thousand-odd paragraphs all changed.
SET_ASIDE_FROM = 250_000

# How far :func:`_tidy` looks for a better place for an edit.
TIDY_LIMIT = 64

_WORD = re.compile(r"\w+")
_UNIT = re.compile(r"\w+\W*|\W+")

EQUAL, DELETE, INSERT = (
    diff_match_patch.DIFF_EQUAL,
    diff_match_patch.DIFF_DELETE,
    diff_match_patch.DIFF_INSERT,
)

# Typography an editor fixes without changing a word: curly quotes, primes, dashes, odd spaces.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)


def fold_char(char: str) -> str:
    """One character as a copy-edit sees it: lower case, no accent, plain typography.

    Always one character for one, so folded texts keep the offsets of the originals.
    """
    char = char.translate(_TYPOGRAPHY)
    lowered = char.lower()
    if len(lowered) == 1:
        char = lowered
    base = unicodedata.normalize("NFD", char)[:1]
    return base if base and not unicodedata.combining(base) else char


def fold(text: str) -> str:
    """:func:`fold_char` over a text (same length as ``text``)."""
    plain = text.translate(_TYPOGRAPHY)
    lowered = plain.lower()
    if len(lowered) == len(plain) and lowered.isascii():
        return lowered  # the common case, at C speed
    return "".join(fold_char(c) for c in text)


def same_but_form(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only in case, accents, typography or spacing."""
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch the diff changed: ``old[old_start:old_end]`` became ``new[new_start:new_end]``
    (one side may be empty). Between two gaps the texts are equal."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int

    def shifted(self, by: int) -> Gap:
        return Gap(self.old_start + by, self.old_end + by, self.new_start + by, self.new_end + by)


@dataclass(frozen=True, slots=True)
class Move:
    """Deleted text found again in inserted text: each block ``(old, new, size)`` says that
    ``old[old:old+size]`` is now ``new[new:new+size]`` (equal, or equal but for form when the
    move was found by its folded words)."""

    blocks: tuple[tuple[int, int, int], ...]

    @property
    def old_start(self) -> int:
        return self.blocks[0][0]

    @property
    def old_end(self) -> int:
        return self.blocks[-1][0] + self.blocks[-1][2]

    @property
    def new_start(self) -> int:
        return self.blocks[0][1]

    @property
    def new_end(self) -> int:
        return self.blocks[-1][1] + self.blocks[-1][2]


@dataclass(frozen=True, slots=True)
class Hunk:
    """One stretch of the diff as a person reads it."""

    op: str  # "equal" | "delete" | "insert" | "replace"
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    moved: bool = False


@dataclass(frozen=True)
class TextDiff:
    old: str
    new: str
    gaps: tuple[Gap, ...]
    moves: tuple[Move, ...]
    complete: bool  # False when TIME_LIMIT cut the diff short (a coarser but true diff)

    def hunks(self) -> list[Hunk]:
        """Equal stretches and gaps in text order; a gap whose text was moved says so."""
        moved_old = [(m.old_start, m.old_end) for m in self.moves]
        moved_new = [(m.new_start, m.new_end) for m in self.moves]
        out: list[Hunk] = []
        old_pos = new_pos = 0
        for gap in self.gaps:
            if gap.old_start > old_pos:
                out.append(Hunk("equal", old_pos, gap.old_start, new_pos, gap.new_start))
            if gap.old_start == gap.old_end:
                op = "insert"
            elif gap.new_start == gap.new_end:
                op = "delete"
            else:
                op = "replace"
            moved = _overlaps(moved_old, gap.old_start, gap.old_end) or _overlaps(
                moved_new, gap.new_start, gap.new_end
            )
            out.append(Hunk(op, gap.old_start, gap.old_end, gap.new_start, gap.new_end, moved))
            old_pos, new_pos = gap.old_end, gap.new_end
        if old_pos < len(self.old):
            out.append(Hunk("equal", old_pos, len(self.old), new_pos, len(self.new)))
        return out

    def counts(self) -> dict[str, int]:
        """Characters deleted and inserted (a move counts as both)."""
        return {
            "deleted": sum(g.old_end - g.old_start for g in self.gaps),
            "inserted": sum(g.new_end - g.new_start for g in self.gaps),
        }


def _overlaps(ranges: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in ranges)


def diff_texts(old: str, new: str, *, time_limit: float = TIME_LIMIT) -> TextDiff:
    """Align ``old`` with ``new``: the gaps the diff found, and the moves among them."""
    engine = diff_match_patch()
    # No half-match speedup (it answers a diff that may not be the shortest, and in repeated
    # text a longer diff pairs the wrong copies); the deadline passed to each call still bounds
    # the time.
    engine.Diff_Timeout = 0
    deadline = time.time() + time_limit
    builder = _OpsBuilder()
    for op, a, b, c, d in _diff_lines(engine, old, new, deadline):
        if op == EQUAL:
            builder.equal(a, b, c, d)
        else:
            for a1, b1, c1, d1 in _paired_lines(old, new, a, b, c, d):
                _diff_words(engine, old, new, a1, b1, c1, d1, deadline, builder)
    gaps = _tidy(builder.gaps(), old, new)
    moves = _find_moves(engine, old, new, gaps, deadline)
    return TextDiff(old, new, tuple(gaps), tuple(moves), complete=time.time() < deadline)


class _OpsBuilder:
    """Collects equal stretches and edits in text order and merges them into gaps."""

    def __init__(self) -> None:
        self._gaps: list[Gap] = []
        self._open: list[int] | None = None  # the gap being extended: [a, b, c, d]

    def equal(self, a: int, b: int, c: int, d: int) -> None:
        if b > a:
            self._close()

    def edit(self, a: int, b: int, c: int, d: int) -> None:
        if a == b and c == d:
            return
        if self._open is None:
            self._open = [a, b, c, d]
        else:
            self._open[1], self._open[3] = b, d

    def _close(self) -> None:
        if self._open is not None:
            self._gaps.append(Gap(*self._open))
            self._open = None

    def gaps(self) -> list[Gap]:
        self._close()
        return self._gaps


def _diff_sequences(
    engine: diff_match_patch,
    units_a: Sequence[str],
    units_b: Sequence[str],
    deadline: float,
    *,
    semantic: bool = False,
) -> list[tuple[int, int, int, int, int]]:
    """Diff two sequences of strings (lines, words), each encoded as one character, and answer
    ``(op, i0, i1, j0, j1)`` index ranges, each run of changes (deletions and insertions
    together) as one ``DELETE`` entry."""
    table: dict[str, int] = {}
    encoded = []
    for units in (units_a, units_b):
        codes = [table.setdefault(u, len(table)) for u in units]
        if len(table) > 0x10FFFF:
            # More distinct units than code points (not under the text limit): one change
            # covering everything is still a true diff.
            return [(DELETE, 0, len(units_a), 0, len(units_b))]
        encoded.append("".join(map(chr, codes)))
    diffs = _diff_shared(engine, encoded[0], encoded[1], deadline)
    if semantic:
        engine.diff_cleanupSemantic(diffs)
    out: list[tuple[int, int, int, int, int]] = []
    i = j = 0
    pending: list[int] | None = None
    for op, symbols in diffs:
        n = len(symbols)
        if op == EQUAL:
            if pending:
                out.append((DELETE, *pending))
                pending = None
            out.append((EQUAL, i, i + n, j, j + n))
            i, j = i + n, j + n
            continue
        if pending is None:
            pending = [i, i, j, j]
        if op == DELETE:
            i += n
        else:
            j += n
        pending[1], pending[3] = i, j
    if pending:
        out.append((DELETE, *pending))
    return out


def _diff_shared(
    engine: diff_match_patch, a: str, b: str, deadline: float
) -> list[tuple[int, str]]:
    """diff-match-patch's diff of two symbol strings, with the symbols that occur on one side
    only set aside first: they can never be kept, and Myers' algorithm spends O(N*D) on them
    (a pass that changes every paragraph would cost seconds on a long text for nothing)."""
    if len(a) * len(b) < SET_ASIDE_FROM:
        # Small enough for Myers' algorithm as it is, and then its placement of an edit in
        # repeated symbols is the usual one, which the slides downstream expect.
        return engine.diff_main(a, b, False, deadline)
    shared = set(a) & set(b)
    keep_a = [k for k, c in enumerate(a) if c in shared]
    keep_b = [k for k, c in enumerate(b) if c in shared]
    if len(keep_a) == len(a) and len(keep_b) == len(b):
        return engine.diff_main(a, b, False, deadline)
    # The kept pairs of the shorter diff, as indices into the whole strings.
    pairs = []
    x = y = 0
    for op, symbols in engine.diff_main(
        "".join(a[k] for k in keep_a), "".join(b[k] for k in keep_b), False, deadline
    ):
        n = len(symbols)
        if op == EQUAL:
            pairs.extend((keep_a[x + k], keep_b[y + k]) for k in range(n))
            x, y = x + n, y + n
        elif op == DELETE:
            x += n
        else:
            y += n
    diffs: list[tuple[int, str]] = []
    i = j = 0
    for pi, pj in [*pairs, (len(a), len(b))]:
        if pi > i:
            diffs.append((DELETE, a[i:pi]))
        if pj > j:
            diffs.append((INSERT, b[j:pj]))
        if pi < len(a):
            if diffs and diffs[-1][0] == EQUAL:
                diffs[-1] = (EQUAL, diffs[-1][1] + a[pi])
            else:
                diffs.append((EQUAL, a[pi]))
        i, j = pi + 1, pj + 1
    # Edits cut apart by a set-aside symbol are slid together again where equal symbols allow
    # ("A<ins>T</ins>A<ins>A</ins>C" is "A<ins>TA</ins>AC"), as a diff of the whole would have.
    engine.diff_cleanupMerge(diffs)
    return diffs


def _diff_lines(
    engine: diff_match_patch, old: str, new: str, deadline: float
) -> list[tuple[int, int, int, int, int]]:
    """First pass: lines, answered as character ranges."""
    lines_a, lines_b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts_a = [0, *itertools.accumulate(map(len, lines_a))]
    starts_b = [0, *itertools.accumulate(map(len, lines_b))]
    return [
        (op, starts_a[i0], starts_a[i1], starts_b[j0], starts_b[j1])
        # Cleaned up semantically: a blank line kept between two changed paragraphs would
        # cut a moved stretch in two; the word pass finds what the paragraphs share anyway.
        for op, i0, i1, j0, j1 in _diff_sequences(engine, lines_a, lines_b, deadline, semantic=True)
    ]


def _paired_lines(
    old: str, new: str, a: int, b: int, c: int, d: int
) -> list[tuple[int, int, int, int]]:
    """A run of changed lines as stretches to diff word by word. As many lines on both sides,
    each alike its counterpart (a copy-edit pass touching every paragraph), are diffed pair by
    pair, which keeps a long text's word diff short; otherwise the run is diffed whole."""
    lines_a = old[a:b].splitlines(keepends=True)
    lines_b = new[c:d].splitlines(keepends=True)
    if len(lines_a) < 2 or len(lines_a) != len(lines_b):
        return [(a, b, c, d)]
    out = []
    x0, y0 = a, c
    for x, y in zip(lines_a, lines_b, strict=True):
        words_x, words_y = set(_WORD.findall(fold(x))), set(_WORD.findall(fold(y)))
        if len(words_x & words_y) * 2 < max(len(words_x), len(words_y)):
            return [(a, b, c, d)]
        out.append((x0, x0 + len(x), y0, y0 + len(y)))
        x0, y0 = x0 + len(x), y0 + len(y)
    return out


def _diff_words(
    engine: diff_match_patch,
    old: str,
    new: str,
    a: int,
    b: int,
    c: int,
    d: int,
    deadline: float,
    builder: _OpsBuilder,
) -> None:
    """Second pass over one changed stretch ``old[a:b]`` -> ``new[c:d]``: words, each with the
    spaces and punctuation after it, diffed as units; what differs goes to :func:`_diff_run`,
    which still finds a word whose comma changed ("Sheinbaum said" -> "President Sheinbaum"
    keeps "Sheinbaum")."""
    if a == b or c == d:
        builder.edit(a, b, c, d)
        return
    units_a = [m.span() for m in _UNIT.finditer(old, a, b)]
    units_b = [m.span() for m in _UNIT.finditer(new, c, d)]
    # The units tile the stretches, so unit i starts at starts[i] (and the last ends at b).
    starts_a = [x for x, _ in units_a] + [b]
    starts_b = [u for u, _ in units_b] + [d]
    for op, i0, i1, j0, j1 in _diff_sequences(
        engine, [old[x:y] for x, y in units_a], [new[x:y] for x, y in units_b], deadline
    ):
        x, y, u, v = starts_a[i0], starts_a[i1], starts_b[j0], starts_b[j1]
        if op == EQUAL:
            builder.equal(x, y, u, v)
        else:
            _diff_run(engine, old, new, x, y, u, v, deadline, builder)


def _diff_run(
    engine: diff_match_patch,
    old: str,
    new: str,
    a: int,
    b: int,
    c: int,
    d: int,
    deadline: float,
    builder: _OpsBuilder,
) -> None:
    """Third pass, between two kept units: pairs of alike words (a typo fixed, a case changed),
    most alike first and never crossing, are diffed letter by letter; words alike in nothing
    are replaced whole, so a letter of one word is never taken for a letter of another."""
    words_a = [m.span() for m in _WORD.finditer(old, a, b)]
    words_b = [m.span() for m in _WORD.finditer(new, c, d)]
    if not words_a or not words_b:
        _diff_chars(engine, old, new, a, b, c, d, deadline, builder)
        return
    pairs: list[tuple[int, int]] = []
    if len(words_a) * len(words_b) <= PAIR_MAX_TRIES:
        matcher = difflib.SequenceMatcher(autojunk=False)
        folded_a = [fold(old[x:y]) for x, y in words_a]
        scored = []
        for j, (u, v) in enumerate(words_b):
            matcher.set_seq2(fold(new[u:v]))
            for i, word in enumerate(folded_a):
                matcher.set_seq1(word)
                if (
                    matcher.real_quick_ratio() > PAIR_MIN_RATIO
                    and matcher.quick_ratio() > PAIR_MIN_RATIO
                    and (ratio := matcher.ratio()) > PAIR_MIN_RATIO
                ):
                    scored.append((-ratio, i, j))
        for _, i, j in sorted(scored):
            if all((i - p) * (j - q) > 0 for p, q in pairs):  # no crossing, no word twice
                pairs.append((i, j))
        pairs.sort()
    for i, j in pairs:
        (x, y), (u, v) = words_a[i], words_b[j]
        _replace(old, new, a, x, c, u, builder)
        _diff_chars(engine, old, new, x, y, u, v, deadline, builder)
        a, c = y, v
    _replace(old, new, a, b, c, d, builder)


def _replace(old: str, new: str, a: int, b: int, c: int, d: int, builder: _OpsBuilder) -> None:
    """``old[a:b]`` replaced whole by ``new[c:d]``; only the spaces and punctuation at its
    edges may be kept."""
    while a < b and c < d and old[a] == new[c] and not _is_word_char(old[a]):
        builder.equal(a, a + 1, c, c + 1)
        a, c = a + 1, c + 1
    end_a, end_c = b, d
    while (
        end_a > a
        and end_c > c
        and old[end_a - 1] == new[end_c - 1]
        and not _is_word_char(old[end_a - 1])
    ):
        end_a, end_c = end_a - 1, end_c - 1
    builder.edit(a, end_a, c, end_c)
    builder.equal(end_a, b, end_c, d)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _diff_chars(
    engine: diff_match_patch,
    old: str,
    new: str,
    a: int,
    b: int,
    c: int,
    d: int,
    deadline: float,
    builder: _OpsBuilder,
) -> None:
    if a == b or c == d:
        builder.edit(a, b, c, d)
        return
    diffs = engine.diff_main(old[a:b], new[c:d], False, deadline)
    engine.diff_cleanupSemantic(diffs)
    pos_a, pos_b = a, c
    for op, text in diffs:
        n = len(text)
        if op == EQUAL:
            builder.equal(pos_a, pos_a + n, pos_b, pos_b + n)
            pos_a, pos_b = pos_a + n, pos_b + n
        elif op == DELETE:
            builder.edit(pos_a, pos_a + n, pos_b, pos_b)
            pos_a += n
        else:
            builder.edit(pos_a, pos_a, pos_b, pos_b + n)
            pos_b += n


# --- Equivalent placements ------------------------------------------------------------------


def slide_room(gaps: Sequence[Gap], i: int, old: str, new: str, limit: int) -> tuple[int, int]:
    """How far the pure insertion or deletion ``gaps[i]`` can slide left and right and still
    give the same new text (deleting one "the " of "the the" is the first or the second),
    without reaching its neighbours and by at most ``limit``. ``(0, 0)`` for a replacement."""
    gap = gaps[i]
    if gap.old_start == gap.old_end:
        text, a, b = new, gap.new_start, gap.new_end
    elif gap.new_start == gap.new_end:
        text, a, b = old, gap.old_start, gap.old_end
    else:
        return 0, 0
    # The equal stretches on either side bound the slide, keeping one character of each so
    # that gaps never touch.
    room_left = gap.old_start - (gaps[i - 1].old_end + 1 if i else 0)
    room_right = (gaps[i + 1].old_start - 1 if i + 1 < len(gaps) else len(old)) - gap.old_end
    left = 0
    while left < min(room_left, limit) and text[a - left - 1] == text[b - left - 1]:
        left += 1
    right = 0
    while (
        right < min(room_right, limit)
        and b + right < len(text)
        and text[a + right] == text[b + right]
    ):
        right += 1
    return left, right


def placement_score(gap: Gap, old: str, new: str) -> int:
    """How natural the edges of a pure insertion or deletion are, as diff-match-patch's
    ``diff_cleanupSemanticLossless`` scores them: text edges and blank lines best, then line
    breaks, sentence ends, spaces, punctuation; inside a word worst."""
    if gap.old_start == gap.old_end:
        text, a, b = new, gap.new_start, gap.new_end
    else:
        text, a, b = old, gap.old_start, gap.old_end
    return _edge_score(text, a) + _edge_score(text, b)


def _edge_score(text: str, i: int) -> int:
    if i <= 0 or i >= len(text):
        return 6
    one, two = text[i - 1], text[i]
    if text.endswith("\n\n", 0, i) or text.startswith("\n\n", i):
        return 5
    if one == "\n" or two == "\n":
        return 4
    if not one.isalnum() and not one.isspace() and two.isspace():
        return 3
    if one.isspace() or two.isspace():
        return 2
    if not one.isalnum() or not two.isalnum():
        return 1
    return 0


def _tidy(gaps: list[Gap], old: str, new: str) -> list[Gap]:
    """Slide each pure insertion and deletion to its most natural place (whole sentences,
    whole words), as people read an edit."""
    for i, gap in enumerate(gaps):
        left, right = slide_room(gaps, i, old, new, TIDY_LIMIT)
        if left or right:
            best = max(
                range(-left, right + 1),
                key=lambda k: (placement_score(gap.shifted(k), old, new), -abs(k)),
            )
            gaps[i] = gap.shifted(best)
    return gaps


# --- Moves -----------------------------------------------------------------------------------


def _substantial(text: str, a: int, b: int) -> bool:
    a, b = _core(text, a, b)
    return b - a >= MOVE_MIN_CHARS and len(_WORD.findall(text, a, b)) >= MOVE_MIN_WORDS


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the spaces and punctuation at its edges."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _find_moves(
    engine: diff_match_patch, old: str, new: str, gaps: Sequence[Gap], deadline: float
) -> list[Move]:
    deleted = [(g.old_start, g.old_end) for g in gaps if _substantial(old, g.old_start, g.old_end)]
    inserted = [(g.new_start, g.new_end) for g in gaps if _substantial(new, g.new_start, g.new_end)]
    if not deleted or not inserted:
        return []
    # A gap's own two sides were already diffed against each other.
    own = {(g.old_start, g.old_end): (g.new_start, g.new_end) for g in gaps}
    words_of: dict[tuple[str, int, int], set[str]] = {}

    def words(side: str, a: int, b: int) -> set[str]:
        """Folded words: stretches sharing fewer than MOVE_MIN_WORDS are never diffed."""
        key = (side, a, b)
        if key not in words_of:
            words_of[key] = set(_WORD.findall(fold((old if side == "old" else new)[a:b])))
        return words_of[key]

    heap: list[tuple[int, int, tuple[int, int], tuple[int, int], tuple]] = []
    serial = 0

    def consider(d: tuple[int, int], pool: Sequence[tuple[int, int]]) -> None:
        nonlocal serial
        mine = words("old", *d)
        shared = sorted(
            ((len(mine & words("new", *i)), i) for i in pool if own.get(d) != i),
            reverse=True,
        )
        for count, i in shared[:MOVE_CANDIDATES]:
            if count < MOVE_MIN_WORDS:
                break
            blocks = _move_blocks(engine, old, new, d, i, deadline)
            if blocks:
                serial += 1
                score = sum(size for _, _, size in blocks)
                heapq.heappush(heap, (-score, serial, d, i, blocks))

    # Candidates through the words they share; a word in very many inserted stretches says
    # nothing about which one a deletion went to.
    index: dict[str, list[tuple[int, int]]] = {}
    for i in inserted:
        for word in words("new", *i):
            index.setdefault(word, []).append(i)
    for d in deleted:
        pool = {i for word in words("old", *d) for i in index.get(word, ())[:MOVE_COMMON_WORD]}
        consider(d, sorted(pool))
    free_old, free_new = set(deleted), set(inserted)
    moves: list[Move] = []
    while heap:
        _, _, d, i, blocks = heapq.heappop(heap)
        if d not in free_old or i not in free_new:
            continue
        move = Move(tuple(blocks))
        moves.append(move)
        free_old.discard(d)
        free_new.discard(i)
        # What is left on either side of the pair may still pair with something else.
        left_old = [
            r for r in ((d[0], move.old_start), (move.old_end, d[1])) if _substantial(old, *r)
        ]
        left_new = [
            r for r in ((i[0], move.new_start), (move.new_end, i[1])) if _substantial(new, *r)
        ]
        free_old.update(left_old)
        free_new.update(left_new)
        for r in left_old:
            consider(r, sorted(free_new))
        for r in left_new:
            for other in sorted(free_old):
                consider(other, [r])
    moves.sort(key=lambda m: m.old_start)
    return moves


def _move_blocks(
    engine: diff_match_patch,
    old: str,
    new: str,
    d: tuple[int, int],
    i: tuple[int, int],
    deadline: float,
) -> list[tuple[int, int, int]]:
    """The stretches of ``old[d]`` found again in ``new[i]``, equal but for form, when together
    they hold at least :data:`MOVE_MIN_WORDS` whole words and :data:`MOVE_MIN_CHARS` characters
    (a comma added inside a moved sentence splits its stretches, not its words)."""
    a, b = d
    c, e = i
    folded_old, folded_new = fold(old[a:b]), fold(new[c:e])
    inner = _OpsBuilder()
    _diff_words(engine, folded_old, folded_new, 0, b - a, 0, e - c, deadline, inner)
    blocks = []
    pos_a = pos_b = 0
    for gap in [*inner.gaps(), Gap(b - a, b - a, e - c, e - c)]:
        if gap.old_start > pos_a:
            blocks.append((pos_a, pos_b, gap.old_start - pos_a))
        pos_a, pos_b = gap.old_end, gap.new_end
    covered = sum(
        any(x <= m.start() and m.end() <= x + size for x, _, size in blocks)
        for m in _WORD.finditer(folded_old)
    )
    if covered < MOVE_MIN_WORDS or sum(size for _, _, size in blocks) < MOVE_MIN_CHARS:
        return []
    return [(a + x, c + y, size) for x, y, size in blocks]
