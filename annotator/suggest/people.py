"""Who the article names: people and organisations, their full names and the roles the story
gives them, so a quote's "Sheinbaum", "she" or "the president" can be turned into the person.

Built once per article from the entity mentions (the model's and the desk's), read by quote
attribution.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# Titles and honorifics written before a name; they are not part of it.
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt",
    "sgt", "rev", "hon", "sir", "dame", "lord", "lady", "president", "vice", "senator",
    "representative", "congressman", "congresswoman", "governor", "mayor", "judge", "justice",
    "secretary", "minister", "chancellor", "premier", "king", "queen", "prince", "princess",
    "pope", "speaker", "chairman", "chairwoman", "chair", "director", "commissioner", "chief",
    "general", "admiral", "colonel", "captain", "sergeant", "officer", "detective", "attorney",
    "ambassador", "former", "candidate", "nominee", "leader", "spokesman", "spokeswoman",
    "spokesperson", "deputy", "acting", "sr", "sra", "srta", "dra", "lic", "ing", "don", "doña",
    "presidente", "presidenta", "secretario", "secretaria", "ministro", "ministra", "canciller",
    "gobernador", "gobernadora", "alcalde", "alcaldesa", "senador", "senadora", "diputado",
    "diputada", "the", "el", "la", "los", "las",
}  # fmt: skip
# Surnames keep their particles: "de la Madrid", "van Gogh", "bin Laden".
_PARTICLES = {"de", "del", "la", "van", "von", "der", "den", "bin", "al", "el", "da", "di", "le"}
_TOKEN = re.compile(r"[\w][\w.'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")


def name_tokens(name: str) -> list[str]:
    """The words of a name without titles before it or a possessive after it."""
    tokens = [_POSSESSIVE.sub("", t).rstrip(".") for t in _TOKEN.findall(name)]
    tokens = [t for t in tokens if t]
    while tokens and tokens[0].lower().rstrip(".") in TITLES and len(tokens) > 1:
        tokens.pop(0)
    # Trailing qualifiers that are not the name: "Trump Jr." keeps "Jr".
    return tokens


def clean_name(name: str) -> str:
    return " ".join(name_tokens(name))


def surname(name: str) -> str:
    tokens = name_tokens(name)
    if tokens and tokens[-1].lower() in {"jr", "sr", "ii", "iii", "iv"} and len(tokens) > 1:
        return tokens[-2].lower()
    return tokens[-1].lower() if tokens else ""


@dataclass
class Named:
    """One mention of a person or organisation in the text."""

    start: int
    end: int
    text: str
    kind: str  # "person" or "organization"


@dataclass
class People:
    """Every person and organisation the article names, with an index by surname."""

    mentions: list[Named] = field(default_factory=list)
    # surname -> the fullest name the article uses for it, anywhere
    full_names: dict[str, str] = field(default_factory=dict)
    # role word ("president", "spokesman") -> [(offset, full name)] where the story gave it
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, mentions: list[Named]) -> People:
        people = cls(mentions=sorted(mentions, key=lambda m: (m.start, -m.end)))
        people._starts = [m.start for m in people.mentions]
        counts: dict[str, dict[str, int]] = {}
        for mention in people.mentions:
            if mention.kind != "person":
                continue
            name = clean_name(mention.text)
            key = surname(name)
            if key:
                counts.setdefault(key, {})
                counts[key][name] = counts[key].get(name, 0) + 1
        for key, names in counts.items():
            # The fullest form (most words), the most used among equals: "Claudia Sheinbaum"
            # over "Sheinbaum", "Hillary Clinton" over "Hillary Rodham Clinton" if used more.
            people.full_names[key] = max(names, key=lambda n: (min(len(n.split()), 3), names[n]))
        for mention in people.mentions:
            if mention.kind == "person":
                for role in _roles_around(text, mention):
                    people.roles.setdefault(role, []).append(
                        (mention.start, people.full_name(mention.text))
                    )
        return people

    def full_name(self, name: str) -> str:
        """The fullest name the article uses for this person ("Sheinbaum" -> "Claudia
        Sheinbaum"); the name itself, cleaned, when the article has no fuller one."""
        cleaned = clean_name(name)
        full = self.full_names.get(surname(cleaned))
        if full and len(full.split()) >= len(cleaned.split()):
            return full
        return cleaned

    def is_person_name(self, name: str) -> bool:
        return surname(name) in self.full_names

    def before(self, offset: int, kind: str | None = None) -> list[Named]:
        """Mentions that end before ``offset``, nearest first."""
        index = bisect.bisect_left(self._starts, offset)
        found = [m for m in reversed(self.mentions[:index]) if m.end <= offset]
        return [m for m in found if kind is None or m.kind == kind]

    def within(self, start: int, end: int) -> list[Named]:
        low = bisect.bisect_left(self._starts, start)
        high = bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[low:high] if m.end <= end]

    def by_role(self, role: str, offset: int) -> str | None:
        """The person the story last gave this role before ``offset``."""
        given = [name for at, name in self.roles.get(role, []) if at < offset]
        return given[-1] if given else None


# "White House press secretary Josh Earnest", "President Obama", "la presidenta Sheinbaum"
_ROLE_BEFORE = re.compile(r"([A-Za-záéíóúñ-]+)\s*\.?\s*$")
# "Josh Earnest, the White House press secretary," / "Earnest, a spokesman for ..."
_ROLE_AFTER = re.compile(
    r"^\s*,\s*(?:the|a|an|el|la|who\s+is\s+(?:the|a))\s+([^,.;:()“”\"]{2,80}?)(?=\s+(?:of|for|at|in|to|de|del|en)\b|[,.;)]|$)"
)
# "the president, Barack Obama," before the name
_ROLE_APPOSED_BEFORE = re.compile(r"\b(?:the|el|la)\s+([^,.;:()“”\"]{2,60}?),\s*$")


def _roles_around(text: str, mention: Named) -> list[str]:
    roles = []
    before = text[max(0, mention.start - 60) : mention.start]
    match = _ROLE_BEFORE.search(before)
    if match and match.group(1).lower() in ROLE_WORDS:
        roles.append(match.group(1).lower())
    match = _ROLE_APPOSED_BEFORE.search(before)
    if match:
        roles.extend(_role_words(match.group(1)))
    after = text[mention.end : mention.end + 100]
    match = _ROLE_AFTER.match(after)
    if match:
        roles.extend(_role_words(match.group(1)))
    return roles


def _role_words(phrase: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-záéíóúñ-]+", phrase)]
    return [w for w in words if w in ROLE_WORDS][-1:]


def role_of(description: str) -> str | None:
    """The role word a description names: "the White House spokesman" -> "spokesman"."""
    found = _role_words(description)
    return found[0] if found else None


# Role nouns a story gives people and later refers to them by ("the senator said").
ROLE_WORDS = {
    "president", "vice-president", "senator", "congressman", "congresswoman", "representative",
    "governor", "mayor", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson",
    "chairman", "chairwoman", "chair", "director", "candidate", "nominee", "leader", "chief",
    "official", "officer", "commissioner", "judge", "justice", "attorney", "lawyer", "prosecutor",
    "ambassador", "general", "professor", "economist", "analyst", "strategist", "adviser",
    "advisor", "aide", "manager", "founder", "executive", "ceo", "businessman", "businesswoman",
    "billionaire", "mogul", "author", "writer", "reporter", "correspondent", "columnist",
    "editor", "host", "anchor", "historian", "scholar", "researcher", "expert", "pollster",
    "activist", "organizer", "sheriff", "detective", "commander", "coach", "player", "star",
    "actor", "actress", "singer", "rapper", "speaker", "premier", "chancellor", "king", "queen",
    "pope", "bishop", "priest", "rabbi", "imam", "doctor", "physician", "surgeon", "scientist",
    "republican", "democrat", "libertarian", "incumbent", "challenger", "hopeful",
    "presidente", "presidenta", "secretario", "secretaria", "ministro", "ministra",
    "gobernador", "gobernadora", "alcalde", "alcaldesa", "senador", "senadora", "diputado",
    "diputada", "vocero", "vocera", "portavoz", "canciller", "fiscal", "juez", "jueza",
    "directora", "líder", "dirigente", "funcionario", "funcionaria",
}  # fmt: skip


# A capitalised name right after a title or a role is a person, whatever a model says:
# "Sen. Smith", "President Claudia Sheinbaum", "la presidenta Claudia Sheinbaum".
_TITLE_BEFORE_NAME = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Prof|Gen|Sra|Sr|Dra|Lic)\.\s+|"
    r"\b(?:President|Senator|Governor|Mayor|Minister|Secretary|Judge|Representative|"
    r"Congressman|Congresswoman|Ambassador|[Pp]residente|[Pp]residenta|[Ss]ecretari[oa]|"
    r"[Mm]inistr[oa]|[Gg]obernador[a]?|[Aa]lcalde(?:sa)?|[Ss]enador[a]?|[Dd]iputad[oa])\s+)"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+(?:de|del|la|van|von|[A-ZÁÉÍÓÚÑ][\w'’-]+)){0,3})"
)


def titled_names(text: str) -> list[tuple[int, int]]:
    """Spans of names written after a title or a role."""
    found = []
    for match in _TITLE_BEFORE_NAME.finditer(text):
        start, end = match.span("name")
        # A particle is not the end of a name: "Ana de" -> "Ana".
        while text[start:end].split()[-1] in _PARTICLES and " " in text[start:end]:
            end = start + text[start:end].rstrip().rfind(" ")
        found.append((start, end))
    return found
