"""A post read once: its front matter, its body as Hugo reads it, and its translatable blocks.

Every later step (planning an update, translating, proving, recording, checking) works on
this one frozen reading. `Post.read` is the only place a post's text is parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from translate.markdown.document import Block, BlockKind
from translate.markdown.front_matter import (
    FrontMatter,
    FrontMatterField,
    KeyPath,
    key_matches,
    split_front_matter,
)
from translate.markdown.goldmark import Document, use_options
from translate.markdown.options import DEFAULT_OPTIONS, ReadingOptions
from translate.markdown.segmenter import Body, inline_pieces, parse_body

_T = TypeVar("_T")

# How many posts were parsed in this process: a test proves that a new post costs two
# parses (source and output), and an unchanged one none.
parse_count = 0


@dataclass(frozen=True)
class Post:
    """A post as Hugo reads it, cut into translatable blocks (front matter values first)."""

    text: str
    front_matter: FrontMatter
    body: Body
    options: ReadingOptions
    # The translatable front matter values, then the body's blocks, in document order.
    blocks: tuple[Block, ...]
    # Every string value of the front matter, and the translatable ones, by key path.
    strings: dict[KeyPath, FrontMatterField]
    fields: dict[KeyPath, FrontMatterField]

    @classmethod
    def read(cls, text: str, options: ReadingOptions = DEFAULT_OPTIONS) -> Post:
        """Parse a post; raise PostError (with the line) where Hugo could not read it either."""
        global parse_count
        parse_count += 1
        with use_options(options.markdown):
            front_matter, body_text = split_front_matter(text)
            offset = front_matter.text.count("\n")
            body = parse_body(
                body_text, line_offset=offset, shortcode_params=options.shortcode_params
            )
            keys = options.translatable_keys
            values = [
                Block(
                    f"front_matter:{'.'.join(map(str, item.path))}",
                    BlockKind.FRONT_MATTER,
                    item.line,
                    item.value,
                    inline_pieces(item.value),
                )
                for item in front_matter.fields(keys)
            ]
        # Key paths as the front matter gives them; list indexes stay integers.
        strings = {
            tuple(part if isinstance(part, int) else str(part) for part in f.path): f
            for f in front_matter.fields(("**",))
        }
        fields = {path: f for path, f in strings.items() if key_matches(path, keys)}
        return cls(text, front_matter, body, options, (*values, *body.blocks), strings, fields)

    @property
    def document(self) -> Document:
        """Return the body's markdown-it parse (shortcodes masked)."""
        assert self.body.document is not None
        return self.body.document

    @property
    def offset(self) -> int:
        """Return how many file lines stand before the body (the front matter's)."""
        return self.front_matter.text.count("\n")

    @property
    def field_count(self) -> int:
        """Return how many blocks are front matter values (they come first)."""
        return sum(1 for block in self.blocks if block.kind is BlockKind.FRONT_MATTER)

    def reading(self, step: Callable[[], _T]) -> _T:
        """Run `step` with this post's Markdown options in force (for inline re-parsing)."""
        with use_options(self.options.markdown):
            return step()

    def with_blocks(self, blocks: tuple[Block, ...]) -> Post:
        """Return the same reading with other blocks (the glossary applied to them, say)."""
        return replace(self, blocks=blocks)
