"""YAML/TOML front matter: translatable values out, translations back in.

The block is never re-dumped. Parsers only tell where each string value sits in the source
(ruamel.yaml marks, tomlkit's byte-exact round trip); a translation replaces exactly that span,
so comments, commented-out keys, quoting, key order, dates and line endings stay as written.
Every replacement is parsed back and checked before it is returned.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import tomlkit
import tomlkit.exceptions
from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tokens import ScalarToken
from tomlkit.items import String, StringType

from translate.errors import FrontMatterError

KeyPath = tuple[str | int, ...]

DEFAULT_TRANSLATABLE_KEYS: tuple[str, ...] = (
    "title",
    "subtitle",
    "summary",
    "description",
    "linktitle",
    # A page's own menu entries (`menu: {main: {name: …}}`): the label and its tooltip.
    "menu.*.name",
    "menu.*.title",
    "menus.*.name",
    "menus.*.title",
    "**.caption",
    "**.alt",
    # Shortcode parameters whose values are prose, as `{{name}}.param` (a position as
    # `{{name}}.0`): Hugo's own figure renders these as text.
    "{{figure}}.caption",
    "{{figure}}.title",
    "{{figure}}.alt",
    "{{figure}}.attr",
)

_SHORTCODE_KEY = re.compile(r"\{\{(?P<name>[^{}]+)\}\}\.(?P<param>[^.]+)")


def shortcode_params(patterns: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Return the shortcode parameters among translatable keys: name -> parameters."""
    found: dict[str, tuple[str, ...]] = {}
    for pattern in patterns:
        match = _SHORTCODE_KEY.fullmatch(pattern)
        if match is not None:
            name = match.group("name")
            found[name] = (*found.get(name, ()), match.group("param"))
    return found


Format = Literal["yaml", "toml", "json", "none"]
_DELIMITERS: dict[str, Format] = {"---": "yaml", "+++": "toml"}


def key_matches(path: KeyPath, patterns: Sequence[str]) -> bool:
    """Tell whether `path` matches any of the dotted `patterns`.

    `*` stands for exactly one element (a key or a list index), `**` for zero or more, so
    `title` is only the top-level title and `**.caption` is a caption at any depth. Keys
    match without regard to case, as Hugo reads them: `linktitle` is `linkTitle`.
    """
    return any(
        _path_matches(path, tuple(pattern.split(".")))
        for pattern in patterns
        if not pattern.startswith("{{")
    )


def _path_matches(path: KeyPath, parts: tuple[str, ...]) -> bool:
    if not parts:
        return not path
    head, rest = parts[0], parts[1:]
    if head == "**":
        return any(_path_matches(path[skip:], rest) for skip in range(len(path) + 1))
    if not path:
        return False
    return (head == "*" or head.lower() == str(path[0]).lower()) and _path_matches(path[1:], rest)


@dataclass(frozen=True)
class FrontMatterField:
    """A string value in the front matter, and where it starts in the file."""

    path: KeyPath  # e.g. ("image", "caption") or ("resources", 0, "title")
    value: str
    line: int  # 1-based, in the whole file


@dataclass(frozen=True)
class FrontMatter:
    """A post's front matter block, exactly as it stands in the file."""

    format: Format
    # The whole block: blank lines before it, the opening delimiter line, the content, the
    # closing delimiter and its line end ("" when the post has no front matter).
    text: str
    first_line: int = 1  # 1-based line of the opening delimiter (JSON: of the `{`)
    # Where the content (what the parser reads) starts and ends in `text`.
    content_start: int = 0
    content_end: int = 0

    def fields(self, patterns: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS) -> list[FrontMatterField]:
        """Return every string value whose path matches one of `patterns`, in document order."""
        if self.format == "none":
            return []
        _, content, _ = self._parts()
        return [
            FrontMatterField(slot.path, slot.value, self._line_at(content, slot.start))
            for slot in self._syntax().slots(content, self._content_line())
            if key_matches(slot.path, patterns)
        ]

    def replace(self, values: Mapping[KeyPath, str]) -> str:
        """Return the block with the string values at the given paths replaced.

        Everything else stays byte for byte as it was. A value keeps its quoting style when
        that style can hold the new text and changes to a quoted style when it cannot.
        Raise KeyError for a path that is not in the front matter, ValueError for one that
        is not a string value.
        """
        if self.format == "none":
            if values:
                raise KeyError(next(iter(values)))
            return self.text
        opening, content, closing = self._parts()
        syntax = self._syntax()
        slots = {slot.path: slot for slot in syntax.slots(content, self._content_line())}
        changed: dict[KeyPath, str] = {}
        for path, value in values.items():
            if path not in slots:
                self._reject(path)
            # Unchanged values are left alone, so a round trip is byte-identical even where
            # the original spelling (a wrapped plain scalar, say) would not be reproduced.
            if value != slots[path].value:
                changed[path] = value
        if not changed:
            return self.text
        renderings = {
            path: syntax.renderings(slots[path], value, content) for path, value in changed.items()
        }
        outline = syntax.outline_or_none(content)
        if outline is None:
            raise ValueError("the front matter does not parse")
        choice = {path: options[0] for path, options in renderings.items()}
        new_content = _splice(content, slots, choice)
        if syntax.outline_or_none(new_content) != _expect(outline, changed):
            # A preferred rendering did not read back as intended: pick, value by value, the
            # first one that does. Each value's last option is the always-safe quoted form.
            for path, options in renderings.items():
                choice[path] = _first_faithful(
                    syntax, content, slots[path], changed[path], options, outline
                )
            new_content = _splice(content, slots, choice)
            if syntax.outline_or_none(new_content) != _expect(outline, changed):
                raise ValueError("replacing front matter values would change other values")
        return opening + new_content + closing

    def data(self) -> Any:
        """Return the parsed front matter as plain Python values (an empty block gives {})."""
        if self.format == "none":
            return {}
        _, content, _ = self._parts()
        return self._syntax().load(content, self._content_line())

    def _parts(self) -> tuple[str, str, str]:
        """Split the block into what comes before the content, the content, and after it."""
        return (
            self.text[: self.content_start],
            self.text[self.content_start : self.content_end],
            self.text[self.content_end :],
        )

    def _content_line(self) -> int:
        return 1 + self.text.count("\n", 0, self.content_start)

    def _line_at(self, content: str, offset: int) -> int:
        # Counted on "\n" alone: YAML marks also count U+2028 and friends as line breaks,
        # editors and Hugo do not.
        return self._content_line() + content.count("\n", 0, offset)

    def _syntax(self) -> _Syntax:
        return {"yaml": _YAML_SYNTAX, "toml": _TOML_SYNTAX, "json": _JSON_SYNTAX}[self.format]

    def _reject(self, path: KeyPath) -> None:
        """Raise the error for a path that names no string value."""
        node: Any = self.data()
        for part in path:
            if isinstance(node, Mapping):
                matches = [key for key in node if key == part or str(key) == str(part)]
                if not matches:
                    raise KeyError(path)
                node = node[matches[0]]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                raise KeyError(path)
        raise ValueError(f"{'.'.join(map(str, path))} is not a string value that can be replaced")


# Hugo's isASCIISpace and line ends, and a byte order mark: what may precede front matter.
_LEADING = frozenset("\t\n\v\f\r \ufeff")


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Split a post into its front matter and its body; `fm.text + body == text`.

    Read as Hugo's page lexer reads a page's start (`pagelexer_intro.go`): a byte order
    mark, spaces and blank lines may come first; then `---` opens YAML, `+++` TOML and `{`
    JSON front matter; anything else starts a body without front matter. The closing
    delimiter is a line that starts with `---` (`+++`). Raise FrontMatterError (with the
    line, without the path) where Hugo fails too.
    """
    start = 0
    while start < len(text) and text[start] in _LEADING:
        start += 1
    if start == len(text) or text[start] not in "-+{":
        if text.startswith("#+", start):
            raise FrontMatterError(
                "Org-mode front matter is not supported",
                line=text.count("\n", 0, start) + 1,
                hint="convert it to YAML between --- lines or TOML between +++ lines",
            )
        return FrontMatter("none", ""), text
    line = text.count("\n", 0, start) + 1
    if text[start] == "{":
        end = _json_end(text, start, line)
        front_matter = FrontMatter("json", text[: _after_line_end(text, end)], line, start, end)
    else:
        delimiter = text[start : start + 3]
        fmt: Format = "yaml" if text[start] == "-" else "toml"
        if delimiter not in _DELIMITERS:
            raise FrontMatterError(
                f"invalid {fmt.upper()} delimiter: a post that starts with "
                f"{text[start]!r} must open its front matter with {text[start] * 3}",
                line=line,
                hint="start the post with --- (YAML) or +++ (TOML) on a line of its own",
            )
        content_start = _after_line_end(text, start + 3)
        close = _closing_line(text, content_start, delimiter)
        if close < 0:
            raise FrontMatterError(
                f"the front matter opened here is never closed: the closing {delimiter} line "
                "is missing",
                line=line,
                hint=f"add a line with only {delimiter} after the last front matter line",
            )
        end = _after_line_end(text, close + 3)
        front_matter = FrontMatter(fmt, text[:end], line, content_start, close)
    _check_mapping(front_matter)
    return front_matter, text[len(front_matter.text) :]


def _after_line_end(text: str, position: int) -> int:
    """Return `position` moved past a line end right there (Hugo's consumeCRLF)."""
    if text.startswith("\r", position):
        position += 1
    if text.startswith("\n", position):
        position += 1
    return position


def _closing_line(text: str, start: int, delimiter: str) -> int:
    """Return where the first line from `start` on that starts with `delimiter` begins, or -1."""
    if text.startswith(delimiter, start):
        return start
    position = text.find("\n" + delimiter, start)
    return position + 1 if position >= 0 else -1


def _json_end(text: str, start: int, line: int) -> int:
    """Return the end of JSON front matter starting at `start`, balancing braces as Hugo does."""
    level = 0
    in_quote = False
    position = start
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == '"':
            in_quote = not in_quote
        elif not in_quote and char == "{":
            level += 1
        elif not in_quote and char == "}":
            level -= 1
            if level == 0:
                return position + 1
        position += 1
    raise FrontMatterError(
        "unexpected end of file in JSON front matter: a { is never closed",
        line=line,
        hint="close every { with a }",
    )


def _lines(text: str) -> list[str]:
    """Split `text` after each "\\n", keeping line ends ("\\r\\n" stays whole)."""
    # Not str.splitlines: it also breaks at "\x1c", "\x85", U+2028 ..., which are no line
    # ends for Hugo and would shift every line number after them.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


# Hugo's date fields (page_frontmatter.go), matched case-insensitively: a value there that
# is no date fails the build ("not a parsable date").
_DATE_KEYS = frozenset(
    (
        "date",
        "publishdate",
        "pubdate",
        "published",
        "lastmod",
        "modified",
        "expirydate",
        "unpublishdate",
    )
)
_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?![\d])")


def _check_dates(front_matter: FrontMatter, data: Mapping[Any, Any]) -> None:
    """Raise FrontMatterError for a date field Hugo cannot read as a date.

    Only what certainly is no date is refused: an impossible calendar date (2022-15-11) or
    text without a digit; Hugo reads many other layouts.
    """
    for key, value in data.items():
        if str(key).lower() not in _DATE_KEYS or not isinstance(value, str) or not value:
            continue
        match = _ISO_DATE.match(value.strip())
        impossible = False
        if match is not None:
            try:
                datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                impossible = True
        if impossible or not any(char.isdigit() for char in value):
            found = re.search(
                rf"^[ \t]*[\"']?{re.escape(str(key))}[\"']?[ \t]*[:=]",
                front_matter.text,
                re.MULTILINE,
            )
            line = front_matter.text.count("\n", 0, found.start()) + 1 if found else None
            raise FrontMatterError(
                f"the {key!r} front matter field is not a parsable date: {value!r}",
                line=line,
                hint="write it as 2024-07-19 (or 2024-07-19T10:00:00+02:00); Hugo fails on it too",
            )


def _check_mapping(front_matter: FrontMatter) -> None:
    """Raise FrontMatterError unless the block parses to a mapping of keys to values."""
    data = front_matter.data()
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise FrontMatterError(
            f"the front matter is {kind}, not a mapping of keys to values",
            line=front_matter.first_line + 1,
            hint="write it as `key: value` lines",
        )
    _check_dates(front_matter, data)


# --- shared replacement machinery --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """Where a string value sits in the front matter content, and how it is written."""

    path: KeyPath
    value: str
    start: int  # offset in the content (the text between the delimiter lines)
    end: int
    # YAML: "" (plain), "'", '"', "|" or ">"; TOML: the delimiter, '"', "'", '"""' or "'''".
    style: str
    flow: bool = False  # YAML: inside [...] or {...}, where ",[]{}" end a plain scalar


# A parse reduced to comparable entries (path, role, type, value), in document order.
_Outline = list[tuple[KeyPath, str, str, object]]


class _Syntax(Protocol):
    """What the replacement machinery needs from a front matter language."""

    def load(self, content: str, first_line: int) -> Any:
        """Return the content as plain Python values; raise FrontMatterError if invalid."""
        ...

    def slots(self, content: str, first_line: int) -> list[_Slot]:
        """Return every string value in the content, in document order."""
        ...

    def renderings(self, slot: _Slot, value: str, content: str) -> list[str]:
        """Return sources for `value` in the slot, preferred first, always-safe last."""
        ...

    def outline_or_none(self, content: str) -> _Outline | None:
        """Return the content's outline, or None when it does not parse."""
        ...


def _splice(content: str, slots: Mapping[KeyPath, _Slot], choice: Mapping[KeyPath, str]) -> str:
    """Return `content` with each chosen slot's source span replaced by its new source."""
    pieces: list[str] = []
    position = 0
    for path in sorted(choice, key=lambda path: slots[path].start):
        slot = slots[path]
        pieces += [content[position : slot.start], choice[path]]
        position = slot.end
    pieces.append(content[position:])
    return "".join(pieces)


def _expect(outline: _Outline, changed: Mapping[KeyPath, str]) -> _Outline:
    """Return the outline that a correct replacement of the `changed` values parses to."""
    return [
        (path, role, kind, changed.get(path, value) if (role, kind) == ("value", "str") else value)
        for path, role, kind, value in outline
    ]


def _first_faithful(
    syntax: _Syntax,
    content: str,
    slot: _Slot,
    value: str,
    options: list[str],
    outline: _Outline,
) -> str:
    """Return the first rendering of `value` that parses back to it, changing nothing else."""
    expected = _expect(outline, {slot.path: value})
    for option in options:
        if syntax.outline_or_none(content[: slot.start] + option + content[slot.end :]) == expected:
            return option
    raise ValueError(f"cannot write a new value for {'.'.join(map(str, slot.path))}")


# --- YAML -------------------------------------------------------------------------------

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

# Characters YAML allows on one line of a quoted scalar. Line breaks are left out: YAML folds
# them (and "\x85", U+2028, U+2029) inside quotes; the BOM is left out to be safe.
_WIDE = r"\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_SINGLE_QUOTABLE = re.compile(rf"[\t\x20-\x7e{_WIDE}]*")
_BLOCK_WRITABLE = re.compile(rf"[\t\n\x20-\x7e{_WIDE}]*")
_PLAIN_WRITABLE = re.compile(rf"[\x20-\x7e{_WIDE}]*")
_NEEDS_ESCAPE = re.compile(rf"[^\x20\x21\x23-\x5b\x5d-\x7e{_WIDE}]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
# Characters that give a plain scalar a special meaning when they come first.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Plain scalars that YAML 1.1 (Hugo's older Go parser) or 1.2 would not read as a string;
# deliberately broad: anything number-like is quoted.
_LOOKS_TYPED = re.compile(
    r"~|null|Null|NULL"
    r"|[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?\.?[0-9][0-9a-zA-Z_.,:+-]*"
    r"|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?"
    r"|<<|="
)
_BLOCK_HEADER = re.compile(r"([|>])([-+]?)([1-9]?)([-+]?)([^\r\n]*)(\r?\n)")


class _LenientConstructor(SafeConstructor):
    """Read a date that is no date (`2022-15-11`) as the text it is, as Hugo does."""

    def construct_yaml_timestamp(self, node: Node, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_LenientConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _LenientConstructor.construct_yaml_timestamp
)


def _yaml() -> YAML:
    """Return a YAML parser whose marks are character offsets into the string it is given."""
    # The pure-Python parser: libyaml's marks would not be guaranteed to be str offsets.
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _LenientConstructor
    return yaml


# Front matter is a few dozen values. Aliases may repeat a node, but what they expand to is
# bounded: a few hundred bytes of nested aliases ("billion laughs") would otherwise make
# every walk over the values exponential.
MAX_EXPANDED_VALUES = 10_000
MAX_DEPTH = 100


# Tabs that separate a value from its key or a comment from its value: Hugo's YAML parser
# reads them as spaces, ruamel refuses them. Replaced by as many spaces, so that every
# offset stays where it was.
_SEPARATING_TAB = re.compile(r"(?<=[: ])\t+|\t+(?=#)")


def _untab(content: str) -> str:
    return _SEPARATING_TAB.sub(lambda match: " " * len(match.group()), content)


@functools.lru_cache(maxsize=256)
def _composed(content: str) -> Node | None:
    """Compose a YAML document; cached, since a post's front matter is read several times.

    The pure-Python composer is slow, and nodes are never changed once composed.
    """
    root: Node | None = _yaml().compose(_untab(content))
    return root


@functools.lru_cache(maxsize=256)
def _loaded(content: str) -> Any:
    """Load a YAML document (from its text: constructing merges into the composed nodes)."""
    return _yaml().load(_untab(content))


@functools.lru_cache(maxsize=256)
def _scalar_starts(content: str) -> dict[int, int]:
    """Map each scalar token's end to its start (a node's mark includes anchor and tag)."""
    return {
        token.end_mark.index: token.start_mark.index
        for token in _yaml().scan(_untab(content))
        if isinstance(token, ScalarToken)
    }


def _compose(content: str, first_line: int) -> Node | None:
    """Compose a YAML document, refusing alias bombs and absurd nesting (file line named)."""
    try:
        root = _composed(content)
    except RecursionError:
        raise FrontMatterError(
            f"the front matter is nested more than {MAX_DEPTH} levels deep",
            line=first_line,
            hint="flatten the front matter",
        ) from None
    _check_expansion(root, content, first_line)
    return root


def _check_expansion(root: Node | None, content: str, first_line: int) -> None:
    """Raise FrontMatterError if the document's aliases expand beyond the bounds."""
    if root is None:
        return
    sizes: dict[int, int] = {}
    # Post-order, iteratively: (node, depth, children done).
    stack: list[tuple[Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if depth > MAX_DEPTH:
            raise FrontMatterError(
                f"the front matter is nested more than {MAX_DEPTH} levels deep",
                line=first_line + content.count("\n", 0, node.start_mark.index),
                hint="flatten the front matter",
            )
        if not done:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes.get(id(child), 1) for child in children)
        if size > MAX_EXPANDED_VALUES:
            raise FrontMatterError(
                f"aliases here expand to more than {MAX_EXPANDED_VALUES:,} values",
                line=first_line + content.count("\n", 0, node.start_mark.index),
                hint="repeat fewer values through aliases (*name); an alias bomb is refused",
            )
        sizes[id(node)] = size


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


@dataclass(frozen=True, slots=True)
class _Visit:
    """A node met while walking a YAML document in document order."""

    path: KeyPath
    role: Literal["value", "key", "alias"]  # "alias": a repeat of an anchored node
    node: Node
    flow: bool  # inside a flow collection
    real: bool  # False below merge keys and complex keys: the path names no real key


def _walk_yaml(root: Node | None) -> Iterator[_Visit]:
    """Yield every node of the document, each anchored node once, in document order."""
    seen: set[int] = set()

    def walk(node: Node, path: KeyPath, flow: bool, real: bool) -> Iterator[_Visit]:
        if id(node) in seen:
            yield _Visit(path, "alias", node, flow, real)
            return
        seen.add(id(node))
        yield _Visit(path, "value", node, flow, real)
        if isinstance(node, MappingNode):
            inner = flow or bool(node.flow_style)
            for index, (key, value) in enumerate(node.value):
                if isinstance(key, ScalarNode):
                    child = (*path, key.value)
                    role: Literal["key", "alias"] = "alias" if id(key) in seen else "key"
                    seen.add(id(key))
                    yield _Visit(child, role, key, inner, real)
                    yield from walk(value, child, inner, real and key.tag != _MERGE_TAG)
                else:
                    yield from walk(key, (*path, f"?key{index}"), inner, False)
                    yield from walk(value, (*path, f"?value{index}"), inner, False)
        elif isinstance(node, SequenceNode):
            inner = flow or bool(node.flow_style)
            for index, item in enumerate(node.value):
                yield from walk(item, (*path, index), inner, real)

    if root is not None:
        yield from walk(root, (), False, True)


def _yaml_outline(root: Node | None) -> _Outline:
    """Reduce a composed document to tags and source values, keeping aliases unresolved."""
    outline: _Outline = []
    for visit in _walk_yaml(root):
        node = visit.node
        kind = "str" if node.tag == _STR_TAG else str(node.tag)
        if visit.role == "alias":
            value: object = node.anchor
        elif isinstance(node, ScalarNode):
            value = node.value
        else:
            value = len(node.value)
        outline.append((visit.path, visit.role, kind, value))
    return outline


class _YamlSyntax:
    """YAML front matter, read with ruamel.yaml and edited in place."""

    def load(self, content: str, first_line: int) -> Any:
        try:
            _compose(content, first_line)
            data = _loaded(content)
        except (YAMLError, ValueError) as error:
            raise _yaml_error(error, content, first_line) from error
        # A copy: callers get values of their own, the cache keeps its.
        return {} if data is None else copy.deepcopy(data)

    def slots(self, content: str, first_line: int) -> list[_Slot]:
        try:
            starts = _scalar_starts(content)
            root = _compose(content, first_line)
        except YAMLError as error:
            raise _yaml_error(error, content, first_line) from error
        return [
            _Slot(
                path=visit.path,
                value=visit.node.value,
                start=starts.get(visit.node.end_mark.index, visit.node.start_mark.index),
                end=visit.node.end_mark.index,
                style=visit.node.style or "",
                flow=visit.flow,
            )
            for visit in _walk_yaml(root)
            if visit.role == "value"
            and visit.real
            and isinstance(visit.node, ScalarNode)
            and visit.node.tag == _STR_TAG
        ]

    def renderings(self, slot: _Slot, value: str, content: str) -> list[str]:
        source = content[slot.start : slot.end]
        options: list[str] = []
        after = ""
        if slot.style in ("|", ">"):
            block = _block_scalar(source, value)
            if block is not None:
                options.append(block)
            # A block scalar's span ends after its last line break and any blank lines; a
            # quoted replacement must leave those in place.
            after = source[len(source.rstrip(" \t\r\n")) :].lstrip(" \t")
        # A wrapped plain scalar becomes one quoted line: re-wrapping plain text is fragile.
        one_line = "\n" not in source and "\r" not in source
        if slot.style == "" and one_line and _plain_writable(value, slot.flow):
            options.append(value)
        if slot.style in ("", "'") and _SINGLE_QUOTABLE.fullmatch(value):
            options.append("'" + value.replace("'", "''") + "'")
        options.append(_double_quoted(value) + after)
        return options

    def outline_or_none(self, content: str) -> _Outline | None:
        try:
            return _yaml_outline(_composed(content))
        except (YAMLError, RecursionError):
            return None


def _yaml_error(error: Exception, content: str, first_line: int) -> FrontMatterError:
    """Turn a ruamel.yaml error into a one-line FrontMatterError with the file's line."""
    offset: int | None = None
    hint = (
        "check indentation and quoting there: a value that contains ': ' or ' #', or starts "
        "with a character such as * & ! [ { ' \" needs quotes"
    )
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (mark is None or mark.index >= len(content)):
            # "Found unexpected end of stream": where the unclosed thing began is the place
            # to look, not the closing delimiter.
            mark = error.context_mark
        offset = mark.index if mark is not None else None
        problem = ": ".join(str(part) for part in (error.context, error.problem) if part)
        if isinstance(error, DuplicateKeyError):
            hint = "remove or rename one of the two keys"
    elif isinstance(error, ReaderError):
        offset = error.position
        character = error.character
        code = character if isinstance(character, int) else ord(character)
        problem = f"the character U+{code:04X} is not allowed"
        hint = "remove the character or write it as an escape in a double-quoted string"
    else:
        # A value the scanner accepts but cannot convert, such as the date 2022-13-45.
        offset = _unconvertible_offset(content)
        problem = f"cannot read a value: {error}"
        hint = "correct the value, or quote it to keep it as text"
    line = first_line - 1 if offset is None else first_line + content.count("\n", 0, offset)
    return FrontMatterError(" ".join(f"invalid YAML: {problem}".split()), line=line, hint=hint)


def _unconvertible_offset(content: str) -> int | None:
    """Return where the first scalar that cannot be converted (a bad date, say) starts."""
    yaml = _yaml()
    try:
        visits = list(_walk_yaml(yaml.compose(content)))
    except YAMLError:
        return None
    for visit in visits:
        if isinstance(visit.node, ScalarNode) and visit.node.tag != _STR_TAG:
            try:
                yaml.constructor.construct_object(visit.node, deep=True)
            except Exception:  # any failure here marks the culprit
                return int(visit.node.start_mark.index)
    return None


def _plain_writable(value: str, flow: bool) -> bool:
    """Tell whether `value` can be written unquoted and still read back as this string."""
    if not value or value != value.strip() or not _PLAIN_WRITABLE.fullmatch(value):
        return False
    if value[0] in _INDICATORS or ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(character in value for character in ",[]{}:"):
        return False
    return not _LOOKS_TYPED.fullmatch(value)


def _double_quoted(value: str) -> str:
    """Return `value` as a one-line double-quoted YAML scalar, which can hold any string."""

    def escape(match: re.Match[str]) -> str:
        character = match.group()
        if character in _ESCAPES:
            return _ESCAPES[character]
        code = ord(character)
        if code < 0x100:
            return f"\\x{code:02X}"
        return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"

    return '"' + _NEEDS_ESCAPE.sub(escape, value) + '"'


def _block_scalar(source: str, value: str) -> str | None:
    """Return `value` as a `|` or `>` block scalar written like `source`, or None if it can't.

    The header keeps its indicator and comment; the chomping indicator changes only when the
    new value's trailing line breaks need it. Content lines keep their indentation and line
    ending; blank lines after the content, which are not part of a clipped or stripped value,
    stay as they were.
    """
    header = _BLOCK_HEADER.match(source)
    if header is None:
        return None
    style, chomp_before, indentation, chomp_after, comment, newline = header.groups()
    if indentation:
        # An explicit indentation indicator counts from the parent's indentation, which is
        # not tracked here; the caller falls back to a quoted scalar.
        return None
    chomp = chomp_before or chomp_after
    lines = _lines(source[header.end() :])
    content_count = len(lines)
    while content_count and not lines[content_count - 1].strip(" \t\r\n"):
        content_count -= 1
    if content_count == 0:
        return None
    first = next(line for line in lines if line.strip(" \t\r\n"))
    indent = first[: len(first) - len(first.lstrip(" "))]
    trailing = "".join(lines[content_count:])

    body = value.rstrip("\n")
    breaks = len(value) - len(body)
    if not body.strip() or not _BLOCK_WRITABLE.fullmatch(body):
        return None
    if style == "|":
        # Only the first content line sets the indentation; later ones may be indented more.
        written = body.split("\n")
        leading = next(line for line in written if line)
        if leading[0] in " \t":
            return None
    else:
        if any(line[:1] in (" ", "\t") for line in body.split("\n")):
            return None  # YAML keeps "more indented" lines of a folded scalar unfolded
        written = _folded_lines(body)

    fits = {"-": breaks == 0, "": breaks == 1, "+": breaks >= 1}
    new_chomp = chomp if fits[chomp] else ("-" if breaks == 0 else "" if breaks == 1 else "+")
    out = style + new_chomp + comment + newline
    out += "".join((indent + line if line else "") + newline for line in written)
    if new_chomp == "+":
        return out + newline * (breaks - 1)
    # Blank lines after a kept ("+") value belonged to it; any others are only layout.
    return out + ("" if chomp == "+" else trailing)


def _folded_lines(body: str) -> list[str]:
    """Return the source lines of a folded scalar whose value is `body`."""
    lines: list[str] = []
    # A folded scalar joins adjacent lines with a space; k line feeds take k empty lines.
    for index, part in enumerate(re.split(r"(\n+)", body)):
        if index % 2:
            lines += [""] * len(part)
        elif part:
            lines.append(part)
    return lines


# --- TOML -------------------------------------------------------------------------------

_LOCATION = re.compile(r" at line \d+ col \d+$")


def _toml_strings(node: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Any, str | int, String]]:
    """Yield (path, container, key, item) for every string in a tomlkit document."""
    children: Iterator[tuple[str | int, Any]]
    if isinstance(node, Mapping):
        children = iter(node.items())
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return
    for key, child in children:
        if isinstance(child, String):
            yield (*path, key), node, key, child
        else:
            yield from _toml_strings(child, (*path, key))


def _data_outline(data: Any, path: KeyPath = ()) -> _Outline:
    """Return an outline of plain data (repr for non-strings, so NaN equals NaN)."""
    if isinstance(data, Mapping):
        outline: _Outline = [(path, "value", "map", tuple(data))]
        for key, child in data.items():
            outline += _data_outline(child, (*path, key))
        return outline
    if isinstance(data, list):
        outline = [(path, "value", "seq", len(data))]
        for index, child in enumerate(data):
            outline += _data_outline(child, (*path, index))
        return outline
    if isinstance(data, str):
        return [(path, "value", "str", data)]
    return [(path, "value", type(data).__name__, repr(data))]


class _TomlSyntax:
    """TOML front matter, read with tomlkit; its byte-exact round trip locates each value."""

    def parse(self, content: str, first_line: int) -> tomlkit.TOMLDocument:
        """Return the tomlkit document; raise FrontMatterError if the content is invalid."""
        try:
            return tomlkit.parse(content)
        except tomlkit.exceptions.ParseError as error:
            message = _LOCATION.sub("", str(error))
            line = first_line + error.line - 1
        except tomlkit.exceptions.TOMLKitError as error:
            message, line = str(error), first_line - 1
        raise FrontMatterError(
            " ".join(f"invalid TOML: {message}".split()),
            line=line,
            hint="check the syntax there: strings need quotes, and a key or table may be "
            "defined only once",
        )

    def load(self, content: str, first_line: int) -> Any:
        return self.parse(content, first_line).unwrap()

    def slots(self, content: str, first_line: int) -> list[_Slot]:
        document = self.parse(content, first_line)
        found = list(_toml_strings(document, ()))
        # Put a unique marker in place of every string and dump: tomlkit writes everything
        # else back byte for byte, so the markers' offsets, less the growth of the markers
        # before them, are where the strings stand in the content.
        mark = next(c for c in ("\U0010fffd", "\U0010fffc", "\U0010fffb") if c not in content)
        markers = [tomlkit.string(f"{mark}{index}{mark}") for index in range(len(found))]
        for (_, container, key, _), marker in zip(found, markers, strict=True):
            container[key] = marker
        dumped = tomlkit.dumps(document)
        located = sorted(
            (dumped.index(marker.as_string()), index) for index, marker in enumerate(markers)
        )
        slots: list[_Slot] = []
        growth = 0
        for offset, index in located:
            path, _, _, item = found[index]
            source = item.as_string()
            start = offset - growth
            if content[start : start + len(source)] != source:
                raise ValueError(f"cannot locate {'.'.join(map(str, path))} in the TOML source")
            slots.append(_Slot(path, str(item), start, start + len(source), item.type.value))
            growth += len(markers[index].as_string()) - len(source)
        return slots

    def renderings(self, slot: _Slot, value: str, content: str) -> list[str]:
        kind = StringType(slot.style)
        source = content[slot.start : slot.end]
        options: list[str] = []
        # A literal string cannot hold every text (a ' or a control character, say): then
        # the basic string of the same line count.
        for literal in (True, False) if kind.is_literal() else (False,):
            try:
                rendered = tomlkit.string(value, literal=literal, multiline=kind.is_multiline())
            except tomlkit.exceptions.InvalidStringError:
                continue
            text = rendered.as_string()
            # Keep a line break right after the opening quotes: TOML drops it from the value,
            # and authors write it to start the text on a line of its own.
            opening_break = source[3:5] if source[3:5] == "\r\n" else source[3:4]
            if (
                kind.is_multiline()
                and opening_break in ("\n", "\r\n")
                and text[3:4] not in ("\n", "\r")
            ):
                text = text[:3] + opening_break + text[3:]
            options.append(text)
        options.append(tomlkit.string(value).as_string())
        return options

    def outline_or_none(self, content: str) -> _Outline | None:
        try:
            return _data_outline(tomlkit.parse(content).unwrap())
        except tomlkit.exceptions.TOMLKitError:
            return None


# --- JSON -------------------------------------------------------------------------------

_JSON_SPACE = " \t\n\r"
_JSON_DECODER = json.JSONDecoder()


class _JsonSyntax:
    """JSON front matter (`{ … }`, as Hugo reads it), read with the json module."""

    def load(self, content: str, first_line: int) -> Any:
        try:
            return json.loads(content)
        except json.JSONDecodeError as error:
            raise FrontMatterError(
                f"invalid JSON: {error.msg}",
                line=first_line + error.lineno - 1,
                hint="check the syntax there: keys and strings need double quotes, and items "
                "are separated by commas",
            ) from None
        except RecursionError:
            raise FrontMatterError(
                "the front matter is nested too deeply", line=first_line
            ) from None

    def slots(self, content: str, first_line: int) -> list[_Slot]:
        self.load(content, first_line)  # raises on invalid JSON, with the line
        slots: list[_Slot] = []
        _json_value(content, 0, (), slots, [])
        return slots

    def renderings(self, slot: _Slot, value: str, content: str) -> list[str]:
        return [json.dumps(value, ensure_ascii=False)]

    def outline_or_none(self, content: str) -> _Outline | None:
        try:
            return _data_outline(json.loads(content))
        except (json.JSONDecodeError, RecursionError):
            return None


def _skip_space(content: str, position: int) -> int:
    while position < len(content) and content[position] in _JSON_SPACE:
        position += 1
    return position


def _json_value(
    content: str, position: int, path: KeyPath, slots: list[_Slot], depth: list[int]
) -> int:
    """Read the (valid) JSON value at `position`; record string values' spans in `slots`."""
    if len(depth) > MAX_DEPTH:
        raise FrontMatterError("the front matter is nested too deeply")
    position = _skip_space(content, position)
    char = content[position]
    if char == '"':
        value, end = _JSON_DECODER.raw_decode(content, position)
        slots.append(_Slot(path, str(value), position, end, '"'))
        return int(end)
    if char in "[{":
        closing = "]" if char == "[" else "}"
        position = _skip_space(content, position + 1)
        index = 0
        depth.append(1)
        while content[position] != closing:
            if char == "{":
                key, position = _JSON_DECODER.raw_decode(content, position)
                position = _skip_space(content, position) + 1  # the colon
                member: KeyPath = (*path, str(key))
            else:
                member = (*path, index)
            position = _skip_space(content, _json_value(content, position, member, slots, depth))
            if content[position] == ",":
                position = _skip_space(content, position + 1)
            index += 1
        depth.pop()
        return position + 1
    _, end = _JSON_DECODER.raw_decode(content, position)
    return int(end)


_YAML_SYNTAX: _Syntax = _YamlSyntax()
_TOML_SYNTAX: _Syntax = _TomlSyntax()
_JSON_SYNTAX: _Syntax = _JsonSyntax()
