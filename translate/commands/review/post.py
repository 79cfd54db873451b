"""A post read once for review: its blocks with their protected spans, and where they stand.

The page shows these blocks; `--apply` puts a reviewer's text in place of one of them and
nothing else: front matter values through the front matter's own in-place replacement,
body blocks through the segmenter's placements, so every byte outside the block is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from translate.commands.review.model import Span
from translate.errors import GlossaryError, PostError
from translate.markdown.document import Block, Piece, PieceKind
from translate.markdown.front_matter import (
    FrontMatter,
    FrontMatterField,
    shortcode_params,
    split_front_matter,
)
from translate.markdown.segmenter import Body, inline_pieces, parse_body, render_body
from translate.translation.glossary import Glossary, Term
from translate.translation.pipeline import verbatim_words
from translate.translation.protect import apply_glossary

# What a protected piece is, as the page labels it (and styles it: `p-<label>`).
_LABELS = {
    "code": "code",
    "url": "url",
    "shortcode": "shortcode",
    "name": "name",
    "term": "term",
    "html": "html",
    "math": "math",
    "link": "link",
    "image": "link",
}


@dataclass(frozen=True)
class ReadPost:
    """A post's text, front matter, body and translatable blocks (front matter first)."""

    text: str
    front_matter: FrontMatter
    body: Body
    fields: tuple[FrontMatterField, ...]
    blocks: tuple[Block, ...]

    def index(self, key: str) -> int | None:
        """Return the position of the block with `key`, or None."""
        return next((i for i, block in enumerate(self.blocks) if block.key == key), None)

    def locked(self, index: int) -> str:
        """Say why a block's text cannot be replaced in place; empty when it can."""
        body_index = index - len(self.fields)
        if body_index < 0:
            return ""
        if body_index in self.body.embedded:
            return "a shortcode parameter: edit it in the file"
        if body_index in self.body.skipped:
            return "this block could not be located on its lines: edit it in the file"
        return ""

    def replaced(self, texts: Mapping[int, str]) -> str:
        """Return the post with the blocks at the given positions holding new text.

        Raise PostError for a block that cannot be replaced in place or a front matter
        value that cannot hold the text.
        """
        values: dict[tuple[str | int, ...], str] = {}
        body: dict[int, list[str]] = {}
        for index, text in texts.items():
            reason = self.locked(index)
            if reason:
                raise PostError(reason, line=self.blocks[index].line)
            if index < len(self.fields):
                values[self.fields[index].path] = text
            else:
                body[index - len(self.fields)] = verbatim_words(text)
        try:
            front = self.front_matter.replace(values) if values else self.front_matter.text
        except (KeyError, ValueError) as error:
            raise PostError(f"the front matter value cannot be written: {error}") from None
        return front + render_body(self.body, body)


def read_post_blocks(text: str, keys: Sequence[str], glossary: Glossary) -> ReadPost:
    """Read a post into blocks whose pieces mark what is protected, glossary names included.

    Raise PostError (with its line) for a post that cannot be read.
    """
    front_matter, body_text = split_front_matter(text)
    fields = tuple(front_matter.fields(keys))
    blocks = [
        Block(
            f"front_matter:{'.'.join(map(str, item.path))}",
            "front_matter",
            item.line,
            item.value,
            apply_glossary(inline_pieces(item.value), glossary),
        )
        for item in fields
    ]
    body = parse_body(
        body_text,
        line_offset=front_matter.text.count("\n"),
        shortcode_params=shortcode_params(keys),
    )
    blocks += [
        Block(b.key, b.kind, b.line, b.source, apply_glossary(b.pieces, glossary), b.wrap_width)
        for b in body.blocks
    ]
    return ReadPost(text, front_matter, body, fields, tuple(blocks))


def target_glossary(glossary: Glossary) -> Glossary:
    """Return a glossary that finds, in a translation, the names and the fixed translations.

    Names are written alike in both languages; a term's fixed translation is protected in
    the translation as the term is in the source, labelled with the term it translates.
    """
    terms: dict[str, Term] = {}
    for term in glossary.terms:
        if term.target is None:
            terms.setdefault(term.source, term)
        else:
            terms.setdefault(term.target, Term(term.target, term.source, term.origin))
    try:
        return Glossary(terms.values())
    except (GlossaryError, ValueError):  # two terms with one translation: names only
        return Glossary(t for t in glossary.terms if t.target is None)


def spans(block: Block, *, translation: bool = False) -> tuple[Span, ...]:
    """Return a block's pieces as the page shows them: prose, or labelled protected spans.

    In a translation read with `target_glossary`, a "term" piece is a fixed translation and
    its `output` the source term it translates.
    """
    out: list[Span] = []
    for piece in block.pieces:
        span = _span(piece, translation)
        if out and not span.protected and not out[-1].protected:
            out[-1] = Span(out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


def _span(piece: Piece, translation: bool) -> Span:
    if piece.kind in (PieceKind.TEXT, PieceKind.SOFTBREAK):
        return Span(piece.raw)
    if piece.kind is PieceKind.HARDBREAK:
        return Span(piece.raw, "markup", "line break")
    label = _LABELS.get(piece.what, "markup")
    hint = ""
    if piece.what == "term":
        hint = (
            f"glossary: fixed translation of {piece.output}"
            if translation
            else f"glossary: always translated as {piece.output}"
        )
    elif piece.what == "name":
        hint = "glossary name: kept as written"
    elif label == "link" and piece.kind is PieceKind.CLOSE:
        hint = "link target"
    elif piece.what:
        hint = piece.what
    return Span(piece.raw, label, hint)
