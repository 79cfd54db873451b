"""TMX 1.4, the exchange format of translation memories: export and import.

Only what a memory of whole blocks needs: one `<tu>` per entry with one `<tuv>` per
language. Other tools' extras (properties, notes, inline tags) are read past.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from translate import __version__
from translate.errors import RecordError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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


def import_tmx(text: str, source: str, target: str, *, name: str) -> list[tuple[str, str]]:
    """Return the (source, target) pairs of a TMX document for a language pair.

    Language codes match case-insensitively and by their primary subtag ("de-DE" is "de").
    Units without both languages are skipped; a document that is not TMX is an error.
    """
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        line, column = error.position
        raise RecordError(
            f"not valid XML: {error.msg if hasattr(error, 'msg') else error} (column {column})",
            path=name,
            line=line,
            hint="check that the file is a TMX export",
        ) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise RecordError("not a TMX document (no <tmx><body>)", path=name, line=1)
    pairs: list[tuple[str, str]] = []
    for unit in root.iter("tu"):
        texts: dict[str, str] = {}
        for variant in unit.findall("tuv"):
            language = variant.get(_XML_LANG) or variant.get("lang") or ""
            segment = variant.find("seg")
            if segment is not None:
                texts.setdefault(_primary(language), "".join(segment.itertext()))
        if _primary(source) in texts and _primary(target) in texts:
            pairs.append((texts[_primary(source)], texts[_primary(target)]))
    return pairs


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()
