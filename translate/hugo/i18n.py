"""Hugo's i18n string tables: what a target language lacks, translated and added in place.

Hugo reads `i18n/<language>.toml|yaml|yml|json` with go-i18n (v2, Hugo's fork). The file
name is the language: `i18n/de/strings.toml` is not German (checked with Hugo v0.168).
For a language with a `locale`, Hugo looks for `i18n/<locale>.*` first (`de-at.toml`) and
uses `i18n/<language>.*` only when there is none. A message is

- a flat string: `home = "Startseite"` (the plural form `other`);
- a map with go-i18n's reserved keys: `[posts]` with `one = "…"`, `other = "…"` (also
  `zero`, `two`, `few`, `many`; `description`, `hash`, `id` are metadata);
- nested under plain maps: `[nav]` `home = "…"` is the message `nav.home`;
- go-i18n's older list form: `[{"id": "home", "translation": "…"}]`.

Missing entries are translated and added; existing entries are never touched. TOML is
edited with tomlkit, YAML round-trips through ruamel.yaml (and is refused if that would
change a line that exists), JSON is edited as text: the file keeps its order, comments and
formatting, new entries go after the existing ones. A missing target table is created in
the source table's format.

Go template actions (`{{ .Count }}`, `{{ .Name | upper }}`), printf verbs (`%d`), HTML tags
and entities are protected: they become `<xN/>` markers for the model and come back
exactly, in any order the translation needs.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

import tomlkit
from babel import Locale
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from translate.errors import ConfigError
from translate.files import read_text
from translate.files.data import check_nesting, check_values, syntax_error
from translate.files.json_spans import JsonSpan, scan_json
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
            document = _yaml().load(text)
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


def add_entries(target: Table | None, entries: Sequence[Entry], *, path: Path, like: Table) -> str:
    """Return the target table's text with `entries` added after its own.

    Without a target table, a new one is written in the format of `like` (the source).
    Existing entries are never changed: an entry whose key the target has is skipped.
    """
    if target is None:
        empty = ("[]\n" if like.listed else "{}\n") if like.format == "json" else ""
        target = Table(path, like.format, empty, {}, like.listed)
    entries = [entry for entry in entries if entry.key not in target.entries]
    if not entries:
        return target.text
    if target.format == "toml":
        return _add_toml(target, entries)
    if target.format == "yaml":
        return _add_yaml(target, entries, like)
    return _add_json(target, entries)


def update_table(
    source: Table, target: Table | None, language: str, translate: Translate, *, path: Path
) -> str | None:
    """Return the target table's new text with its missing entries translated, or None
    if nothing is missing."""
    entries = translate_missing(source, target, language, translate)
    if not entries:
        return None
    return add_entries(target, entries, path=path, like=source)


def _value(entry: Entry) -> Any:
    """Return what an entry is written as: a string, or a map of plural forms."""
    if not entry.mapped:
        return entry.forms["other"]
    return {form: entry.forms[form] for form in PLURAL_FORMS if form in entry.forms}


def _add_toml(target: Table, entries: Sequence[Entry]) -> str:
    document = tomlkit.parse(target.text)
    for entry in entries:
        container: Any = document
        for index, key in enumerate(entry.path[:-1]):
            existing = container.get(key)
            if existing is None:
                # Only the table that holds a flat string gets a header of its own.
                holds_value = index == len(entry.path) - 2 and not entry.mapped
                table = tomlkit.table(is_super_table=not holds_value)
                container.add(key, table)
                existing = table
            container = existing
        value = _value(entry)
        if isinstance(value, dict):
            table = tomlkit.table()
            for form, text in value.items():
                table.add(form, text)
            value = table
        container.add(entry.path[-1], value)
    return tomlkit.dumps(document)


def _yaml() -> YAML:
    yaml = yaml_parser("rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _add_yaml(target: Table, entries: Sequence[Entry], like: Table) -> str:
    yaml = _yaml()
    document = yaml.load(target.text) if target.text.strip() else None
    indent = _yaml_indent(target.text)
    yaml.indent(mapping=indent, sequence=indent, offset=0)
    quoted = _mostly_quoted(target.text or like.text)
    if target.listed or isinstance(document, CommentedSeq):
        document = document if document is not None else CommentedSeq()
        for entry in entries:
            value = _quoted(_value(entry), quoted)
            document.append(CommentedMap([("id", entry.key), ("translation", value)]))
    else:
        document = document if document is not None else CommentedMap()
        for entry in entries:
            container = document
            for key in entry.path[:-1]:
                container = container.setdefault(key, CommentedMap())
            container[entry.path[-1]] = _quoted(_value(entry), quoted)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    text = buffer.getvalue()
    if not _only_insertions(target.text, text):
        raise ConfigError(
            "cannot add entries to this YAML table without changing its existing lines",
            path=target.path,
            hint="add the missing keys by hand, or use 2-space indentation",
        )
    return text


def _mostly_quoted(text: str) -> bool:
    """Return whether a YAML table writes its texts in double quotes (ids aside)."""
    values = re.findall(r"^[ \t-]*(?!id:)[^\s:#]+:[ \t]+(\S)", text, re.MULTILINE)
    return sum(value in "\"'" for value in values) > len(values) / 2


def _quoted(value: Any, quoted: bool) -> Any:
    """Write new strings in double quotes where the file's strings are."""
    if isinstance(value, dict):
        return CommentedMap((key, _quoted(item, quoted)) for key, item in value.items())
    return DoubleQuotedScalarString(value) if quoted else value


def _yaml_indent(text: str) -> int:
    indents = [len(line) - len(line.lstrip(" ")) for line in text.splitlines() if line.strip()]
    positive = [indent for indent in indents if indent > 0]
    return min(positive) if positive else 2


def _only_insertions(before: str, after: str) -> bool:
    old, new = before.splitlines(), after.splitlines()
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def _add_json(target: Table, entries: Sequence[Entry]) -> str:
    """Insert entries into JSON text before the closing bracket of their object."""
    text = target.text
    root = _json_tree(text, target.path)
    inserts: list[tuple[int, int, str]] = []
    if isinstance(root, _JsonList):
        items = [{"id": entry.key, "translation": _value(entry)} for entry in entries]
        inserts.append(root.insertion(text, items))
    else:
        assert isinstance(root, _JsonObject)
        grouped: dict[int, tuple[_JsonObject, dict[str, Any]]] = {}
        for entry in entries:
            node, rest = root.deepest(entry.path[:-1])
            keys = [*rest, entry.path[-1]]
            value: Any = _value(entry)
            for key in reversed(keys[1:]):
                value = {key: value}
            _merge(grouped.setdefault(node.close, (node, {}))[1], keys[0], value)
        inserts += [node.insertion(text, members) for node, members in grouped.values()]
    for start, end, addition in sorted(inserts, reverse=True):
        text = text[:start] + addition + text[end:]
    return text


def _merge(members: dict[str, Any], key: str, value: Any) -> None:
    if isinstance(value, dict) and isinstance(members.get(key), dict):
        for inner, item in value.items():
            _merge(members[key], inner, item)
    else:
        members[key] = value


@dataclass
class _JsonObject:
    open: int
    close: int  # offset of the closing brace
    children: dict[str, _JsonObject]
    count: int

    def deepest(self, path: Sequence[str]) -> tuple[_JsonObject, list[str]]:
        """Return the deepest existing object along `path` and the keys still missing."""
        node = self
        for index, key in enumerate(path):
            child = node.children.get(key)
            if child is None:
                return node, list(path[index:])
            node = child
        return node, []

    def insertion(self, text: str, members: Mapping[str, Any]) -> tuple[int, int, str]:
        return _insertion(text, self.open, self.close, self.count, list(members.items()))


@dataclass
class _JsonList:
    open: int
    close: int
    count: int

    def insertion(self, text: str, items: Sequence[Any]) -> tuple[int, int, str]:
        return _insertion(text, self.open, self.close, self.count, [(None, item) for item in items])


def _insertion(
    text: str, open_: int, close: int, count: int, members: Sequence[tuple[str | None, Any]]
) -> tuple[int, int, str]:
    """Return (start, end, text) that adds members before a closing bracket, laid out as
    the existing ones: one per line with their indentation, or all on one line."""
    inner = text[open_ + 1 : close]
    line_start = text.rfind("\n", 0, open_) + 1
    base = text[
        line_start : line_start + len(text[line_start:]) - len(text[line_start:].lstrip(" \t"))
    ]
    found = re.search(r"\n([ \t]*)\S", inner)
    multiline = found is not None or count == 0
    indent = found.group(1) if found else base + "  "
    step = len(indent) - len(base) if len(indent) > len(base) else 2

    def render(key: str | None, value: Any) -> str:
        dumped = json.dumps(value, ensure_ascii=False, indent=step if multiline else None)
        prefix = json.dumps(key, ensure_ascii=False) + ": " if key is not None else ""
        return prefix + dumped.replace("\n", "\n" + indent)

    rendered = [render(key, value) for key, value in members]
    if count == 0:
        # An empty `{}` or `[]`: its members go on lines of their own.
        return open_ + 1, close, "\n" + indent + (",\n" + indent).join(rendered) + "\n" + base
    after_last = open_ + 1 + len(inner.rstrip())
    if multiline:
        return after_last, after_last, ",\n" + indent + (",\n" + indent).join(rendered)
    return after_last, after_last, ", " + ", ".join(rendered)


def _json_tree(text: str, path: Path) -> _JsonObject | _JsonList:
    """Return where each object of a (valid) JSON table opens and closes."""
    if not text.strip():
        raise ConfigError("expected a JSON object or list", path=path, line=1)
    root = scan_json(text)
    if root.kind == "array":
        return _JsonList(root.start, root.end - 1, len(root.members))
    if root.kind != "object":
        raise ConfigError("expected a JSON object or list", path=path, line=1)
    return _json_object(root)


def _json_object(span: JsonSpan) -> _JsonObject:
    children = {
        str(key): _json_object(member) for key, member in span.members if member.kind == "object"
    }
    return _JsonObject(span.start, span.end - 1, children, len(span.members))
