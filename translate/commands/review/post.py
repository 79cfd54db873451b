"""A post's blocks as the review page shows them, and a reviewer's text put in their place.

The page shows the blocks of a `Post` (the one reading of a post) with their protected spans;
`--apply` puts a reviewer's text in place of a block and nothing else: front matter values
through the front matter's own in-place replacement, body blocks through the segmenter's
placements, so every byte outside the block is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from translate.commands.review.model import Span
from translate.errors import GlossaryError, PostError
from translate.markdown.document import Block, Piece, PieceKind
from translate.markdown.post import Post
from translate.markdown.segmenter import render_body
from translate.translation.glossary import Glossary, Term
from translate.translation.prepared import verbatim_words
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


def glossary_blocks(post: Post, glossary: Glossary) -> tuple[Block, ...]:
    """Return the post's blocks with the glossary's names and terms protected in them."""
    if not glossary:
        return post.blocks
    return tuple(
        replace(block, pieces=apply_glossary(block.pieces, glossary)) for block in post.blocks
    )


def locked(post: Post, index: int) -> str:
    """Say why a block's text cannot be replaced in place; empty when it can."""
    body_index = index - post.field_count
    if body_index < 0:
        return ""
    if body_index in post.body.embedded:
        return "a shortcode parameter: edit it in the file"
    if body_index in post.body.skipped:
        return "this block could not be located on its lines: edit it in the file"
    return ""


def replaced(post: Post, texts: Mapping[int, str]) -> str:
    """Return the post's text with the blocks at the given positions holding new text.

    Raise PostError for a block that cannot be replaced in place or a front matter value
    that cannot hold the text.
    """
    paths = list(post.fields)  # the translatable values' paths, in the blocks' order
    values: dict[tuple[str | int, ...], str] = {}
    body: dict[int, list[str]] = {}
    for index, text in texts.items():
        reason = locked(post, index)
        if reason:
            raise PostError(reason, line=post.blocks[index].line)
        if index < post.field_count:
            values[paths[index]] = text
        else:
            body[index - post.field_count] = verbatim_words(text)
    try:
        front = post.front_matter.replace(values) if values else post.front_matter.text
    except (KeyError, ValueError) as error:
        raise PostError(f"the front matter value cannot be written: {error}") from None
    return front + render_body(post.body, body)


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
