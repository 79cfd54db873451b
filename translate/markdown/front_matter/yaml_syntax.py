"""YAML front matter: read with ruamel.yaml, values located by its marks, edited in place."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.tokens import ScalarToken

from translate.errors import FrontMatterError, TranslateError
from translate.files.data import check_values, syntax_error
from translate.files.yaml_reading import yaml_parser
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
    """Return a bounded YAML parser whose marks are offsets into the string it is given."""
    return yaml_parser(constructor=_LenientConstructor)


# Tabs that separate a value from its key or a comment from its value: Hugo's YAML parser
# reads them as spaces, ruamel refuses them. Replaced by as many spaces, so that every
# offset stays where it was.
_SEPARATING_TAB = re.compile(r"(?<=[: ])\t+|\t+(?=#)")


def _untab(content: str) -> str:
    return _SEPARATING_TAB.sub(lambda match: " " * len(match.group()), content)


@functools.lru_cache(maxsize=256)
def _composed(content: str) -> Node | None:
    """Compose a YAML document; cached, since a post's front matter is read several times.

    The pure-Python composer is slow, and nodes are never changed once composed. The
    composer refuses alias bombs and absurd nesting (`translate.files.yaml_reading`).
    """
    root: Node | None = _yaml().compose(_untab(content))
    return root


@functools.lru_cache(maxsize=256)
def _loaded(content: str) -> Any:
    """Load a YAML document: construct its values from a copy of the composed nodes.

    Constructing merges merge keys into the nodes it is given, so a document with one is
    constructed from a copy: the cached nodes stay as composed. Either costs a fraction of
    scanning the text again.
    """
    root = _composed(content)
    if root is None:
        return None
    # Only merge keys (`<<`) change the nodes: without one, no copy is needed.
    return _yaml().constructor.construct_document(copy.deepcopy(root) if "<<" in content else root)


@functools.lru_cache(maxsize=256)
def _scalar_starts(content: str) -> dict[int, int]:
    """Map each scalar token's end to its start (a node's mark includes anchor and tag).

    Without anchors and tags a node starts where its token does: nothing to scan for.
    """
    if "&" not in content and "!" not in content:
        return {}
    return {
        token.end_mark.index: token.start_mark.index
        for token in _yaml().scan(_untab(content))
        if isinstance(token, ScalarToken)
    }


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
            _composed(content)
            data = _loaded(content)
        except (YAMLError, ValueError) as error:
            raise _yaml_error(error, content, first_line) from None
        check_values(data, content, error=FrontMatterError, first_line=first_line)
        # A copy: callers get values of their own, the cache keeps its.
        return {} if data is None else copy.deepcopy(data)

    def slots(self, content: str, first_line: int) -> list[Slot]:
        try:
            root = _composed(content)
            starts = _scalar_starts(content)
        except YAMLError as error:
            raise _yaml_error(error, content, first_line) from None
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
            block = block_scalar(source, value, slot.value)
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
        except YAMLError:
            return None


def _yaml_error(error: Exception, content: str, first_line: int) -> TranslateError:
    """Turn a ruamel.yaml error into a one-line FrontMatterError with the file's line."""
    return syntax_error(
        error, content, "yaml", error=FrontMatterError, first_line=first_line, parser=_yaml()
    )


YAML_SYNTAX: Syntax = _YamlSyntax()
