"""What a proof works on: posts read as Hugo reads them, and the differences found."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from translate.markdown.document import Block
from translate.markdown.front_matter import DEFAULT_TRANSLATABLE_KEYS, FrontMatterField, KeyPath
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post

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


def parse_post(text: str, keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS) -> Post:
    """Read a post with Hugo's default Markdown options and `keys` as the translatable keys."""
    return Post.read(text, ReadingOptions(tuple(keys)))


@dataclass
class Comparison:
    """The outcome of comparing a translation with its source."""

    source: Post
    target: Post
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
