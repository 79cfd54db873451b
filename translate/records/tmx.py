"""TMX 1.4, the exchange format of translation memories: export and import.

Only what a memory of whole blocks needs: one `<tu>` per entry with one `<tuv>` per
language. Other tools' extras (properties, notes, inline tags) are read past.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from translate import __version__
from translate.errors import RecordError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A blank line: where one paragraph ends and the next begins.
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def export_tmx(entries: Iterable[tuple[str, str]], source: str, target: str) -> str:
    """Return a TMX document holding `entries` (source text, target text), sorted."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "hugo-translate",
            "creationtoolversion": __version__,
            "datatype": "markdown",
            "segtype": "block",
            "adminlang": "en",
            "srclang": source,
            "o-tmf": "hugo-translate",
        },
    )
    body = ET.SubElement(root, "body")
    for source_text, target_text in sorted(set(entries)):
        unit = ET.SubElement(body, "tu")
        for language, text in ((source, source_text), (target, target_text)):
            variant = ET.SubElement(unit, "tuv", {_XML_LANG: language})
            ET.SubElement(variant, "seg").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


@dataclass(frozen=True)
class TmxImport:
    """What a TMX document holds for a language pair."""

    entries: list[tuple[str, str]]  # (source, target), in document order
    # Units the memory cannot use, as (line of the <tu>, why), in document order.
    rejected: list[tuple[int, str]] = field(default_factory=list)


def import_tmx(text: str, source: str, target: str, *, name: str) -> TmxImport:
    """Return the entries of a TMX document for a language pair, and those it rejects.

    Language codes match case-insensitively and by their primary subtag ("de-DE" is "de").
    Units without both languages are skipped. A unit whose target is empty, shows nothing
    (`has_visible_text`) or has other paragraphs than its source cannot stand for a block,
    and is rejected with its line.
    A document that is not TMX, declares entities, or has units but none of the pair is
    an error naming `name`.
    """
    units = _read_units(text, name)
    wanted = _primary(source), _primary(target)
    entries: list[tuple[str, str]] = []
    rejected: list[tuple[int, str]] = []
    for line, texts in units:
        if wanted[0] not in texts or wanted[1] not in texts:
            continue
        source_text, target_text = texts[wanted[0]], texts[wanted[1]]
        problem = unusable_entry(source_text, target_text)
        if problem is None:
            entries.append((source_text, target_text))
        else:
            rejected.append((line, problem))
    if units and not entries and not rejected:
        found = sorted({language for _, texts in units for language in texts} - {""})
        raise RecordError(
            f"no {source}-{target} entries: the file's languages are "
            f"{', '.join(found) or 'not given'}, expected {source} and {target}",
            path=name,
            line=units[0][0],
            hint=f"import a TMX file with {source} and {target} entries, "
            "or name the pair with --from and --to",
        )
    return TmxImport(entries, rejected)


def unusable_entry(source: str, target: str) -> str | None:
    """Say why an entry cannot be a memory entry for a block, or None if it can.

    Text that shows nothing (spaces, a zero-width space, other format characters) is empty:
    as a translation it would replace a paragraph by nothing a reader sees.
    """
    if not has_visible_text(source):
        return "the source text is empty" if not source.strip() else "the source text shows nothing"
    if not has_visible_text(target):
        if not target.strip():
            return "the translation is empty"
        return "the translation has no visible text (only spaces or invisible characters)"
    paragraphs = len(_BLANK_LINE.split(source.strip())), len(_BLANK_LINE.split(target.strip()))
    if paragraphs[0] != paragraphs[1]:
        return (
            f"the translation has {paragraphs[1]} paragraphs, the source {paragraphs[0]}: "
            "a memory entry stands for one block"
        )
    return None


def _read_units(text: str, name: str) -> list[tuple[int, dict[str, str]]]:
    """Parse a TMX document into (line, {primary language: segment text}) per `<tu>`.

    expat directly rather than ElementTree, which keeps no line numbers. Entity
    declarations are refused: TMX needs none, and they are how XML bombs and external
    entities get in.
    """
    parser = expat.ParserCreate()
    units: list[tuple[int, dict[str, str]]] = []
    path: list[str] = []  # open elements
    language = ""
    segment: list[str] | None = None  # text of the <seg> being read
    has_body = False

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal language, segment
        if not path and tag != "tmx":
            raise _NotTmx
        if tag == "tu":
            units.append((parser.CurrentLineNumber, {}))
        elif tag == "tuv":
            language = _primary(attributes.get("xml:lang") or attributes.get("lang") or "")
        elif tag == "seg" and path[-1:] == ["tuv"] and units:
            segment = []
        path.append(tag)

    def end(tag: str) -> None:
        nonlocal segment, has_body
        path.pop()
        if tag == "seg" and segment is not None:
            # The first segment of a language in a unit counts.
            units[-1][1].setdefault(language, "".join(segment))
            segment = None
        elif tag == "body" and path == ["tmx"]:
            has_body = True

    def characters(data: str) -> None:
        if segment is not None:
            segment.append(data)

    def entity(name: str, *_: object) -> None:
        raise _EntityDeclared(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        raise RecordError(
            f"not valid XML: {expat.ErrorString(error.code)} (column {error.offset + 1})",
            path=name,
            line=error.lineno,
            hint="check that the file is a TMX export",
        ) from None
    except _EntityDeclared as error:
        raise RecordError(
            "declares an XML entity",
            path=name,
            line=error.line,
            hint="TMX needs no entities; remove the declarations from the DOCTYPE",
        ) from None
    except _NotTmx:
        has_body = False
    if not has_body:
        raise RecordError("not a TMX document (no <tmx><body>)", path=name, line=1)
    return units


class _NotTmx(Exception):
    """The document's root element is not <tmx>."""


class _EntityDeclared(Exception):
    """The document declares an entity."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


# Characters that are letters or symbols to Unicode but show as nothing: Hangul fillers and
# the blank Braille pattern.
_BLANK_GRAPHICS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(text: str) -> bool:
    """Tell whether `text` shows anything: a letter, digit, punctuation mark or symbol.

    Spaces, control and format characters (U+200B ZERO WIDTH SPACE, U+2060, U+FEFF, the soft
    hyphen, ...) and combining marks without a base show nothing; a private-use character
    may be an icon, and counts as visible.
    """
    return any(
        (unicodedata.category(character)[0] in "LNPS" or unicodedata.category(character) == "Co")
        and character not in _BLANK_GRAPHICS
        for character in text
    )


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()
