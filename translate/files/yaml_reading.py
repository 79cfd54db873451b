"""Reading YAML within bounds: a composer that refuses alias bombs and absurd nesting.

A few hundred bytes of nested aliases ("billion laughs") stand for billions of values, and
every walk over the loaded values would take that long; a document nested thousands of
levels deep overflows every recursive reader. ruamel.yaml composes documents recursively and
expands nothing, so the composer counts, as it goes, what each alias stands for and how deep
the document is, and stops at the first value beyond the bounds, with its place.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import RoundTripScanner, Scanner

# Front matter and configuration hold a few dozen values. Aliases may repeat a value, but
# what they stand for together is bounded; a plain list of any length is not (it costs what
# it weighs).
MAX_ALIAS_VALUES = 10_000
MAX_DEPTH = 100

_STR_TAG = "tag:yaml.org,2002:str"
_SYNTAX_HINT = (
    "check indentation and quoting there: a value that contains ': ' or ' #', or starts "
    "with a character such as * & ! [ { ' \" needs quotes"
)


class LimitError(MarkedYAMLError):
    """A document beyond the bounds: aliases that expand too far, or nesting too deep."""

    def __init__(self, problem: str, mark: Any, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


def nested_too_deeply(mark: Any) -> LimitError:
    """Return the error for a value nested deeper than `MAX_DEPTH` levels, at `mark`."""
    return LimitError(
        f"nested more than {MAX_DEPTH} levels deep",
        mark,
        "flatten the nesting: values this deep are no configuration or front matter",
    )


class BoundedComposer(Composer):
    """Compose as ruamel.yaml does, within `MAX_DEPTH` and `MAX_ALIAS_VALUES`.

    Only what aliases add is counted: `*name` costs as many values as the anchored value
    holds (itself included); values written out cost nothing.
    """

    def compose_document(self) -> Any:
        self._alias_values = 0
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth)
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        mark = self.parser.peek_event().start_mark
        if not self.parser.check_event(AliasEvent):
            # The root is at depth 1: a value nested MAX_DEPTH levels below it is allowed.
            if self.depth > MAX_DEPTH:
                raise nested_too_deeply(mark)
            return super().compose_node(parent, index)
        node = super().compose_node(parent, index)
        if node.end_mark is None:  # a collection still being composed: one of ours
            raise LimitError(
                f"the alias *{node.anchor} stands for a value that contains it",
                mark,
                "an alias may repeat a value, not the value it is part of",
            )
        values, depth = self._measure(node)
        self._alias_values += values
        if self._alias_values > MAX_ALIAS_VALUES:
            raise LimitError(
                f"aliases here expand to more than {MAX_ALIAS_VALUES:,} values",
                mark,
                "repeat fewer values through aliases (*name); an alias bomb is refused",
            )
        if self.depth + depth > MAX_DEPTH + 1:
            raise nested_too_deeply(mark)
        return node

    def _measure(self, root: Node) -> tuple[int, int]:
        """Return how many values a node stands for, aliases expanded, and its depth."""
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if id(node) in self._measured:
                continue
            children = _children(node)
            if not done:
                stack.append((node, True))
                stack.extend((child, False) for child in children)
                continue
            measures = [self._measured[id(child)] for child in children]
            self._measured[id(node)] = (
                1 + sum(values for values, _ in measures),
                1 + max((depth for _, depth in measures), default=0),
            )
        return self._measured[id(root)]


class _BoundedScanner(Scanner):
    """Scan as ruamel.yaml does, stopping at a flow collection nested beyond the bound.

    The scanner reads ahead over every `[` that might start a key, checking each against
    all those before it: a hundred thousand `[` would take it an hour, before the composer
    ever sees the depth.
    """

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
        if len(self.flow_context) >= MAX_DEPTH:
            raise nested_too_deeply(self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)


class _BoundedRoundTripScanner(RoundTripScanner):
    """The round-trip scanner, bounded as `_BoundedScanner` is."""

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
        if len(self.flow_context) >= MAX_DEPTH:
            raise nested_too_deeply(self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def yaml_parser(typ: str = "safe", constructor: Any = None) -> YAML:
    """Return a ruamel.yaml parser with the bounded composer; `typ` "safe" or "rt".

    "safe" is the pure-Python parser, whose marks are character offsets into the string it
    is given (libyaml's would not be guaranteed to be). `constructor` replaces the safe
    constructor class.
    """
    yaml = YAML(typ=typ, pure=True)
    yaml.Scanner = _BoundedRoundTripScanner if typ == "rt" else _BoundedScanner
    yaml.Composer = BoundedComposer
    if constructor is not None:
        yaml.Constructor = constructor
    return yaml


def yaml_problem(
    error: Exception, text: str, parser: YAML | None = None
) -> tuple[str, int | None, str]:
    """Describe a ruamel.yaml error: (message, offset in `text` or None, hint).

    `parser` is the one that failed, used to find a value it could not convert.
    """
    offset: int | None = None
    hint = _SYNTAX_HINT
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (mark is None or mark.index >= len(text)):
            # "Found unexpected end of stream": where the unclosed thing began is the place
            # to look, not the end of the text.
            mark = error.context_mark
        offset = mark.index if mark is not None else None
        problem = ": ".join(str(part) for part in (error.context, error.problem) if part)
        if isinstance(error, LimitError):
            hint = error.hint
        elif isinstance(error, DuplicateKeyError):
            hint = "remove or rename one of the two keys"
    elif isinstance(error, ReaderError):
        offset = error.position
        character = error.character
        code = character if isinstance(character, int) else ord(character)
        problem = f"the character U+{code:04X} is not allowed"
        hint = "remove the character or write it as an escape in a double-quoted string"
    else:
        # A value the scanner accepts but cannot convert, such as the date 2022-13-45.
        offset = _unconvertible_offset(text, parser or yaml_parser())
        problem = f"cannot read a value: {error}"
        hint = "correct the value, or quote it to keep it as text"
    return " ".join(problem.split()), offset, hint


def _unconvertible_offset(text: str, yaml: YAML) -> int | None:
    """Return where the first scalar that cannot be converted (a bad date, say) starts."""
    try:
        root = yaml.compose(text)
    except YAMLError:
        return None
    stack = [root] if root is not None else []
    found: list[ScalarNode] = []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            found.append(node)
        stack.extend(reversed(_children(node)))
    for node in found:
        if node.tag != _STR_TAG:
            try:
                yaml.constructor.construct_object(node, deep=True)
            except Exception:  # any failure here marks the culprit
                return int(node.start_mark.index)
    return None
