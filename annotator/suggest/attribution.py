"""Who said a quote: the attribution beside it ("…,” she said", "said Smith", "Smith told
reporters: “…”", "according to …", "…”, dijo Sheinbaum"), resolved to a name through the
article's people (People): a surname to the full name the story used, a pronoun to the person it
last quoted or named, a description ("the spokesman") to the person it gave that role.

A quote with no attribution of its own takes its speaker only where the text carries it: the
paragraph of a quote that goes on from the previous one, the other half of a quote split by its
attribution, a paragraph that is the quote alone right after the speaker was quoted or
introduced ("Smith said:"), or a sentence of its own paragraph that says who spoke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .people import ROLE_WORDS, TITLES, People, clean_name, role_of
from .quote_marks import QuoteSpan

SPEECH_VERBS = (
    "said|says|say|saying|told|tells|tell|telling|added|adds|adding|warned|warns|warning|"
    "stated|states|declared|declares|explained|explains|noted|notes|argued|argues|asked|asks|"
    "answered|replied|replies|responded|responds|insisted|insists|claimed|claims|wrote|writes|"
    "tweeted|tweets|posted|continued|continues|concluded|recalled|recalls|admitted|admits|"
    "acknowledged|acknowledges|conceded|confirmed|confirms|announced|announces|emphasized|"
    "emphasised|stressed|stresses|suggested|suggests|predicted|promised|promises|vowed|vows|"
    "pledged|complained|complains|joked|jokes|quipped|shouted|yelled|cried|urged|urges|"
    "countered|counters|observed|remarked|reported|reports|recounted|testified|charged|"
    "contended|maintained|maintains|mused|agreed|agrees|boasted|boasts|bragged|lamented|"
    "cautioned|scoffed|whispered|wondered|demanded|demands|declared|thundered|sang|sings|"
    "chanted|read|reads|called|calls|calling|described|describes|dubbed|labeled|labelled|"
    "denied|denies|spoke|speaks|speaking|"
    # Spanish
    "dijo|dice|afirmó|afirma|declaró|declara|aseguró|asegura|explicó|explica|señaló|señala|"
    "indicó|indica|añadió|añade|agregó|agrega|advirtió|advierte|sostuvo|sostiene|manifestó|"
    "expresó|comentó|insistió|subrayó|destacó|reconoció|precisó|apuntó|respondió|preguntó|"
    "denunció|escribió|anunció|puntualizó|enfatizó|consideró|opinó|mencionó|aclaró|detalló"
)
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_ACCORDING = re.compile(r"\b(?:according\s+to|según|de\s+acuerdo\s+con)\s+", re.IGNORECASE)
PRONOUNS = {
    "he": "m", "she": "f", "they": None, "i": None, "we": None, "him": "m", "her": "f",
    "él": "m", "ella": "f", "ellos": None,
}  # fmt: skip
# Words between a subject and its verb: "Smith later said", "she has said", "he also told".
_FILLER = {
    "also", "later", "then", "again", "once", "has", "had", "have", "would", "will", "previously",
    "recently", "repeatedly", "publicly", "first", "further", "simply", "flatly", "often",
    "just", "only", "even", "still", "wryly",
    "cannot", "can", "could", "may", "might", "did", "does", "do", "not", "never", "ha", "había",
    "también", "luego", "después", "ya",
}  # fmt: skip
_DETERMINERS = {
    "the", "a", "an", "his", "her", "their", "its", "one", "another", "el", "la", "los", "las",
    "un", "una", "su", "sus", "this", "that",
}  # fmt: skip
_STOP_WORDS = {"and", "but", "or", "as", "when", "while", "because", "if", "so", "y", "pero"}
_TOKEN = re.compile(r"\((?:[^()]{1,24})\)|(?:[A-Z]\.)+|[\w][\w'’-]*\.?|[,;:—–―-]")
_ABBREVIATIONS = {
    "mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "gen.", "lt.", "col.", "sgt.",
    "capt.", "rev.", "jr.", "sr.", "st.", "prof.", "sra.", "dra.", "lic.", "u.s.", "d.c.",
    "del.", "atty.", "adm.", "supt.", "cmdr.", "amb.", "pres.", "sec.", "no.",
}  # fmt: skip
# A transcript line names its speaker inside the quote: "PENCE: Well, look, …"
_SPEAKER_LABEL = re.compile(r"(?P<subj>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)?)\s*:")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z“\"¿¡])|\n")
_DASH_NAME = re.compile(r"\s*[―—–]\s*(?P<subj>[A-Z][^\n.,;“”\"]{1,60}?)\s*(?:[.,;\n]|$)")


@dataclass
class Attribution:
    speaker_name: str = ""
    speaker_at: tuple[int, int] | None = None  # where the speaker is named
    how: str = "none"  # which rule found it
    confidence: float = 0.0


def attribute(text: str, quotes: list[QuoteSpan], people: People) -> list[Attribution]:
    """One Attribution per quote, in order."""
    results: list[Attribution] = []
    previous: Attribution | None = None
    previous_paragraph: tuple[int, int] | None = None
    for index, quote in enumerate(quotes):
        found = _local(text, quote, quotes, index, people)
        if found is None and quote.continues is not None:
            carried = results[quotes.index(quote.continues)]
            if carried.speaker_name:
                found = _carry(carried, "continues", 0.85)
        if found is None:
            found = _from_paragraph(text, quote, quotes, index, results, people)
        if found is None and previous is not None and previous.speaker_name:
            alone = text[quote.paragraph[0] : quote.open_mark].strip() == "" and (
                quote.close_mark is None
                or text[quote.close_mark + 1 : quote.paragraph[1]].strip() == ""
            )
            if alone and previous_paragraph is not None:
                found = _carry(previous, "quote alone after the speaker", 0.6)
        result = found or Attribution()
        results.append(result)
        if result.speaker_name:
            previous = result
        if quote.paragraph != previous_paragraph:
            previous_paragraph = quote.paragraph
    return results


def _carry(source: Attribution, how: str, confidence: float) -> Attribution:
    return Attribution(source.speaker_name, source.speaker_at, how, confidence)


def _local(
    text: str, quote: QuoteSpan, quotes: list[QuoteSpan], index: int, people: People
) -> Attribution | None:
    """The attribution written right beside the quote, after or before it."""
    label = _SPEAKER_LABEL.match(text, quote.start, quote.end)
    if label and label.group("subj").lower().rstrip(".") not in TITLES:
        name = label.group("subj")
        resolved = people.full_name(name.title() if name.isupper() else name)
        return Attribution(resolved, label.span("subj"), "speaker label", 0.8)
    if quote.close_mark is not None:
        after_start = quote.close_mark + 1
        dash = _DASH_NAME.match(text, after_start, _after_limit(text, quote, quotes, index))
        if dash:
            found = _named(dash.group("subj"), dash.span("subj"), people)
            found.how, found.confidence = "― name, after", 0.85
            return found
        after_end = _after_limit(text, quote, quotes, index)
        ends_with = text[quote.end - 1]
        opens_with = text[after_start:after_end].lstrip()[:1]
        # A quote inside a sentence ("called the plan “a disaster” for workers") has no
        # attribution after it; one that ends its own sentence takes only a lowercase one
        # ("….” he said), never the next sentence's subject.
        if (
            ends_with in ",?!…—–-"
            or opens_with in {",", "—", "–", "―"}
            or (ends_with == "." and opens_with.islower())
        ):
            found = _after(text, after_start, after_end, people)
            if found:
                return found
    found = _before(text, _before_limit(text, quote, quotes, index), quote.open_mark, people)
    return found


def tokenize(text: str, start: int, end: int) -> list[re.Match]:
    return list(_TOKEN.finditer(text, start, end))


def _is_verb(token: re.Match) -> bool:
    return bool(_VERB_RE.fullmatch(token.group().rstrip(".")))


def _after(text: str, start: int, end: int, people: People) -> Attribution | None:
    """ ", she said", " said Smith", " Smith, the minister, said", " according to Smith"."""
    tokens = tokenize(text, start, end)
    while tokens and tokens[0].group() in {",", "—", "–", "-", "―"}:
        tokens.pop(0)
    if not tokens:
        return None
    according = _ACCORDING.match(text, tokens[0].start(), end)
    if according:
        rest = [t for t in tokens if t.start() >= according.end()]
        found = _subject_after(text, rest, people)
        return _how(found, "according to, after", 0.9)
    if _is_verb(tokens[0]):
        found = _subject_after(text, tokens[1:], people)
        return _how(found, "said X, after", 0.9)
    for v, token in enumerate(tokens[:16]):
        if token.group() in {";", ":"} or token.group().endswith(".") and not _abbreviation(token):
            break
        if _is_verb(token) and v > 0:
            found = subject_before(text, tokens[:v], people)
            return _how(found, "X said, after", 0.9)
    return None


def _before(text: str, start: int, end: int, people: People) -> Attribution | None:
    """ "Smith said: “", "Smith told reporters that “", "according to Smith, “", "Smith: “"."""
    tokens = tokenize(text, start, end)
    if not tokens:
        return None
    for v in range(len(tokens) - 1, -1, -1):
        if _is_verb(tokens[v]) and v > 0:
            previous = tokens[v - 1].group().lower()
            if tokens[v].group().endswith("ing") or previous in _STOP_WORDS:
                # "Smith attacked X, saying", "Smith arrived and said": the sentence's subject.
                found = _sentence_subject(text, tokens[: v - 1], people)
            else:
                found = subject_before(text, tokens[:v], people)
            if found:
                return _how(found, "X said, before", 0.85)
            break
    for according in _ACCORDING.finditer(text, start, end):
        rest = [t for t in tokens if t.start() >= according.end()]
        found = _subject_after(text, rest, people)
        if found:
            return _how(found, "according to, before", 0.85)
    if tokens[-1].group() == ":" and len(tokens) >= 2:
        found = subject_before(text, tokens[:-1], people, names_only=True)
        if found:
            return _how(found, "X:, before", 0.8)
        # "President Obama is rolling out a new message: “…”"
        found = _sentence_subject(text, tokens[:-1], people)
        return _how(found, "subject: , before", 0.6)
    return None


def _sentence_subject(text: str, tokens: list[re.Match], people: People) -> Attribution | None:
    """The first person the clause names, or its opening pronoun: its subject, most often."""
    if not tokens:
        return None
    first = tokens[0].group().lower()
    if first in PRONOUNS and first not in {"him", "her"}:
        return _pronoun(first, tokens[0].start(), people)
    for mention in people.within(tokens[0].start(), tokens[-1].end()):
        if mention.kind == "person":
            return Attribution(people.full_name(mention.text), (mention.start, mention.end))
    return None


def _how(found: Attribution | None, how: str, confidence: float) -> Attribution | None:
    if found is not None:
        found.how, found.confidence = how, confidence
    return found


def _abbreviation(token: re.Match) -> bool:
    word = token.group().lower()
    return word in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)+", word))


def _capitalised(token: re.Match) -> bool:
    word = token.group()
    return word[:1].isupper() or (word.startswith("(") and len(word) <= 12)


def _name_run(tokens: list[re.Match], last: int) -> list[re.Match]:
    """The longest run of name words ending at ``last`` ("Sen. Bernie Sanders (Vt.)")."""
    first = last
    while first >= 0 and (
        _capitalised(tokens[first])
        or (
            tokens[first].group().lower() in _LOWER_PARTICLES
            and first > 0
            and _capitalised(tokens[first - 1])
        )
    ):
        first -= 1
    run = tokens[first + 1 : last + 1]
    while run and (
        run[0].group().lower() in _STOP_WORDS | _SENTENCE_WORDS or run[0].group().startswith("(")
    ):
        run = run[1:]
    return run


def subject_before(
    text: str, tokens: list[re.Match], people: People, *, names_only: bool = False
) -> Attribution | None:
    """The subject that ends the token list (the words before a speech verb), resolved."""
    i = len(tokens) - 1
    while i >= 0 and tokens[i].group().lower() in _FILLER:
        i -= 1
    if i < 0:
        return None
    word = tokens[i].group()
    if word.lower() in PRONOUNS and not names_only:
        return _pronoun(word.lower(), tokens[i].start(), people)
    if word == ",":
        # An apposition: "Smith, the minister, said" or "the minister, Jane Doe, said".
        j = i - 1
        while j >= 0 and tokens[j].group() not in {",", ";", ":"} and i - j < 30:
            j -= 1
        if j < 0 or tokens[j].group() != ",":
            return None
        inside = tokens[j + 1 : i]
        before = _name_run(tokens, j - 1)
        inside_run = _name_run(inside, len(inside) - 1) if inside else []
        if (
            before
            and len(before) == j - (j - len(before))
            and not _after_determiner(tokens, j - len(before))
        ):
            return _named_tokens(text, before, people)
        if inside_run and len(inside_run) == len(inside):
            return _named_tokens(text, inside_run, people)
        if before:
            return _named_tokens(text, before, people)
        return _description(text, tokens[:j], people)
    run = _name_run(tokens, i)
    if run:
        return _named_tokens(text, run, people)
    if names_only:
        return None
    return _description(text, tokens[: i + 1], people)


def _after_determiner(tokens: list[re.Match], first: int) -> bool:
    return first > 0 and tokens[first - 1].group().lower() in _DETERMINERS


def _subject_after(text: str, tokens: list[re.Match], people: People) -> Attribution | None:
    """The subject that starts the token list (the words after "said" or "according to")."""
    if not tokens:
        return None
    word = tokens[0].group()
    if word.lower() in PRONOUNS:
        return _pronoun(word.lower(), tokens[0].start(), people)
    end = 0
    while end < len(tokens) and end < 12:
        piece = tokens[end].group()
        if piece in {",", ";", ":", "—", "–", "―"} or piece.lower() in _PREPOSITIONS and end > 0:
            break
        if piece.endswith(".") and not _abbreviation(tokens[end]):
            end += 1
            break
        end += 1
    phrase = tokens[:end]
    if not phrase:
        return None
    run = _name_run(phrase, len(phrase) - 1)
    if run and len(run) == len(phrase):
        return _named_tokens(text, run, people)
    # "said the White House press secretary, Josh Earnest."
    if end < len(tokens) and tokens[end].group() == ",":
        rest = tokens[end + 1 : end + 8]
        k = 0
        while k < len(rest) and _capitalised(rest[k]):
            k += 1
        if k and (k == len(rest) or rest[k].group() in {",", ".", ";"}):
            return _named_tokens(text, rest[:k], people)
    return _description(text, phrase, people)


_PREPOSITIONS = {
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "who",
    "when",
    "while",
    "of",
    "for",
    "from",
    "with",
    "that",
    "en",
    "de",
    "ante",
    "durante",
    "quien",
}
_SENTENCE_WORDS = {
    "then", "but", "and", "now", "so", "also", "in", "on", "at", "yet", "still", "later",
    "meanwhile", "when", "after", "before", "asked", "here", "there", "today", "yesterday",
    "instead", "indeed", "however", "finally", "earlier", "previously", "separately",
}  # fmt: skip


def _named_tokens(text: str, run: list[re.Match], people: People) -> Attribution:
    start, end = run[0].start(), run[-1].end()
    # A parenthesis after the name is the party and state, "(D-Wis.)": not part of it.
    while run and run[-1].group().startswith("("):
        run = run[:-1]
        end = run[-1].end() if run else end
    name = text[start:end]
    if name.isupper() and len(name) > 3:
        name = name.title()
    return _named(name, (start, end), people)


def _description(text: str, tokens: list[re.Match], people: People) -> Attribution | None:
    """ "the president", "a White House spokesman", "Obama's former campaign strategist"."""
    j = len(tokens) - 1
    while j >= 0 and len(tokens) - j <= 8 and tokens[j].group() not in {",", ";", ":"}:
        if tokens[j].group().lower() in _DETERMINERS:
            break
        j -= 1
    phrase = tokens[max(j, 0) :]
    phrase = [t for t in phrase if t.group() not in {",", ";", ":"}]
    if not phrase:
        return None
    span = (phrase[0].start(), phrase[-1].end())
    return _subject(text, text[span[0] : span[1]], span, people, span[0])


def _after_limit(text: str, quote: QuoteSpan, quotes: list[QuoteSpan], index: int) -> int:
    limit = min(quote.paragraph[1], quote.close_mark + 160)
    if index + 1 < len(quotes) and quotes[index + 1].paragraph == quote.paragraph:
        limit = min(limit, quotes[index + 1].open_mark)
    return limit


def _before_limit(text: str, quote: QuoteSpan, quotes: list[QuoteSpan], index: int) -> int:
    start = quote.paragraph[0]
    if index > 0 and quotes[index - 1].paragraph == quote.paragraph:
        previous = quotes[index - 1]
        start = (previous.close_mark or previous.end) + 1
    # Only the sentence the quote opens in.
    window = text[start : quote.open_mark]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    return start + (ends[-1] if ends else 0)


def _subject(text: str, subject: str, span: tuple[int, int], people: People, at: int):
    words = subject.split()
    lowered = subject.lower()
    if lowered in PRONOUNS:
        return _pronoun(lowered, span[0], people)
    if _looks_like_name(subject):
        # Trim a trailing lowercase part the pattern took ("Trump campaign" stays whole).
        return _named(subject, span, people)
    # A description: a name inside it ("the Trump campaign", "a White House spokesman"),
    # else the person the story gave that role.
    inner = people.within(span[0], span[1])
    if inner:
        best = max(inner, key=lambda m: (m.kind == "person", m.end - m.start))
        if best.kind == "person":
            return Attribution(people.full_name(best.text), (best.start, best.end))
    role = role_of(subject)
    if role:
        name = people.by_role(role, span[0])
        if name:
            return Attribution(name, None)
    if inner:
        best = inner[-1]
        return Attribution(clean_name(best.text), (best.start, best.end))
    if words and words[0].lower() in {"the", "a", "an", "el", "la"} and len(words) <= 6:
        capitalised = [w for w in words[1:] if w[:1].isupper()]
        if capitalised:
            return Attribution(" ".join(capitalised), span)
    return None


def _named(name: str, span: tuple[int, int], people: People) -> Attribution:
    name = re.sub(r"\s*\([A-Z]-?[A-Za-z.]+\)$", "", name).strip()
    name = re.sub(r"['’]s$", "", name)
    return Attribution(people.full_name(name), span)


def _looks_like_name(phrase: str) -> bool:
    words = phrase.split()
    if not words or len(words) > 6:
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    first = words[0].lower().rstrip(".")
    return (
        len(capitalised) == len([w for w in words if w.lower() not in _LOWER_PARTICLES])
        and first not in {"the", "a", "an", "el", "la", "un", "una"}
        and first not in ROLE_WORDS | {"in", "on", "at", "but", "and", "as", "when", "if"}
        or (first in TITLES and len(words) > 1 and words[-1][:1].isupper())
    )


_LOWER_PARTICLES = {"de", "del", "la", "van", "von", "der", "bin", "al", "da", "di", "le"}


def _pronoun(pronoun: str, offset: int, people: People) -> Attribution | None:
    """The person a pronoun stands for: the nearest person named before it (a story that
    says "he said" has just named him), by gender where the title tells (Mr., Ms.)."""
    gender = PRONOUNS.get(pronoun)
    if pronoun in {"i", "we", "they", "ellos"}:
        return None
    for mention in people.before(offset, "person")[:12]:
        known = _gender(mention.text)
        if gender and known and known != gender:
            continue
        return Attribution(people.full_name(mention.text), (mention.start, mention.end))
    return None


def _gender(name: str) -> str | None:
    first = name.split()[0].lower().rstrip(".") if name.split() else ""
    if first in {"mr", "sr", "don", "sir", "lord", "king", "prince"}:
        return "m"
    if first in {"mrs", "ms", "miss", "sra", "srta", "doña", "dame", "lady", "queen"}:
        return "f"
    return None


def _from_paragraph(
    text: str,
    quote: QuoteSpan,
    quotes: list[QuoteSpan],
    index: int,
    results: list[Attribution],
    people: People,
) -> Attribution | None:
    """No attribution beside the quote: another quote of the same sentence or paragraph that
    has one, or the paragraph's own "X said" sentence, or the previous paragraph's intro."""
    same = [(q, results[i]) for i, q in enumerate(quotes[:index]) if q.paragraph == quote.paragraph]
    for _, earlier in reversed(same):
        if earlier.speaker_name:
            return _carry(earlier, "same paragraph", 0.7)
    p_start, p_end = quote.paragraph
    for piece_start, piece in _outside_quotes(text, p_start, p_end, quotes):
        at = piece_start
        for sentence in re.split(r"(?<=[.!?])\s+", piece):
            found = _before(text, at, at + len(sentence), people)
            at += len(sentence) + 1
            if found:
                return _how(found, "paragraph says who", 0.6)
    # A quote that opens its paragraph, after a paragraph whose last sentence says who
    # speaks ("Smith said:", "Senator Smith spoke for an hour.") and quotes nobody.
    if text[p_start : quote.open_mark].strip() == "" and quote.continues is None:
        line_end = text.rfind("\n", 0, p_start)
        while line_end > 0 and text[line_end - 1] == "\n":
            line_end -= 1
        line_start = text.rfind("\n", 0, line_end) + 1 if line_end > 0 else 0
        line = text[line_start:line_end]
        if line_end > 0 and not any(mark in line for mark in '“”"«»„'):
            sentences = list(re.finditer(r"[^.!?]+[.!?:]*", line))
            last = sentences[-1] if sentences else None
            if last is not None:
                found = _before(text, line_start + last.start(), line_start + last.end(), people)
                if found:
                    confidence = 0.75 if line.rstrip().endswith(":") else 0.6
                    return _how(found, "introduced by the paragraph before", confidence)
    return None


def _outside_quotes(text: str, p_start: int, p_end: int, quotes: list[QuoteSpan]):
    """The paragraph's text outside its quotes, as (offset, text) pieces."""
    pieces, at = [], p_start
    for q in quotes:
        if q.paragraph != (p_start, p_end):
            continue
        if q.open_mark > at:
            pieces.append((at, text[at : q.open_mark]))
        at = (q.close_mark + 1) if q.close_mark is not None else p_end
    if at < p_end:
        pieces.append((at, text[at:p_end]))
    return pieces
