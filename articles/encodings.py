"""Decide how the bytes of an uploaded or fetched file are to be read as text.

Newsrooms' files come in a handful of encodings: UTF-8 (with or without a byte-order mark),
UTF-16 with a mark (Word's "Unicode text"), and Windows-1252 / Latin-1 from older Windows tools
and wire systems. A general-purpose detector guesses among dozens of encodings and, on a short
Spanish text, may well read "Peña" as Windows-1250 ("Peńa"). So the order here is fixed and
short:

1. a byte-order mark (UTF-8, UTF-16, UTF-32): certain;
2. valid UTF-8: certain (legacy text with accents is almost never valid UTF-8 by chance);
3. the charset an HTML page or an HTTP response declares, when the bytes decode with it: certain;
4. Windows-1252 (which reads every Latin-1 text the same, and also has “quotes”, € and —)
   when what it gives looks like Western European text: likely, not certain;
5. otherwise charset-normalizer's best reading when it is clearly ahead of the others: likely;
6. otherwise we cannot tell, and the caller is asked to choose, with the choices named.

Whatever is not certain carries ``certain=False``: the new-article page shows the text with a
warning and lets the editor pick another encoding before saving. A person's explicit choice is
always taken (and refused with a clear message if the bytes are not valid in it).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

# What the picker offers, newsroom encodings first. Keys are Python codec names; the labels are
# what an editor reads.
CHOICES: dict[str, str] = {
    "utf-8": "UTF-8",
    "windows-1252": "Windows-1252 (Western European; reads Latin-1 too)",
    "iso-8859-1": "Latin-1 (ISO-8859-1)",
    "iso-8859-15": "Latin-9 (ISO-8859-15, with €)",
    "utf-16": "UTF-16",
    "mac-roman": "Mac OS Roman",
    "windows-1250": "Windows-1250 (Central European)",
    "iso-8859-2": "Latin-2 (ISO-8859-2, Central European)",
    "windows-1251": "Windows-1251 (Cyrillic)",
    "koi8-r": "KOI8-R (Russian)",
    "windows-1253": "Windows-1253 (Greek)",
    "windows-1254": "Windows-1254 (Turkish)",
    "windows-1256": "Windows-1256 (Arabic)",
    "windows-1255": "Windows-1255 (Hebrew)",
    "windows-1257": "Windows-1257 (Baltic)",
    "shift_jis": "Shift JIS (Japanese)",
    "euc-jp": "EUC-JP (Japanese)",
    "gb18030": "GB18030 (Chinese, simplified)",
    "big5": "Big5 (Chinese, traditional)",
    "euc-kr": "EUC-KR (Korean)",
}

# Python's codec names ("cp1252", "iso8859-1") back to the names offered here.
_CODEC_NAMES = {codecs.lookup(name).name: name for name in CHOICES} | {"utf-8-sig": "utf-8"}

# WHATWG's encoding standard: browsers read these labels as Windows-1252, and so do we, since
# pages that say "iso-8859-1" routinely use its curly quotes.
_WHATWG_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "ascii": "windows-1252"}

# Letters and signs Western European text uses beyond ASCII (Latin-1's letters plus what
# Windows-1252 adds in 0x80-0x9F). Text read as Windows-1252 that uses others is suspect.
_WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ŒœŠšŽžŸƒ€‚„…†‡ˆ‰‹›‘’“”•–—˜™¡¢£¥§¨©ª«¬­®¯°±²³´µ¶·¸¹º»¼½¾¿×÷\u00a0"
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    certain: bool
    # Why this encoding: "bom", "utf-8", "declared", "chosen", "western", "detected".
    reason: str
    # Other readings worth offering in the picker, best first.
    alternatives: tuple[str, ...] = field(default_factory=tuple)


class EncodingUnknown(ValidationError):
    """The bytes are text, but in which encoding could not be told; the message names the
    choices and the caller may send one (``encoding``)."""


def choices_sentence() -> str:
    return ", ".join(CHOICES)


def normalise_label(label: str | None) -> str | None:
    """A Python codec name for an encoding label (``UTF8``, ``latin1``, ``Shift_JIS``), or None
    when Python knows no such encoding."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _CODEC_NAMES.get(name, name)


def _refuse(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: message})


def _decode_windows_1252(data: bytes) -> str:
    # Python's cp1252 has no character for 0x81, 0x8D, 0x8F, 0x90 and 0x9D; WHATWG maps them to
    # the C1 controls of the same number, as Latin-1 does, so one stray byte does not fail a file.
    return data.decode("cp1252", errors="strict") if not _HOLES.search(data) else _patched(data)


_HOLES = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def _patched(data: bytes) -> str:
    return "".join(
        chunk.decode("cp1252") if index % 2 == 0 else chunk.decode("latin-1")
        for index, chunk in enumerate(re.split(rb"([\x81\x8d\x8f\x90\x9d]+)", data))
    )


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "windows-1252":
        return _decode_windows_1252(data)
    if encoding == "utf-8":
        return data.decode("utf-8-sig")
    return data.decode(encoding)


_SIGN_IN_WORD = re.compile(r"(?<=[^\W\d_])[¹²³¥¦§¨©®¯°±´µ¶·¸¼½¾¤¢£](?=[^\W\d_])")


def _looks_western(text: str) -> bool:
    """Text read as Windows-1252 looks like Western European writing: every character beyond
    ASCII is one such writing uses, and its words mix ASCII letters with the accented ones.
    Cyrillic or Greek bytes read this way come out as words made only of accented letters
    ("Ïðåçèäåíò"); Western words of three letters or more almost never are."""
    if any(not char.isascii() and char not in _WESTERN for char in text):
        return False
    # A sign inside a word ("powiedzia³ek", "bêd¹c": Polish in Windows-1250) never is Western.
    if len(_SIGN_IN_WORD.findall(text)) > 1:
        return False
    words = re.findall(r"[^\W\d_]+", text)
    long_words = [word for word in words if len(word) >= 3]
    foreign = [word for word in long_words if not any(char.isascii() for char in word)]
    if long_words and len(foreign) > 0.2 * len(long_words):
        return False
    letters = sum(len(word) for word in words)
    accented = sum(1 for word in words for char in word if not char.isascii())
    return letters == 0 or accented / letters < 0.5


def _control_share(text: str) -> float:
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f"
    )
    return controls / max(1, len(text))


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a mark shows as NUL in every other byte of ASCII characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) > 0.6 * len(zeros):
            try:
                return encoding, data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode(
    data: bytes,
    *,
    declared: str | None = None,
    chosen: str | None = None,
    name: str = "the file",
    field_name: str = "file",
) -> Decoded:
    """Read ``data`` as text. ``declared`` is the charset the page or the server states;
    ``chosen`` an encoding a person picked. Raises ``EncodingUnknown`` (a 400 naming the choices)
    when it cannot tell, and a plain ``ValidationError`` for bytes that are not text."""
    if chosen:
        return _decode_chosen(data, chosen, name=name, field_name=field_name)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise _refuse(
                    field_name,
                    f"{name} starts with a {encoding.removesuffix('-sig')} byte-order mark but is "
                    f"not valid {encoding.removesuffix('-sig')}.",
                ) from error
            return Decoded(text, encoding.removesuffix("-sig"), True, "bom")
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is not None and _control_share(found[1]) < 0.01:
            encoding, text = found
            return Decoded(text, encoding, False, "detected", ("utf-16-le", "utf-16-be"))
        raise _refuse(
            field_name, f"{name} looks like a binary file, not text (it contains NUL bytes)."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _checked(Decoded(text, "utf-8", True, "utf-8"), name, field_name)
    declared_codec = normalise_label(declared)
    if declared_codec and declared_codec not in ("utf-8", "utf-16", "utf-32"):
        declared_codec = _WHATWG_ALIASES.get(declared_codec, declared_codec)
        try:
            text = _decode(data, declared_codec)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return _checked(Decoded(text, declared_codec, True, "declared"), name, field_name)
    western = _decode_windows_1252(data)
    if _looks_western(western):
        return _checked(
            Decoded(
                western,
                "windows-1252",
                False,
                "western",
                ("iso-8859-15", "windows-1250", "mac-roman"),
            ),
            name,
            field_name,
        )
    return _checked(_detected(data, name, field_name), name, field_name)


def _detected(data: bytes, name: str, field_name: str) -> Decoded:
    from charset_normalizer import from_bytes

    # Only the encodings the picker offers: a reading in an encoding nobody here can choose is no
    # help, and the list keeps the detector away from its rarer guesses.
    matches = from_bytes(data, cp_isolation=[c for c in CHOICES if c not in ("utf-8", "utf-16")])
    ranked = [m for m in matches if _control_share(str(m)) < 0.001]
    if not ranked:
        raise EncodingUnknown(
            {
                field_name: f"The encoding of {name} could not be told: it is not UTF-8 and reads as "
                f"text in none of the encodings tried. Send it again choosing one of: {choices_sentence()}."
            }
        )
    best = ranked[0]
    encoding = normalise_label(best.encoding) or best.encoding
    others = tuple(dict.fromkeys(normalise_label(m.encoding) or m.encoding for m in ranked[1:4]))
    # charset-normalizer's chaos is 0 for clean text; a second reading nearly as clean in a
    # different script means the bytes alone cannot decide.
    clear = best.chaos < 0.1 and (len(ranked) == 1 or ranked[1].chaos - best.chaos > 0.05)
    if not clear:
        raise EncodingUnknown(
            {
                field_name: f"The encoding of {name} could not be told with confidence (it could "
                f"be {' or '.join((encoding, *others)[:4])}). Send it again choosing one of: "
                f"{choices_sentence()}."
            }
        )
    return Decoded(str(best), encoding, False, "detected", others)


def _decode_chosen(data: bytes, chosen: str, *, name: str, field_name: str) -> Decoded:
    encoding = normalise_label(chosen)
    if encoding is None or encoding not in CHOICES and encoding not in ("utf-16-le", "utf-16-be"):
        raise _refuse(
            "encoding",
            f"{chosen!r} is not an encoding offered here; choose one of: {choices_sentence()}.",
        )
    try:
        text = _decode(data, encoding)
    except UnicodeDecodeError as error:
        raise _refuse(
            "encoding",
            f"{name} is not valid {CHOICES.get(encoding, encoding)} (byte {error.start:,} "
            f"cannot be read in it); choose another encoding.",
        ) from error
    return _checked(Decoded(text, encoding, True, "chosen"), name, field_name)


def _checked(decoded: Decoded, name: str, field_name: str) -> Decoded:
    if _control_share(decoded.text) > 0.01:
        raise _refuse(field_name, f"{name} looks like a binary file, not text.")
    return decoded


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)


def html_declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB (``<meta charset>`` or the http-equiv
    Content-Type), as the HTML standard's prescan looks for it."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None
