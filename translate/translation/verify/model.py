"""What a proof works on: posts read as Hugo reads them, and the differences found."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from translate.markdown.document import Block
from translate.markdown.front_matter import (
    DEFAULT_TRANSLATABLE_KEYS,
    FrontMatter,
    FrontMatterField,
    KeyPath,
    key_matches,
    shortcode_params,
    split_front_matter,
)
from translate.markdown.goldmark import Document
from translate.markdown.segmenter import Body, parse_body

# The codes a difference may have; `translate check` reports them as errors.
CODES = (
    "front-matter-format",
    "front-matter-key-added",
    "front-matter-key-removed",
    "front-matter-value-changed",
    "translation-key",
    "structure-changed",
    "markup-changed",
    "url-changed",
    "reference-changed",
    "protected-changed",
    "glossary-name",
)


@dataclass(frozen=True)
class Difference:
    """Something other than prose that differs: where in the translation, and what."""

    code: str
    line: int | None  # 1-based line in the translation
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message} [{self.code}]"


@dataclass(frozen=True)
class ParsedPost:
    """A post read as Hugo reads it: front matter, body document and translatable blocks."""

    text: str
    front_matter: FrontMatter
    body: str
    offset: int  # file lines before the body
    document: Document
    blocks: Body
    fields: dict[KeyPath, FrontMatterField]  # the translatable string values
    strings: dict[KeyPath, FrontMatterField]  # every string value


def parse_post(text: str, keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS) -> ParsedPost:
    """Parse a post for comparison; raise PostError (with the line) if it cannot be read."""
    front_matter, body = split_front_matter(text)
    offset = front_matter.text.count("\n")
    blocks = parse_body(body, line_offset=offset, shortcode_params=shortcode_params(keys))
    return parsed_post(text, front_matter, blocks, keys)


def parsed_post(
    text: str, front_matter: FrontMatter, blocks: Body, keys: Sequence[str]
) -> ParsedPost:
    """Return a post already split and parsed (by the pipeline) for comparison."""
    strings = {norm_path(f.path): f for f in front_matter.fields(("**",))}
    fields = {path: f for path, f in strings.items() if key_matches(path, keys)}
    document = blocks.document
    assert document is not None
    offset = front_matter.text.count("\n")
    return ParsedPost(text, front_matter, blocks.text, offset, document, blocks, fields, strings)


@dataclass
class Comparison:
    """The outcome of comparing a translation with its source."""

    source: ParsedPost
    target: ParsedPost
    differences: list[Difference] = field(default_factory=list)
    # Translatable front matter values present in both, and body blocks aligned one to one
    # (empty when the structure differs): for checks of the prose itself.
    fields: list[tuple[FrontMatterField, FrontMatterField]] = field(default_factory=list)
    blocks: list[tuple[Block, Block]] = field(default_factory=list)

    def add(self, code: str, line: int | None, message: str) -> None:
        """Record a difference."""
        self.differences.append(Difference(code, line, message))


def norm_path(path: KeyPath) -> KeyPath:
    return tuple(part if isinstance(part, int) else str(part) for part in path)


def short(value: object, limit: int = 60) -> str:
    """Return `value` quoted for a one-line message, shortened with an ellipsis."""
    text = repr(value) if not isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
