"""A news page's story and metadata, as a pure function of its HTML.

Nothing here keeps state between calls: trafilatura runs without its duplicate filter (whose
cache is shared by the whole process and drops text it has seen before, so a page uploaded a
third time lost its paragraphs), and no other cache is consulted. The same bytes give the same
text and metadata in any process, whatever was extracted before.

How each part is found:

- **Metadata** from the page's own statements, in this order: JSON-LD (`NewsArticle` and its
  kin: `headline`, `author`, `datePublished`, `inLanguage`, `url`), OpenGraph and `article:*`
  meta tags, then the HTML (`<h1>`, `<html lang>`, `<link rel=canonical>`).
- **The date** only from signals that say "published": JSON-LD `datePublished`,
  `article:published_time` and its aliases, `itemprop=datePublished`, and a `<time datetime>`
  that belongs to the story (inside `<article>` or a byline/dateline, not in the site's header,
  navigation, a related-stories list, or marked as an update). Never the modified date, the URL,
  or a date in the page's chrome (a header's "today"): no date rather than a wrong one.
- **The story**: the page is first stripped of what is never the story (figures and captions,
  asides, navigation, forms, author bios, related-story, share and newsletter boxes, by tag or by
  class/id), then trafilatura extracts the main text with its structure (headings, paragraphs,
  list items, block quotes, table rows), each becoming one paragraph. A standfirst or a lead set
  as an `<h2>` above the body is put back in front when the extractor left it out. When the
  page's JSON-LD `articleBody` holds much more of the story than the HTML (pages that render
  it with scripts), the `articleBody` is the text.
- **Residue**: a short, documented list of lines that are never the story even inside it
  ("Read more: …", browser-support banners, letters-to-the-editor forms, photo credits,
  "Our Standards", author bios at the end); see ``_RESIDUE``.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError

from .extracted import Extracted

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "satiricalarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "scholarlyarticle",
    "techarticle",
    "socialmediaposting",
}

# Meta tags that name the publication moment (never the modified one).
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "date.published",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "citation_online_date",
    "parsely-pub-date",
    "sailthru.date",
)

# Class or id words of boxes that are never the story.
_BOILERPLATE_BOX = re.compile(
    r"(?:^|[\s_-])(?:author-?bio|author-?info|about-?(?:the-?)?author|author-?card|bio|biography|"
    r"caption|credits?|photo-?credit|image-?credit|newsletter|related|read-?more|more-?stories|"
    r"recommended|promo|share|sharing|social|subscribe|subscription|paywall|advert|ads?|"
    r"advertisement|sponsored|cookies?|consent|breadcrumbs?|tags|trust-?principles|"
    r"comments?|outbrain|taboola|footer|rodape|site-?info|references|reference-?list|"
    r"rights-?and-?permissions|article-?info|subjects|recommendations|further-?reading|"
    r"most-?(?:read|popular)|image|images|photo|photos|gallery|slideshow|lead-?media)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_BOILERPLATE_TAGS = (
    "figure",
    "figcaption",
    "aside",
    "nav",
    "form",
    "button",
    "noscript",
    "iframe",
    "svg",
    "template",
    "dialog",
    "select",
)
# Block elements whose innermost instances are paragraphs, when the page's blocks are read directly.
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "dd", "dt")
_STANDFIRST_BOX = re.compile(
    r"(?:^|[\s_-])(?:standfirst|stand-first|dek|deck|subtitle|sub-?title|sub-?headline|subhead|"
    r"summary|lede|lead|intro|teaser|ingress|sapo|chapo|chapeau|entradilla|bajada|a_st|"
    r"article-?summary|article-?lead|description)(?:$|[\s_-])",
    re.IGNORECASE,
)
_UPDATED_WORDS = re.compile(
    r"updat|modif|aktualisiert|actualiz|päivitetty|atualizad|aggiornat|bijgewerkt|zaktualiz",
    re.IGNORECASE,
)
_PUBLISHED_WORDS = re.compile(
    r"publi|julkaistu|veröffentlicht|erschienen|publicado|publié|pubblicato|gepubliceerd|"
    r"opublikowano|publicerad|نشر",
    re.IGNORECASE,
)
_BYLINE_BOX = re.compile(
    r"byline|dateline|article-?meta|story-?meta|published|pubdate|timestamp|article-?date|"
    r"story-?date|post-?date|entry-?date|date-?time|datetime|a_ti|fecha|datum",
    re.IGNORECASE,
)


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


# --- the page's own statements ------------------------------------------------------------


def _json_ld_objects(tree) -> list[dict]:
    """Every JSON object in the page's JSON-LD blocks, @graph and nested lists flattened."""
    found: list[dict] = []
    for script in tree.xpath("//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        # Some sites wrap the JSON in an HTML comment or CDATA, or leave a trailing semicolon.
        raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw).strip().rstrip(";")
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                found.append(item)
                # The story may sit under @graph, or as a WebPage's mainEntity.
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return found


def _types(item: dict) -> set[str]:
    kind = item.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower().rsplit("/", 1)[-1] for k in kinds}


def _article_object(objects: list[dict]) -> dict | None:
    """The story's JSON-LD object: a NewsArticle (or kin), the one with a body or a headline."""
    candidates = [o for o in objects if _types(o) & ARTICLE_TYPES]
    if not candidates:
        return None

    def rank(item: dict) -> tuple[int, int, int]:
        return (
            "articlebody" in {k.lower() for k in item},
            bool(_types(item) & {"newsarticle", "reportagenewsarticle", "analysisnewsarticle"}),
            "headline" in item,
        )

    return max(candidates, key=rank)


def _text_value(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("@id") or ""
    return " ".join(html_lib.unescape(str(value)).split()) if value else ""


def _authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    people, organisations = [], []
    for item in items:
        if isinstance(item, dict):
            name = _text_value(item.get("name"))
            (organisations if "organization" in _types(item) else people).append(name)
        elif isinstance(item, str):
            people.append(_text_value(item))
    return [n for n in dict.fromkeys(people or organisations) if n]


def _meta(tree) -> dict[str, str]:
    """Meta tags by their lowercased property or name; the first of each wins."""
    found: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and key not in found:
            content = " ".join((meta.get("content") or "").split())
            if content:
                found[key] = content
    return found


def _without_site_name(title: str, meta: dict[str, str]) -> str:
    site = meta.get("og:site_name", "")
    for separator in (" | ", " - ", " – ", " — ", " :: "):
        if site and title.endswith(separator + site):
            return title[: -len(separator + site)].strip()
    return title


def _dom_byline(tree) -> str:
    """The author named in the page's markup: ``itemprop=author``, ``rel=author``, or an element
    whose class says author; a short name, without the "By"."""
    names: list[str] = []
    for element in tree.xpath(
        "//*[@itemprop='author'] | //a[@rel='author'] | //*[contains(@class, 'author')]"
    ):
        if _in_chrome(element, allow_lists=True):
            continue
        name = element.get("content") if element.tag == "meta" else element.text_content()
        name = re.sub(r"^(?:by|por|von|par|di|av|door)\s+", "", _clean(name or ""), flags=re.I)
        if (
            2 < len(name) <= 80
            and 2 <= len(name.split()) <= 8
            and not re.search(r"\d|@|https?:|author|autor|auteur", name, re.IGNORECASE)
        ):
            names.append(name)
        if len(names) >= 4:
            break
    # An element nested in another (an author list and its links) names the same people.
    distinct = [n for n in dict.fromkeys(names) if not any(n != o and n in o for o in names)]
    return ", ".join(distinct[:4])


# --- dates --------------------------------------------------------------------------------

_ISO_BASIC = re.compile(
    r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass(frozen=True)
class When:
    moment: datetime
    raw: str
    # "day" when the page gave only the date, "time" when also a time of day; "zone" is what
    # the page said about the time zone ("" when it gave none, and then UTC is assumed).
    precision: str
    zone: str


def parse_when(value: str | None) -> When | None:
    """An ISO 8601 date or date-time as pages write them; anything else gives None."""
    if not value:
        return None
    raw = value.strip()
    if re.match(r"^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4}", raw):
        # RFC 2822, as feeds and some meta tags write it.
        from email.utils import parsedate_to_datetime

        try:
            moment = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        zone = moment.strftime("%z")
        return When(moment, raw, "time", f"{zone[:3]}:{zone[3:5]}" if zone else "")
    # 2025/03/03, as citation_publication_date writes it.
    raw_iso = raw.replace("/", "-", 2) if re.match(r"^\d{4}/\d{2}/\d{2}", raw) else raw
    basic = _ISO_BASIC.match(raw_iso)
    if basic:
        # 20251104, 20251104T1030, 20251104T103000+0100
        y, mo, d, h, mi, s, zone = basic.groups()
        text = f"{y}-{mo}-{d}" + (f"T{h}:{mi}:{s or '00'}" if h else "") + (zone or "")
    else:
        text = (
            raw_iso.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", raw_iso) else raw_iso
        )
    text = re.sub(r"Z$", "+00:00", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    text = re.sub(r"\.(\d{1,6})\d*", r".\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 1900 <= moment.year <= 2200:
        return None
    has_time = "T" in text
    zone = moment.strftime("%z") if moment.tzinfo else ""
    if zone:
        zone = f"{zone[:3]}:{zone[3:5]}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return When(moment, raw, "time" if has_time else "day", zone)


def _in_chrome(element, *, allow_lists: bool = False) -> bool:
    """Inside the site's header, navigation, footer, a sidebar or a list of other stories.
    ``allow_lists``: a list item is not chrome by itself (a marked "Published:" item)."""
    for ancestor in element.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("nav", "footer", "aside", "a", "figure") or (tag == "li" and not allow_lists):
            return True
        # A header outside the story is the site's (its "today" date); the story's own header
        # sits inside <article>, or holds the headline.
        if (
            tag == "header"
            and not any(a.tag == "article" for a in ancestor.iterancestors())
            and not ancestor.xpath(".//h1")
        ):
            return True
        marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if _BOILERPLATE_BOX.search(marker):
            return True
    return False


def _story_time(tree) -> tuple[When, str] | None:
    """A ``<time datetime>`` that dates the story: marked as the published date, or the first
    one inside the story's ``<article>`` or byline, never one marked as an update."""
    candidates = []
    for element in tree.xpath("//time[@datetime] | //*[@itemprop='datePublished']"):
        value = element.get("datetime") or element.get("content") or ""
        if element.get("itemprop") == "datePublished":
            when = parse_when(value)
            if when:
                return when, "itemprop=datePublished"
            continue
        parent = element.getparent()
        # "Published: <time>", "Julkaistu <time>": the words beside it say what it dates.
        beside = parent.text_content() if parent is not None else ""
        marker = " ".join(
            [element.get("class", ""), element.get("id", ""), element.text_content()]
            + ([beside] if len(beside) < 120 else [])
            + [f"{a.get('class', '')} {a.get('id', '')}" for a in list(element.iterancestors())[:2]]
        )
        if _UPDATED_WORDS.search(marker) or element.get("itemprop") == "dateModified":
            continue
        if element.get("pubdate") is not None or _PUBLISHED_WORDS.search(marker):
            when = parse_when(value)
            if when and not _in_chrome(element, allow_lists=True):
                return when, "<time> marked as the publication date"
        candidates.append(element)
    for element in candidates:
        in_article = any(a.tag == "article" for a in element.iterancestors())
        in_byline = any(
            _BYLINE_BOX.search(f"{a.get('class', '')} {a.get('id', '')}")
            for a in [element, *list(element.iterancestors())[:3]]
        )
        if (in_article or in_byline) and not _in_chrome(element):
            when = parse_when(element.get("datetime"))
            if when:
                return when, "<time datetime> in the story's byline" if in_byline else (
                    "<time datetime> in the story"
                )
    return None


def _published(article: dict | None, meta: dict[str, str], tree) -> tuple[When, str] | None:
    if article:
        for key in ("datePublished", "dateCreated"):
            when = parse_when(_text_value(article.get(key)))
            if when:
                kind = article.get("@type", "Article")
                kind = kind[0] if isinstance(kind, list) and kind else kind
                return when, f"JSON-LD {kind} {key}"
    for key in _PUBLISHED_META:
        when = parse_when(meta.get(key))
        if when:
            return when, f"meta {key}"
    return _story_time(tree)


# --- the story ----------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    """Comparison form: letters and digits only, lowercased."""
    return re.sub(r"\W+", "", text.casefold())


def _strip_boilerplate(tree, body_length: int) -> None:
    for element in tree.xpath("//" + " | //".join(_BOILERPLATE_TAGS)):
        # ASP.NET pages wrap the whole page in one <form>: a box holding most of the page's
        # text is the page, not boilerplate.
        if element.getparent() is not None and len(element.text_content()) <= 0.4 * body_length:
            element.drop_tree()
    for element in tree.xpath("//*[@class or @id]"):
        if element.getparent() is None or element.tag in ("html", "body", "main", "article"):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if not _BOILERPLATE_BOX.search(marker):
            continue
        # A class such as "has-caption" on the story's own wrapper must not take the story
        # with it: boxes of boilerplate are small beside the page's text.
        if element.xpath(".//h1") or len(element.text_content()) > 0.4 * body_length:
            continue
        element.drop_tree()
    # The byline or dateline row ("Publicado em <time>…"): its date is metadata, and without the
    # <time> (which the extractor drops) it would leave "Publicado em" as a paragraph.
    for time in tree.xpath("//time"):
        row = time.getparent()
        while row is not None and row.tag in ("span", "em", "strong", "small", "b", "i"):
            row = row.getparent()
        if (
            row is not None
            and row.tag in ("p", "div", "li", "span")
            and row.getparent() is not None
            and len(_clean(row.text_content())) < 120
            and not row.xpath(".//h1")
        ):
            row.drop_tree()


_NOT_STANDFIRST = re.compile(
    r"author|bio|image|photo|video|media|caption|credit|related|promo|teaser-?list|card",
    re.IGNORECASE,
)


def _follows(element, anchor) -> bool:
    """``element`` comes after ``anchor`` in the document (a standfirst sits below the headline)."""
    for following in anchor.itersiblings():
        if following is element or element in following.iterdescendants():
            return True
    parent = anchor.getparent()
    return parent is not None and parent.getparent() is not None and _follows(element, parent)


def _standfirst(tree, title: str) -> str:
    """The standfirst (dek, lead, summary) printed under the headline, or an ``<h2>`` set right
    after the ``<h1>`` as the story's lead."""
    scope = tree.xpath("//article") or tree.xpath("//main") or [tree]
    root = scope[0]
    headlines = root.xpath(".//h1") or tree.xpath("//h1")
    headline = headlines[0] if headlines else None
    for element in root.xpath(".//*[@class or @id]"):
        if element.tag not in ("p", "div", "h2", "h3", "span", "section", "header"):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if not _STANDFIRST_BOX.search(marker) or _in_chrome(element):
            continue
        # "lead-image", "author-description": the words that mark a standfirst mark these too.
        if _NOT_STANDFIRST.search(marker) or element.xpath(".//img | .//picture | .//video"):
            continue
        if headline is not None and not _follows(element, headline):
            continue
        text = _clean(element.text_content())
        if 40 <= len(text) <= 600 and _key(text) != _key(title):
            return text
    for heading in root.xpath(".//h1"):
        following = heading.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is not None and following.tag == "h2":
            text = _clean(following.text_content())
            # A lead reads as a sentence, not as a section heading.
            if len(text) >= 60 or re.search(r"[.!?…]$", text):
                return text
    return ""


_NEW_TAB = re.compile(r",?\s*opens new tab\b", re.IGNORECASE)


def _block_paragraphs(body) -> list[tuple[str, str]]:
    """(kind, text) for each paragraph of trafilatura's body: headings, paragraphs, each list
    item, each paragraph of a block quote, each table row."""
    out: list[tuple[str, str]] = []
    for lb in body.iter("lb"):
        lb.tail = " " + (lb.tail or "")

    def text_of(element) -> str:
        # ", opens new tab": a screen-reader label some sites put inside every outside link.
        return _clean(_NEW_TAB.sub("", "".join(element.itertext())))

    for block in body:
        if block.tag == "list":
            for item in block.iter("item"):
                # A nested list's items come on their own; the item keeps its own words.
                own = "".join(
                    [item.text or ""]
                    + ["".join(c.itertext()) + (c.tail or "") for c in item if c.tag != "list"]
                    + [c.tail or "" for c in item if c.tag == "list"]
                )
                out.append(("item", _clean(own)))
        elif block.tag == "table":
            for row in block.iter("row"):
                out.append(("row", " | ".join(text_of(c) for c in row if text_of(c))))
        elif block.tag == "quote" and len(block) and all(c.tag == "p" for c in block):
            out.extend(("quote", text_of(child)) for child in block)
        else:
            out.append(({"head": "head", "quote": "quote"}.get(block.tag, "p"), text_of(block)))
    return [(kind, text) for kind, text in out if text]


_SPLIT_JOINED = re.compile(r"(?<=[a-záéíóúñäöüß0-9][.!?»”\"])(?=[A-ZÁÉÍÓÚÑÄÖÜ„“«\"])")


def _body_paragraphs(value: str) -> list[str]:
    """JSON-LD ``articleBody`` as paragraphs: its line breaks, its HTML if it carries some, or
    (when sites join the paragraphs with nothing between) a sentence end run into a capital."""
    value = html_lib.unescape(value)
    if re.search(r"<(p|br|div)\b", value, re.IGNORECASE):
        import lxml.html

        fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        for br in fragment.iter("br"):
            br.tail = "\n" + (br.tail or "")
        parts = [p.text_content() for p in fragment.iter("p", "li", "h2", "h3", "blockquote")]
        value = "\n".join(parts) if parts else fragment.text_content()
    lines = [_clean(line) for line in re.split(r"\n+", value)]
    lines = [line for line in lines if line]
    if len(lines) == 1 and len(lines[0]) > 600:
        lines = [_clean(p) for p in _SPLIT_JOINED.split(lines[0]) if p.strip()]
    return lines


def _coverage(story: list[str], paragraphs: list[str]) -> float:
    """The share of the story's words found in the paragraphs (as a multiset)."""
    from collections import Counter

    want = Counter(w for p in story for w in _key_words(p))
    have = Counter(w for p in paragraphs for w in _key_words(p))
    total = sum(want.values())
    return sum(min(n, have[w]) for w, n in want.items()) / total if total else 1.0


def _key_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# Lines that are never the story, even when they sit inside it. Each is matched against a
# whole paragraph (short ones only, so a sentence that merely starts with these words stays).
_POINTER = (
    r"read more|read also|also read|see also|related|more on this|more from|recommended|"
    r"lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|weiterlesen|"
    r"lee también|lea también|leer más|seguir leyendo|te puede interesar|más información|"
    r"lire aussi|à lire aussi|a lire aussi|lire également|voir aussi|"
    r"leia também|leia mais|veja também|leggi anche|lue myös|lue lisää|läs också|läs mer|"
    r"les også|læs også|lees ook|czytaj też|czytaj także|читайте также|اقرأ أيضا|اقرأ أيضًا|"
    r"اقرأ أيضاً|اقرأ المزيد"
)
_RESIDUE = [
    # "Read more: <another story>" and bare "Read more" lines (many languages).
    re.compile(rf"^(?:{_POINTER})\s*(?:[:：»>|–—-].{{0,200}})?$", re.IGNORECASE),
    # Browser-support banners (scientific publishers print them inside the article column).
    re.compile(
        r"using a browser version with limited support for css|turn off compatibility mode|"
        r"displaying the site without styles and javascript|your browser does not support",
        re.IGNORECASE,
    ),
    # Letters pages' submission boxes.
    re.compile(
        r"^(?:submit your letter|send (?:us )?your letter|letters to the editor should|"
        r"please limit your letter|write to us at)",
        re.IGNORECASE,
    ),
    # Photo and image credits printed as lines of their own.
    re.compile(
        r"^(?:(?:photo|photograph|image|picture|video|illustration|graphic|foto|fotografía|bild|"
        r"kuva|crédit|credit|photo credit|fonte)s?\s*(?:by)?\s*[:：/©]|©\s*\w).{0,150}$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^[^.!?]{0,200}\b(?:REUTERS|AFP|EPA|AP Photo|Getty Images|dpa|EFE)/[A-Z][\w .'-]+$"
    ),
    re.compile(
        r"^(?:photo|photograph|image|picture|foto|bild)s?\s+by\s.{0,120}$|"
        r"^[^.!?]{0,120}(?:via Getty Images|/\s*(?:AFP|Reuters|AP|EPA|EPA-EFE|dpa|Getty Images))$|"
        # A caption: a short line that ends with its photo credit.
        r"^.{0,200}[.!?]\s+(?:photo|photograph|image|picture|foto|bild)s?\s*(?:by\s|:)[^.!?]{0,80}$",
        re.IGNORECASE,
    ),
    # Newsletter prompts that end a paragraph ("… start your day. Sign up here.").
    re.compile(r"(?:sign up here|subscribe here|subscribe now)\.?$", re.IGNORECASE),
    re.compile(r"^skip to (?:main )?content$", re.IGNORECASE),
    # Agencies' standards notes.
    re.compile(r"^our standards\s*:?.{0,100}$", re.IGNORECASE),
    # Newsletter, subscription and share prompts.
    re.compile(
        r"^(?:sign up|subscribe|suscríbete|abonnieren sie|abonnez-vous|share this|follow us on|"
        r"advertisement|anzeige|publicidad|werbung)\b.{0,150}$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:©|\(c\)|copyright)\s.{0,150}$", re.IGNORECASE),
    re.compile(
        r"all rights reserved|todos los derechos reservados|todos os direitos reservados|"
        r"tous droits réservés|alle rechte vorbehalten|tutti i diritti riservati|"
        r"kaikki oikeudet pidätetään|جميع الحقوق محفوظة",
        re.IGNORECASE,
    ),
]
# An author's biography closing the page: "<Name> is a correspondent covering …".
_BIO = re.compile(
    r"^(?:[A-ZÀ-Þ][\w'’.-]+\s){1,3}(?:is|was|es|est|ist|é|on|är|er)\s.{0,200}?\b(?:correspondent|"
    r"reporter|journalist|editor|writer|columnist|producer|photographer|corresponsal|periodista|"
    r"redactora?|journalistin|korrespondent(?:in)?|redakteur(?:in)?|journaliste|rédacteur|"
    r"rédactrice|correspondant|toimittaja|jornalista|repórter|giornalista)\b",
    re.IGNORECASE,
)


def _without_residue(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    skipping_list = False
    for kind, text in paragraphs:
        if skipping_list and kind == "item":
            # The links listed under a bare "Read more:" are other stories' headlines.
            continue
        skipping_list = False
        if len(text) <= 300 and any(p.search(text) for p in _RESIDUE):
            skipping_list = bool(re.search(r"[:：]\s*$", text)) or len(text) < 30
            continue
        kept.append((kind, text))
    # Biographies close a story; only the last two paragraphs are looked at, so a story about
    # a journalist keeps its sentences.
    while kept and len(kept[-1][1]) < 400 and _BIO.search(kept[-1][1]) and len(kept) > 2:
        kept.pop()
    return kept


def _config():
    """trafilatura's settings, read once: a constant, not state that requests could change."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        config = use_config()
        # Below this many characters trafilatura drops its result for a cruder one that runs
        # every block together: short stories, and CJK ones (few characters, many words),
        # came back as one paragraph with the headline in it.
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
        _CONFIG = config
    return _CONFIG


_CONFIG = None


def _dom_paragraphs(tree) -> list[tuple[str, str]]:
    """The story's blocks read straight from the (boilerplate-stripped) page: a fallback for
    when the extractor ran them together."""
    scope = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    return _leaf_blocks(scope[0]) if scope else []


def _extract_body(tree) -> list[tuple[str, str]]:
    import trafilatura

    document = trafilatura.bare_extraction(
        tree,
        config=_config(),
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        include_links=False,
        # The duplicate filter's cache is shared by the process: the source of the issue.
        deduplicate=False,
        favor_recall=True,
    )
    if document is None or document.body is None:
        return []
    return _block_paragraphs(document.body)


def _leaf_blocks(root) -> list[tuple[str, str]]:
    """(kind, text) for each innermost block element under ``root``."""
    paragraphs: list[tuple[str, str]] = []
    for element in root.iter(*_BLOCKS):
        if any(child.tag in _BLOCKS for child in element.iterdescendants()):
            continue
        kind = {"li": "item", "blockquote": "quote"}.get(element.tag, "p")
        if element.tag[0] == "h" and kind == "p":
            kind = "head"
        for br in element.iter("br"):
            br.tail = " " + (br.tail or "")
        text = _clean(_NEW_TAB.sub("", element.text_content()))
        if text:
            paragraphs.append((kind, text))
    return paragraphs


def from_html(html: str, *, url: str = "") -> Extracted:
    """The story and metadata of an HTML page. ``url`` is where it was fetched from, if it was."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as error:
        raise _refuse("This HTML page could not be read.") from error
    objects = _json_ld_objects(tree)
    article = _article_object(objects)
    meta = _meta(tree)
    sources: dict[str, Any] = {}

    title, source = "", ""
    # The story's own <h1> first: a site may set its logo in an <h1> before it.
    headings = tree.xpath("//article//h1") or tree.xpath("//main//h1") or tree.xpath("//h1")
    h1 = next((t for t in (_clean(h.text_content()) for h in headings) if t), "")
    headline = _text_value(article.get("headline")) if article else ""
    if headline and h1 and _key(h1).startswith(_key(headline.rstrip(".… "))):
        # Search engines cap headlines at 110 characters; the page's <h1> has it whole.
        title, source = h1, "<h1> (matching JSON-LD headline)"
    elif headline:
        title, source = headline, "JSON-LD headline"
    elif h1 and meta.get("og:title") and _key(meta["og:title"]).startswith(_key(h1)):
        # og:title is often the headline plus " | Site name".
        title, source = h1, "<h1> (matching og:title)"
    elif meta.get("og:title"):
        title, source = _without_site_name(meta["og:title"], meta), "meta og:title"
    elif h1:
        title, source = h1, "<h1>"
    else:
        page_title = tree.findtext(".//title") or ""
        title = _clean(re.split(r"\s+[|–—-]\s+[^|–—-]+$", page_title)[0])
        source = "<title>"
    if title:
        sources["title"] = {"source": source}

    byline, source = "", ""
    authors = _authors(article.get("author")) if article else []
    if authors:
        byline, source = ", ".join(authors), "JSON-LD author"
    elif meta.get("author") and not meta["author"].startswith("http"):
        byline, source = meta["author"], "meta author"
    elif meta.get("article:author") and not meta["article:author"].startswith("http"):
        byline, source = meta["article:author"], "meta article:author"
    if not byline:
        byline = _dom_byline(tree)
        source = "the page's author element"
    if byline:
        sources["byline"] = {"source": source}

    language, source = "", ""
    if article and _text_value(article.get("inLanguage")):
        language, source = _text_value(article.get("inLanguage")), "JSON-LD inLanguage"
    elif tree.get("lang"):
        language, source = tree.get("lang").strip(), "<html lang>"
    elif meta.get("og:locale"):
        language, source = meta["og:locale"].replace("_", "-"), "meta og:locale"
    elif meta.get("content-language"):
        language, source = meta["content-language"], "meta content-language"
    language = language[:35]
    if language:
        sources["language"] = {"source": source}

    source_url, source = url, "the address it was fetched from" if url else ""
    if not source_url:
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        for candidate, name in (
            (canonical[0] if canonical else "", "<link rel=canonical>"),
            (meta.get("og:url", ""), "meta og:url"),
            (_text_value(article.get("url")) if article else "", "JSON-LD url"),
        ):
            if candidate.startswith(("http://", "https://")):
                source_url, source = candidate.strip(), name
                break
    if source_url:
        sources["source_url"] = {"source": source}

    published = _published(article, meta, tree)
    if published:
        when, source = published
        sources["published_at"] = {"source": source, "as_given": when.raw}
        if when.precision == "day":
            sources["published_at"]["precision"] = "day (no time of day given)"
        elif not when.zone:
            sources["published_at"]["zone"] = "not given (UTC assumed)"

    body_length = len(tree.text_content())
    standfirst = _standfirst(tree, title)
    _strip_boilerplate(tree, body_length)
    dom = _dom_paragraphs(tree)
    paragraphs = _extract_body(tree)
    text_source = "HTML (trafilatura)"
    if len(paragraphs) <= 1 and len([k for k, _ in dom if k != "head"]) >= 2:
        # One block where the page has several: the page's own paragraphs are the story.
        paragraphs, text_source = dom, "HTML (the story's own paragraphs)"
    article_body = ""
    if article:
        article_body = next(
            (_text_value(v) and str(v) for k, v in article.items() if k.lower() == "articlebody"),
            "",
        )
    if article_body:
        story = _body_paragraphs(article_body)
        shown = [text for _, text in paragraphs]
        if len(" ".join(story)) > 200 and (
            _coverage(story, shown) < 0.6
            or len(" ".join(shown)) < 0.5 * len(" ".join(story))
            # The same words run together as one block: the structured body has the paragraphs.
            or len(shown) <= 1 < len(story)
        ):
            # The HTML holds little of the story (scripts render it): the structured body is it.
            paragraphs = [("p", line) for line in story]
            text_source = "JSON-LD articleBody"
    if standfirst and not any(_key(standfirst) in _key(text) for _, text in paragraphs[:4]):
        paragraphs.insert(0, ("standfirst", standfirst))
    paragraphs = _without_residue(paragraphs)
    # The headline is metadata; a first paragraph that repeats it is not article text.
    if paragraphs and title and _key(paragraphs[0][1]) == _key(title):
        paragraphs = paragraphs[1:]
    text = "\n\n".join(text for _, text in paragraphs)
    if not text:
        raise _refuse("No article text could be found in this HTML page.")
    sources["text"] = {"source": text_source, "paragraphs": len(paragraphs)}
    return Extracted(
        text=text,
        title=title,
        byline=byline,
        source_url=source_url,
        published_at=published[0].moment if published else None,
        language=language,
        format="html",
        sources=sources,
    )


def from_fragment(html: str) -> Extracted:
    """The story in a feed item's HTML content (no page around it, so no extractor is needed):
    each innermost block a paragraph, boilerplate residue dropped as for pages."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError) as error:
        raise _refuse("The feed item's content could not be read.") from error
    for element in root.xpath(".//script | .//style | .//figure | .//figcaption | .//aside"):
        element.drop_tree()
    paragraphs = _leaf_blocks(root)
    if not paragraphs:
        paragraphs = [("p", _clean(part)) for part in re.split(r"\n\s*\n", root.text_content())]
    paragraphs = _without_residue([(k, t) for k, t in paragraphs if t])
    return Extracted(
        text="\n\n".join(text for _, text in paragraphs),
        format="feed",
        sources={"text": {"source": "the feed item's content", "paragraphs": len(paragraphs)}},
    )
