"""YAML front matter: read with ruamel.yaml, values located by its marks, edited in place."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tokens import ScalarToken

from translate.errors import FrontMatterError
from translate.markdown.front_matter.keys import KeyPath
from translate.markdown.front_matter.replacing import Outline, Slot, Syntax
from translate.markdown.front_matter.yaml_scalars import (
    SINGLE_QUOTABLE,
    block_scalar,
    double_quoted,
    plain_writable,
)

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


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


def _yaml_outline(root: Node | None) -> Outline:
    """Reduce a composed document to tags and source values, keeping aliases unresolved."""
    outline: Outline = []
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

    def slots(self, content: str, first_line: int) -> list[Slot]:
        try:
            starts = _scalar_starts(content)
            root = _compose(content, first_line)
        except YAMLError as error:
            raise _yaml_error(error, content, first_line) from error
        return [
            Slot(
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

    def renderings(self, slot: Slot, value: str, content: str) -> list[str]:
        source = content[slot.start : slot.end]
        options: list[str] = []
        after = ""
        if slot.style in ("|", ">"):
            block = block_scalar(source, value)
            if block is not None:
                options.append(block)
            # A block scalar's span ends after its last line break and any blank lines; a
            # quoted replacement must leave those in place.
            after = source[len(source.rstrip(" \t\r\n")) :].lstrip(" \t")
        # A wrapped plain scalar becomes one quoted line: re-wrapping plain text is fragile.
        one_line = "\n" not in source and "\r" not in source
        if slot.style == "" and one_line and plain_writable(value, slot.flow):
            options.append(value)
        if slot.style in ("", "'") and SINGLE_QUOTABLE.fullmatch(value):
            options.append("'" + value.replace("'", "''") + "'")
        options.append(double_quoted(value) + after)
        return options

    def outline_or_none(self, content: str) -> Outline | None:
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


YAML_SYNTAX: Syntax = _YamlSyntax()
