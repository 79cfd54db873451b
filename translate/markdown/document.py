"""The data model shared by every step: pieces of inline text, blocks and segments."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class PieceKind(Enum):
    """What a run of inline source is, as far as translation is concerned."""

    TEXT = "text"  # prose: goes to the model
    ATOM = "atom"  # protected: copied verbatim (or replaced by a fixed glossary translation)
    OPEN = "open"  # opening markup of a pair whose inside is prose: `**`, `[`, `![`
    CLOSE = "close"  # its closing markup: `**`, `](https://…)`
    SOFTBREAK = "softbreak"  # a line break inside a paragraph; re-flowed on output
    HARDBREAK = "hardbreak"  # a forced line break (`\` or two spaces); kept, splits sentences


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of inline Markdown source, exactly as it stands in the file.

    Concatenating the `raw` of all pieces of a block gives back the block's source.
    """

    kind: PieceKind
    raw: str
    # For atoms, what is protected ("code", "url", "shortcode", "name", "term", ...);
    # for pairs, the markup ("em", "strong", "s", "link", "image").
    what: str = ""
    # What an atom becomes in the translation; None keeps `raw`. Glossary terms set it.
    output: str | None = None
    # Ties an OPEN to its CLOSE: both carry the same number, unique within a block.
    pair: int = -1

    @property
    def rendered(self) -> str:
        """Return the text this piece contributes to the translated output."""
        return self.raw if self.output is None else self.output


class BlockKind(StrEnum):
    """What a translatable block is; records keep the value."""

    FRONT_MATTER = "front_matter"  # a translatable front matter value
    PARAGRAPH = "paragraph"  # also a list item's or a block quote's paragraph
    HEADING = "heading"
    TERM = "term"  # a definition list's term
    TABLE_CELL = "table_cell"
    SHORTCODE_PARAM = "shortcode_param"  # a prose parameter of a shortcode (a caption)
    HTML = "html"  # the text of a raw HTML block
    NESTED = "nested"  # lines nested deeper than the reader goes: kept as they are

    @property
    def label(self) -> str:
        """Return the kind as messages name it: "table cell"."""
        return self.value.replace("_", " ")

    @property
    def one_line(self) -> bool:
        """Tell whether a block of this kind must stay on one line (its syntax ends there)."""
        return self in (BlockKind.HEADING, BlockKind.TABLE_CELL, BlockKind.TERM)


@dataclass(frozen=True, slots=True)
class Block:
    """One translatable unit of a post: a front matter value or a body block's inline content."""

    key: str  # stable within a post: "front_matter:title", "body:12:paragraph", ...
    kind: BlockKind
    line: int  # 1-based line in the file where the block starts
    source: str  # inline Markdown source of the block
    pieces: tuple[Piece, ...]
    # Hard-wrapped paragraphs are re-wrapped to this many columns; None keeps one line.
    wrap_width: int | None = None

    def __post_init__(self) -> None:
        # Readers may name the kind by its value ("paragraph"); the model holds the enum.
        object.__setattr__(self, "kind", BlockKind(self.kind))


# A "word" in a laid-out block that forces a line break.
LINE_BREAK = "\n"


def has_words(text: str) -> bool:
    """Tell whether `text` contains any letter, i.e. is worth sending to a model.

    Segments of punctuation, digits, symbols or whitespace make Marian hallucinate whole
    sentences (transformers issue 14337), so they never reach it.
    """
    return any(ch.isalpha() for ch in text)


def visible(text: str) -> bool:
    """Tell whether `text` shows anything: not only spaces and invisible characters
    (a zero-width space, format characters)."""
    return any(char.isprintable() and not char.isspace() for char in text)
