"""Carrying annotations' spans through an edit of their article's text.

The edit is the diff of the old text against the new one (``articles/textdiff.py``); a span is
mapped through it, never searched for, so an equal phrase elsewhere in the text can never attract
a tag. Each span comes out one of:

- ``kept``: its words are untouched (its offsets may have shifted with edits before it);
- ``moved``: its words are untouched but were cut and pasted elsewhere (a moved paragraph);
- ``changed``: its inside was edited; it now covers the edited words, and ``changes`` says what
  changed (``"Sheinbuam" -> "Sheinbaum"``);
- ``orphaned``: its words were deleted, or rewritten past :data:`KEEP_WORDS_SHARE`; the caller
  keeps its old offsets and quote for an editor to repair.

Rules at a span's edges, where a diff alone is ambiguous:

- Text inserted exactly at an edge stays outside the span ("López " before "Obrador" does not
  join the tag), unless it continues a word the span ends or starts with ("Sheinbau" + "m").
- A replacement that straddles an edge joins the span when more of the replaced text was inside
  the span than outside it.
- An insertion or deletion inside repeated text can be placed in several equivalent ways
  (deleting one "the " of "the the" is the first or the second); among the placements the diff
  allows, the one that touches the fewest spans is taken, for all spans at once, so two tags
  never end up on the one surviving copy.

No span ever covers characters that are the image of characters outside it: its new text is
made only of images of its own characters and of text inserted among them.
"""

from __future__ import annotations

import difflib
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from articles.textdiff import (
    Gap,
    TextDiff,
    diff_texts,
    placement_score,
    same_but_form,
    slide_room,
)

from .anchoring import Span, make_span

# A changed span keeps its place only while more than this share of its words carry over
# (a word carries over when more than half of its letters survive, counting a change of case,
# accent or typography as surviving), counted against the larger of its old and new word
# counts, so that words inserted into it weigh as much as words removed from it:
# "Sheinbuam" -> "Sheinbaum" carries 1 of 1; "Claudia Sheinbaum" -> "Claudia P. Sheinbaum"
# 2 of 3; "Claudia Sheinbaum" -> "Claudia Obrador" only 1 of 2, and is orphaned.
KEEP_WORDS_SHARE = 0.5

# How far an insertion or deletion may be slid along repeated text to spare a span.
SLIDE_LIMIT = 64

# A description's fragments are cut to this many characters.
FRAGMENT_CHARS = 60

_WORD = re.compile(r"\w+")


class Outcome(StrEnum):
    KEPT = "kept"
    MOVED = "moved"
    CHANGED = "changed"
    ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class SpanMapping:
    """Where one span went. ``span`` is its place in the new text (None when orphaned);
    ``changes`` pairs what its words were with what they are; ``reason`` says why a span was
    orphaned: ``deleted``, ``rewritten``, or ``split`` (its words were carried to different
    places, or other text was moved into its middle)."""

    outcome: Outcome
    span: Span | None
    changes: tuple[tuple[str, str], ...] = ()
    reason: str = ""

    @property
    def description(self) -> str:
        """What changed, for a person: ``"Sheinbuam" → "Sheinbaum"``."""
        text = "; ".join(f'"{_clip(before)}" → "{_clip(after)}"' for before, after in self.changes)
        if self.outcome == Outcome.ORPHANED:
            reason = {
                "deleted": "its words were deleted",
                "rewritten": "its words were rewritten",
                "split": "its words were moved apart",
            }[self.reason]
            return f"{reason}: {text}" if text else reason
        return text


def _clip(text: str) -> str:
    if len(text) <= FRAGMENT_CHARS:
        return text
    half = (FRAGMENT_CHARS - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


def map_span_edits(
    old: str, new: str, spans: Sequence[tuple[int, int]], *, diff: TextDiff | None = None
) -> list[SpanMapping]:
    """Map each ``(start, end)`` of ``old`` onto ``new``; one :class:`SpanMapping` per span, in
    order. ``diff`` may be passed when the caller already has ``diff_texts(old, new)``."""
    if diff is None:
        diff = diff_texts(old, new)
    mapper = _Mapper(diff, spans)
    return [mapper.map(start, end) for start, end in spans]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Mapper:
    def __init__(self, diff: TextDiff, spans: Sequence[tuple[int, int]]) -> None:
        self.old, self.new = diff.old, diff.new
        self.moves = diff.moves
        self.blocks = sorted(
            (o, n, size, index)
            for index, move in enumerate(diff.moves)
            for o, n, size in move.blocks
        )
        self.block_old = [b[0] for b in self.blocks]
        self.targets = sorted((m.new_start, m.new_end) for m in diff.moves)
        self.target_starts = [t[0] for t in self.targets]
        self.gaps = self._slide(list(diff.gaps), spans)
        self.gap_start = [g.old_start for g in self.gaps]
        self.gap_end = [g.old_end for g in self.gaps]

    # --- Choosing among equivalent placements ------------------------------------------------

    def _slide(self, gaps: list[Gap], spans: Sequence[tuple[int, int]]) -> list[Gap]:
        if not spans or not gaps:
            return gaps
        starts = sorted(s for s, _ in spans)
        ends = sorted(e for _, e in spans)

        def touched(gap: Gap) -> int:
            a, b = gap.old_start, gap.old_end
            if a == b:  # an insertion touches the spans it falls strictly inside
                return bisect_left(starts, a) - bisect_right(ends, a)
            return bisect_left(starts, b) - bisect_right(ends, a)

        moved_old = [(m.old_start, m.old_end) for m in self.moves]
        for i, gap in enumerate(gaps):
            if touched(gap) == 0:
                continue
            if any(a < gap.old_end and gap.old_start < b for a, b in moved_old) or (
                gap.old_start == gap.old_end and self._in_target(gap.new_start, gap.new_end)
            ):
                continue  # its text went elsewhere or came from elsewhere: not free to slide
            left, right = slide_room(gaps, i, self.old, self.new, SLIDE_LIMIT)
            if left or right:
                best = min(
                    range(-left, right + 1),
                    key=lambda k: (
                        touched(gap.shifted(k)),
                        -placement_score(gap.shifted(k), self.old, self.new),
                        abs(k),
                    ),
                )
                gaps[i] = gap.shifted(best)
        return gaps

    def _in_target(self, start: int, end: int) -> bool:
        i = bisect_right(self.target_starts, end) - 1
        while i >= 0:
            a, b = self.targets[i]
            if b <= start:
                return False
            if a < end:
                return True
            i -= 1
        return False

    def _free_part(self, start: int, end: int, keep_right: bool) -> tuple[int, int]:
        """The part of ``new[start:end]`` (inserted text) next to the span that holds no moved
        text: moved text belongs to the characters it was moved from."""
        for a, b in self.targets:
            if a < end and start < b:
                if keep_right:
                    start = max(start, b)
                else:
                    end = min(end, a)
        return (start, end) if start < end else (end, end) if keep_right else (start, start)

    # --- One span -------------------------------------------------------------------------------

    def map(self, s: int, e: int) -> SpanMapping:
        old, new = self.old, self.new
        # Pieces of the span that the diff kept in place: (old_start, old_end, new_start).
        j = bisect_right(self.gap_end, s) - 1
        before = self.gaps[j] if j >= 0 else None
        pos = s
        delta = before.new_end - before.old_end if before else 0
        pieces: list[tuple[int, int, int]] = []
        inside: list[Gap] = []
        k = j + 1
        while k < len(self.gaps) and self.gap_start[k] < e:
            gap = self.gaps[k]
            if gap.old_start > pos:
                pieces.append((pos, gap.old_start, pos + delta))
            inside.append(gap)
            pos = max(pos, gap.old_end)
            delta = gap.new_end - gap.old_end
            k += 1
        if pos < e:
            pieces.append((pos, e, pos + delta))
        after = self.gaps[k] if k < len(self.gaps) else None

        moved = self._moved_pieces(s, e)
        # Words of one span carried to two places: it goes with the larger part, and if that
        # is not enough to keep it, it was split rather than rewritten.
        split = len(moved) + bool(pieces) > 1
        if moved:
            largest = max(moved.values(), key=_size)
            if _size(largest) > _size(pieces):
                return self._map_moved(s, e, largest, split)
        if not pieces:
            return self._lost(s, e, inside)

        ns = pieces[0][2]
        ne = pieces[-1][2] + pieces[-1][1] - pieces[-1][0]
        first_old, last_old = pieces[0][0], pieces[-1][1]
        if first_old > s:
            gap = inside[0]
            if first_old - max(s, gap.old_start) > max(0, s - gap.old_start):
                ns = self._free_part(gap.new_start, gap.new_end, keep_right=True)[0]
                # Letters the replacement keeps from before the span stay outside it.
                ns = max(ns, self._edge_in_gap(gap, s, at_start=True))
        elif before and before.old_start == before.old_end == s:
            ns -= self._glued(before, at_start=True, s=s, e=e)
        if last_old < e:
            gap = inside[-1]
            if min(e, gap.old_end) - last_old > max(0, gap.old_end - e):
                ne = self._free_part(gap.new_start, gap.new_end, keep_right=False)[1]
                # Likewise letters it keeps from past the span.
                ne = min(ne, self._edge_in_gap(gap, e, at_start=False))
        elif after and after.old_start == after.old_end == e:
            ne += self._glued(after, at_start=False, s=s, e=e)
        ns, ne = self._trim(s, e, ns, ne)
        if ne <= ns:
            return SpanMapping(Outcome.ORPHANED, None, reason="deleted")
        if self._in_target(ns, ne):
            return SpanMapping(Outcome.ORPHANED, None, reason="split")
        quote = old[s:e]
        if new[ns:ne] == quote:
            return SpanMapping(Outcome.KEPT, make_span(new, ns, ne))
        changes = self._changes(s, e, ns, ne, inside)
        survived = [(a, b) for a, b, _ in pieces] + [
            (max(g.old_start, s), min(g.old_end, e))
            for g in inside
            if same_but_form(old[g.old_start : g.old_end], new[g.new_start : g.new_end])
        ]
        if not self._carries_over(quote, s, survived, new[ns:ne]):
            if split:
                return SpanMapping(Outcome.ORPHANED, None, reason="split")
            return SpanMapping(Outcome.ORPHANED, None, changes, reason="rewritten")
        return SpanMapping(Outcome.CHANGED, make_span(new, ns, ne), changes)

    def _lost(self, s: int, e: int, inside: list[Gap]) -> SpanMapping:
        """Orphaned with nothing of it left: deleted, or replaced by other words."""
        written = ""
        if inside:
            # What replaced it, cut short: the gap may be the whole text.
            start, end = inside[0].new_start, inside[-1].new_end
            written = self.new[start : min(end, start + 2 * FRAGMENT_CHARS)].strip()
        if not written:
            return SpanMapping(Outcome.ORPHANED, None, reason="deleted")
        return SpanMapping(Outcome.ORPHANED, None, ((self.old[s:e], written),), "rewritten")

    def _moved_pieces(self, s: int, e: int) -> dict[int, list[tuple[int, int, int]]]:
        """Pieces of the span carried by moves, by move."""
        out: dict[int, list[tuple[int, int, int]]] = {}
        i = max(0, bisect_right(self.block_old, s) - 1)
        while i < len(self.blocks) and self.blocks[i][0] < e:
            o, n, size, index = self.blocks[i]
            a, b = max(o, s), min(o + size, e)
            if a < b:
                out.setdefault(index, []).append((a, b, n + a - o))
            i += 1
        return out

    def _map_moved(
        self, s: int, e: int, pieces: list[tuple[int, int, int]], split: bool
    ) -> SpanMapping:
        old, new = self.old, self.new
        ns = pieces[0][2]
        ne = pieces[-1][2] + pieces[-1][1] - pieces[-1][0]
        ns, ne = self._trim(s, e, ns, ne)
        quote = old[s:e]
        if ne <= ns:
            return SpanMapping(Outcome.ORPHANED, None, reason="deleted")
        if new[ns:ne] == quote:
            return SpanMapping(Outcome.MOVED, make_span(new, ns, ne))
        changes = ((quote, new[ns:ne]),)
        # A move found by its folded words maps letters that differ only in form.
        survived = [(a, b) for a, b, _ in pieces]
        if not self._carries_over(quote, s, survived, new[ns:ne]):
            if split:
                return SpanMapping(Outcome.ORPHANED, None, reason="split")
            return SpanMapping(Outcome.ORPHANED, None, changes, reason="rewritten")
        return SpanMapping(Outcome.CHANGED, make_span(new, ns, ne), changes)

    def _edge_in_gap(self, gap: Gap, edge: int, *, at_start: bool) -> int:
        """Where a span whose old edge ``edge`` falls inside this replacement may start (or
        end) in its new text: not across a letter the replacement kept from the other side of
        the edge. Words are replaced whole ("stuvwx yzab" -> "XYab"), but the letters a
        replacement keeps are still the image of where they were."""
        old = self.old[gap.old_start : gap.old_end]
        new = self.new[gap.new_start : gap.new_end]
        if len(old) * len(new) > 4_000_000:  # a rewritten page: its edges are enough
            blocks = [(0, 0, len(os.path.commonprefix([old, new])))]
        else:
            blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
        kept = [
            (gap.old_start + a + i, gap.new_start + b + i)
            for a, b, size in blocks
            for i in range(size)
        ]
        if at_start:
            outside = [new_at for old_at, new_at in kept if old_at < edge]
            return max(outside) + 1 if outside else gap.new_start
        outside = [new_at for old_at, new_at in kept if old_at >= edge]
        return min(outside) if outside else gap.new_end

    def _glued(self, gap: Gap, *, at_start: bool, s: int, e: int) -> int:
        """How much of an insertion at an edge continues the word the span starts or ends with."""
        old = self.old
        inserted = self.new[gap.new_start : gap.new_end]
        if at_start:
            if (s > 0 and _is_word(old[s - 1])) or not _is_word(old[s]):
                return 0
            run = _word_run(reversed(inserted))
        else:
            if (e < len(old) and _is_word(old[e])) or not _is_word(old[e - 1]):
                return 0
            run = _word_run(inserted)
        start, end = (
            (gap.new_end - run, gap.new_end) if at_start else (gap.new_start, gap.new_start + run)
        )
        if run and self._in_target(start, end):
            return 0
        return run

    def _trim(self, s: int, e: int, ns: int, ne: int) -> tuple[int, int]:
        """Drop spaces the new edges gained that the old quote did not have."""
        old, new = self.old, self.new
        if not old[s].isspace():
            while ns < ne and new[ns].isspace():
                ns += 1
        if not old[e - 1].isspace():
            while ne > ns and new[ne - 1].isspace():
                ne -= 1
        return ns, ne

    def _carries_over(
        self, quote: str, s: int, survived: list[tuple[int, int]], new_quote: str
    ) -> bool:
        words = [(m.start() + s, m.end() + s) for m in _WORD.finditer(quote)]
        if not words:
            kept = sum(b - a for a, b in survived)
            return kept * 2 > max(len(quote), len(new_quote))
        carried = 0
        for a, b in words:
            kept = sum(max(0, min(b, y) - max(a, x)) for x, y in survived)
            if kept * 2 > b - a:
                carried += 1
        return carried > KEEP_WORDS_SHARE * max(len(words), len(_WORD.findall(new_quote)))

    def _changes(
        self, s: int, e: int, ns: int, ne: int, inside: list[Gap]
    ) -> tuple[tuple[str, str], ...]:
        """Each edit inside the span, widened to whole words of its old text (an insertion or
        a change of spaces to the words on either side), before and after."""
        old, new = self.old, self.new
        windows: list[list[int]] = []
        for gap in inside:
            a, b = max(gap.old_start, s), min(gap.old_end, e)
            a, b = _widen(old, a, max(a, b), s, e, blank=not old[a:b].strip())
            c, d = max(self._image(a, left=True), ns), min(self._image(b, left=False), ne)
            if windows and a <= windows[-1][1]:
                windows[-1][1], windows[-1][3] = max(windows[-1][1], b), max(windows[-1][3], d)
            else:
                windows.append([a, b, c, max(c, d)])
        out = tuple((old[a:b], new[c:d]) for a, b, c, d in windows if old[a:b] != new[c:d])
        return out or ((old[s:e], new[ns:ne]),)

    def _image(self, x: int, *, left: bool) -> int:
        """Where old position ``x`` is in the new text: before what was inserted there when it
        opens a window (``left``), after it when it closes one; a gap's edge inside a gap."""
        j = bisect_left(self.gap_end, x) - 1  # the last gap ending before x
        k = j + 1
        if k < len(self.gaps) and self.gaps[k].old_start < x:
            return self.gaps[k].new_start if left else self.gaps[k].new_end
        if k < len(self.gaps) and self.gaps[k].old_end == x:
            gap = self.gaps[k]
            if not (left and gap.old_start == gap.old_end):
                return gap.new_end
            return gap.new_start
        return x + (self.gaps[j].new_end - self.gaps[j].old_end if j >= 0 else 0)


def _widen(text: str, a: int, b: int, lo: int, hi: int, blank: bool) -> tuple[int, int]:
    """``text[a:b]`` widened to whole words within ``[lo, hi)``; an insertion or an edit of
    spaces alone is widened to the words on either side, so "said  that" -> "said that" and
    "six Mexican" -> "six reportedly Mexican" read as such."""
    if blank:
        while a > lo and text[a - 1].isspace():
            a -= 1
        while b < hi and text[b].isspace():
            b += 1
    while a > lo and not text[a - 1].isspace():
        a -= 1
    while b < hi and not text[b].isspace():
        b += 1
    return a, b


def _word_run(chars: Iterable[str]) -> int:
    run = 0
    for char in chars:
        if not _is_word(char):
            break
        run += 1
    return run


def _size(pieces: list[tuple[int, int, int]]) -> int:
    return sum(b - a for a, b, _ in pieces)
