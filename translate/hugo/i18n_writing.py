"""Adding entries to a string table in place: TOML with tomlkit, YAML round-tripped with
ruamel.yaml (refused if a line that exists would change), JSON as text."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import tomlkit
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from translate.errors import ConfigError
from translate.files.json_spans import JsonSpan, scan_json
from translate.hugo.i18n_tables import (
    PLURAL_FORMS,
    Entry,
    Table,
    Translate,
    round_trip_yaml,
    translate_missing,
)


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


def _add_yaml(target: Table, entries: Sequence[Entry], like: Table) -> str:
    yaml = round_trip_yaml()
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
