"""Reading string tables, finding what a target lacks, and translating it with its
placeholders protected (see `translate.hugo.i18n`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomlkit
from babel import Locale
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from translate.errors import ConfigError
from translate.files import read_text
from translate.files.data import check_nesting, check_values, syntax_error
from translate.files.yaml_reading import yaml_parser
from translate.hugo.config import EXTENSIONS
from translate.translation.numbers import locale_for

Format = Literal["toml", "yaml", "json"]
Translate = Callable[[list[str]], list[str]]

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# go-i18n's keys that make a map a message rather than a group of messages.
RESERVED = frozenset({"id", "description", "hash", "leftdelim", "rightdelim", *PLURAL_FORMS})


@dataclass(frozen=True)
class Entry:
    """One message of a table: its id, where it sits, and its text per plural form."""

    key: str  # go-i18n's id: the path joined with dots ("nav.home")
    path: tuple[str, ...]  # the keys leading to it in the file
    forms: Mapping[str, str]  # plural form -> text; a flat string is {"other": text}
    mapped: bool = False  # written as a map of forms rather than a flat string
    line: int | None = None

    @property
    def plural(self) -> bool:
        """Return whether the text depends on a count: forms other than `other`."""
        return any(form != "other" for form in self.forms)


@dataclass(frozen=True)
class Missing:
    """What a target table lacks of a source entry: all of it, or some plural forms."""

    key: str
    forms: tuple[str, ...]
    whole: bool


@dataclass
class Table:
    """A parsed string table, with what it takes to add entries without touching the rest."""

    path: Path
    format: Format
    text: str
    entries: dict[str, Entry]
    listed: bool = False  # go-i18n's older list form
    document: Any = field(default=None, repr=False)

    @property
    def language(self) -> str:
        """Return the language the file name stands for (`de` of `i18n/de.toml`)."""
        return self.path.name.rsplit(".", 1)[0].lower()


# --- finding and reading tables -------------------------------------------------------------


def table_path(i18n_dir: Path, language: str, locale: str | None = None) -> Path | None:
    """Return the table Hugo uses for a language: its locale's, else its own; or None."""
    names = [name.lower() for name in (locale, language) if name]
    if not i18n_dir.is_dir():
        return None
    files = {
        path.name.lower(): path
        for path in sorted(i18n_dir.iterdir())
        if path.is_file() and path.suffix.lower().lstrip(".") in EXTENSIONS
    }
    for name in names:
        for extension in EXTENSIONS:
            if f"{name}.{extension}" in files:
                return files[f"{name}.{extension}"]
    return None


def new_table_path(i18n_dir: Path, language: str, like: Table) -> Path:
    """Return where a new table for `language` goes: the source table's extension."""
    return i18n_dir / f"{language.lower()}{like.path.suffix}"


def load_table(path: Path) -> Table:
    """Read a string table; raise ConfigError with file and line if it does not parse."""
    return parse_table(read_text(path, error=ConfigError), path)


def parse_table(text: str, path: Path) -> Table:
    """Parse a string table's text; the format comes from `path`'s extension."""
    extension = path.suffix.lower().lstrip(".")
    fmt: Format = (
        "yaml" if extension in ("yaml", "yml") else "json" if extension == "json" else "toml"
    )
    document: Any
    check_nesting(text, fmt, path=path, error=ConfigError)
    try:
        if fmt == "toml":
            document = tomlkit.parse(text)
            data: Any = document.unwrap()
        elif fmt == "yaml":
            document = round_trip_yaml().load(text)
            data = document
        else:
            document = None
            data = json.loads(text) if text.strip() else {}
    except (ValueError, YAMLError) as error:
        raise syntax_error(error, text, fmt, path=path, error=ConfigError) from None
    check_values(data, text, path=path, error=ConfigError)
    if data is None:
        data = {}
    if not isinstance(data, (Mapping, list)):
        raise ConfigError("expected a map of messages", path=path, line=1)
    entries: dict[str, Entry] = {}
    for entry in _messages(data, (), path):
        entries.setdefault(entry.key, entry)
    line_of = _line_finder(text)
    entries = {key: _with_line(entry, line_of) for key, entry in entries.items()}
    return Table(path, fmt, text, entries, isinstance(data, list), document)


def _messages(data: Any, path: tuple[str, ...], file: Path) -> Iterator[Entry]:
    """Yield the messages of a table the way go-i18n reads them."""
    if isinstance(data, list):
        for item in data:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                forms = _forms(item)
                mapped = isinstance(item.get("translation"), Mapping)
                yield Entry(item["id"], (item["id"],), forms, mapped)
        return
    for key, value in data.items():
        where = (*path, str(key))
        if isinstance(value, str):
            yield Entry(".".join(where), where, {"other": value})
        elif isinstance(value, Mapping) and _is_message(value):
            yield Entry(".".join(where), where, _forms(value), mapped=True)
        elif isinstance(value, Mapping):
            yield from _messages(value, where, file)
        elif value is not None:
            raise ConfigError(
                f"{'.'.join(where)}: expected a string or a map of plural forms, "
                f"not {type(value).__name__}",
                path=file,
            )


def _is_message(value: Mapping[Any, Any]) -> bool:
    return any(
        str(key).lower() in RESERVED and isinstance(item, str) for key, item in value.items()
    )


def _forms(value: Mapping[Any, Any]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for key, item in value.items():
        name = str(key).lower()
        if name == "translation" and isinstance(item, str):
            forms["other"] = item
        elif name == "translation" and isinstance(item, Mapping):
            forms.update(_forms(item))
        elif name in PLURAL_FORMS and isinstance(item, str):
            forms[name] = item
    return forms


def _line_finder(text: str) -> Callable[[str], int | None]:
    lines = text.splitlines()

    def find(key: str) -> int | None:
        pattern = re.compile(rf"""(?:^|[\s"'\[{{,.]){re.escape(key)}(?:["'\]]|\s*[=:])""")
        return next((number for number, line in enumerate(lines, 1) if pattern.search(line)), None)

    return find


def _with_line(entry: Entry, line_of: Callable[[str], int | None]) -> Entry:
    return Entry(entry.key, entry.path, entry.forms, entry.mapped, line_of(entry.path[-1]))


# --- what a target lacks ------------------------------------------------------------------


def plural_forms(language: str) -> tuple[str, ...]:
    """Return the plural forms a count of items takes in `language` (CLDR via Babel).

    Only the forms whole numbers below 1000 use: CLDR's French `many` (for a million,
    written compactly) is not in Hugo's go-i18n rules.
    """
    locale: Locale = locale_for(language)[0]
    used = {locale.plural_form(number) for number in range(1000)}
    return tuple(form for form in PLURAL_FORMS if form in used or form == "other")


def missing(source: Table, target: Table | None, language: str) -> list[Missing]:
    """Return the source's entries the target table lacks, and plural forms it lacks."""
    needed = plural_forms(language)
    found: list[Missing] = []
    for key, entry in source.entries.items():
        forms = needed if entry.plural else ("other",)
        have = target.entries.get(key) if target is not None else None
        if have is None:
            found.append(Missing(key, forms, whole=True))
        elif entry.plural:
            lacking = tuple(form for form in forms if form not in have.forms)
            if lacking:
                found.append(Missing(key, lacking, whole=False))
    return found


# --- protecting placeholders --------------------------------------------------------------

# Go template actions (with custom delimiters where a message sets them are not handled),
# printf verbs, HTML tags and entities.
_PROTECTED = re.compile(
    r"\{\{.*?\}\}"
    r"|%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[vTtbcdoOqxXUeEfFgGsp%]"
    r"|</?[A-Za-z][^<>]*>"
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);",
    re.DOTALL,
)
_MARKER = re.compile(r"<x(\d+)/>")


@dataclass(frozen=True)
class Protected:
    """A text whose placeholders are `<xN/>` markers, and how to put them back."""

    text: str  # with markers
    spans: tuple[str, ...]  # the placeholders, marker N is spans[N - 1]
    pieces: tuple[str, ...]  # the prose between placeholders, for a piece-wise fallback

    @property
    def has_words(self) -> bool:
        """Return whether anything is left to translate once placeholders are gone."""
        return any(any(character.isalpha() for character in piece) for piece in self.pieces)

    def restore(self, translated: str) -> str | None:
        """Return the translation with its placeholders, or None if a marker was lost,
        repeated or invented. The markers may come back in any order."""
        numbers = [int(number) for number in _MARKER.findall(translated)]
        if sorted(numbers) != list(range(1, len(self.spans) + 1)):
            return None
        return _MARKER.sub(lambda match: self.spans[int(match.group(1)) - 1], translated)

    def join(self, pieces: Sequence[str]) -> str:
        """Return translated prose pieces joined by the original placeholders, in order."""
        out = [pieces[0]]
        for span, piece in zip(self.spans, pieces[1:], strict=True):
            out += [span, piece]
        return "".join(out)


def protect(text: str) -> Protected:
    """Replace the placeholders of a message by numbered markers."""
    spans: list[str] = []
    pieces: list[str] = []
    last = 0
    marked: list[str] = []
    for match in _PROTECTED.finditer(text):
        spans.append(match.group())
        pieces.append(text[last : match.start()])
        marked += [text[last : match.start()], f"<x{len(spans)}/>"]
        last = match.end()
    pieces.append(text[last:])
    marked.append(text[last:])
    return Protected("".join(marked), tuple(spans), tuple(pieces))


def translate_texts(texts: Sequence[str], translate: Translate) -> list[str]:
    """Translate messages with their placeholders protected.

    Texts without words are kept. A translation that loses a marker is done again piece
    by piece: the prose between placeholders on its own, placeholders in their place.
    """
    protected = [protect(text) for text in texts]
    todo = sorted({item.text for item in protected if item.has_words})
    done = dict(zip(todo, translate(list(todo)), strict=True)) if todo else {}
    results: list[str | None] = [
        item.restore(done[item.text]) if item.has_words else text
        for item, text in zip(protected, texts, strict=True)
    ]
    failed = [item for item, result in zip(protected, results, strict=True) if result is None]
    pieces = sorted({piece for item in failed for piece in item.pieces if _worded(piece)})
    by_piece = dict(zip(pieces, translate(list(pieces)), strict=True)) if pieces else {}
    return [
        result
        if result is not None
        else item.join([_spaced(piece, by_piece.get(piece, piece)) for piece in item.pieces])
        for item, result in zip(protected, results, strict=True)
    ]


def _worded(text: str) -> bool:
    return any(character.isalpha() for character in text)


def _spaced(original: str, translated: str) -> str:
    """Keep the spaces around a piece, which a model strips."""
    if not _worded(original):
        return original
    core = translated.strip()
    lead = original[: len(original) - len(original.lstrip())]
    tail = original[len(original.rstrip()) :]
    return f"{lead}{core}{tail}"


# --- adding entries -----------------------------------------------------------------------


def translate_missing(
    source: Table, target: Table | None, language: str, translate: Translate
) -> list[Entry]:
    """Return the source's entries the target lacks, translated into `language`.

    Each plural form the target language uses comes from the source's same form, or
    else its `other` (Polish `few` and `many` from English `other`).
    """
    wanted = [item for item in missing(source, target, language) if item.whole]
    plans: list[tuple[Entry, dict[str, str]]] = []
    for item in wanted:
        entry = source.entries[item.key]
        plans.append((entry, {form: _source_form(entry, form) for form in item.forms}))
    texts = [text for _, forms in plans for text in forms.values()]
    translated = iter(translate_texts(texts, translate))
    return [
        Entry(entry.key, entry.path, {form: next(translated) for form in forms}, entry.mapped)
        for entry, forms in plans
    ]


def _source_form(entry: Entry, form: str) -> str:
    if form in entry.forms:
        return entry.forms[form]
    return entry.forms.get("other") or next(iter(entry.forms.values()), "")


def round_trip_yaml() -> YAML:
    """Return a ruamel.yaml reader and writer that keeps quotes and long lines."""
    yaml = yaml_parser("rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml
