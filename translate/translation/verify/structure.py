"""Compare block structure: the same block tokens in the same order, or where not."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from translate.markdown.document import Block
from translate.markdown.goldmark import Document
from translate.markdown.post import Post
from translate.translation.links import NO_LINKS, LinkMap
from translate.translation.verify.model import Comparison


def _signature(token: Token) -> tuple[Any, ...]:
    """Return what identifies a block token, apart from its text."""
    label = str(token.meta.get("label", "")) if token.type == "footnote_open" else ""
    attributes: tuple[Any, ...] = ()
    if token.type in ("heading_open", "paragraph_open", "table_open"):
        attributes = tuple((a.name, a.value) for a in token.meta.get("attributes", ()))
    elif token.type == "blockquote_open":
        attributes = tuple(token.meta.get("alert", ()))
    elif token.type == "ordered_list_open":
        attributes = (token.attrGet("start"),)
    elif token.type in ("th_open", "td_open"):
        attributes = (token.attrGet("style"),)
    return (token.type, token.markup, token.level, label, attributes)


def _without_kept_ids(
    signatures: list[tuple[Any, ...]], source_lines: Sequence[int], links: LinkMap
) -> list[tuple[Any, ...]]:
    """Drop from the n-th heading's signature the id the n-th source heading keeps."""
    kept = [links.heading_ids.get(line) for line in source_lines]
    out: list[tuple[Any, ...]] = []
    headings = 0
    for signature in signatures:
        if signature[0] == "heading_open":
            keep = kept[headings] if headings < len(kept) else None
            headings += 1
            if keep is not None:
                attributes = tuple(a for a in signature[4] if a != ("id", keep))
                signature = (*signature[:4], attributes)
        out.append(signature)
    return out


def _heading_lines(post: Post) -> list[int]:
    """Return the file line of each heading of a post, in order."""
    return [
        token.map[0] + post.offset + 1
        for token in post.document.tokens
        if token.type == "heading_open" and token.map is not None
    ]


def _structure_tokens(document: Document) -> list[Token]:
    return [token for token in document.tokens if token.type != "inline"]


def compare_structure(comparison: Comparison, links: LinkMap = NO_LINKS) -> bool:
    """Compare the block token sequences; True if they are the same (blocks align).

    A heading id the translation wrote out as `links` keeps it counts as none.
    """
    source_tokens = _structure_tokens(comparison.source.document)
    target_tokens = _structure_tokens(comparison.target.document)
    before = [_signature(t) for t in source_tokens]
    after = [_signature(t) for t in target_tokens]
    if links.heading_ids:
        after = _without_kept_ids(after, _heading_lines(comparison.source), links)
    if before == after and len(comparison.source.body.blocks) == len(comparison.target.body.blocks):
        return True
    source_blocks, target_blocks = comparison.source.body.blocks, comparison.target.body.blocks
    if len(source_blocks) != len(target_blocks) and _report_block_count(
        comparison, source_blocks, target_blocks
    ):
        return False
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    source_offset, target_offset = comparison.source.offset, comparison.target.offset
    for tag, i1, _, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        line = _token_line(target_tokens, j1, target_offset)
        source_line = _token_line(source_tokens, i1, source_offset)
        if tag == "insert":
            what = f"{describe(target_tokens[j1])} that the source post does not have"
        elif tag == "delete":
            what = (
                f"{describe(source_tokens[i1])} of the source post (line {source_line}) is missing"
            )
        else:
            what = (
                f"{describe(target_tokens[j1])} where the source post has "
                f"{describe(source_tokens[i1])} (line {source_line})"
            )
        comparison.add("structure-changed", line, f"structure differs: {what}")
        return False
    comparison.add(
        "structure-changed",
        comparison.target.offset + 1,
        "structure differs: the paragraphs, headings or cells do not line up with the source's",
    )
    return False


def _report_block_count(
    comparison: Comparison, source: Sequence[Block], target: Sequence[Block]
) -> bool:
    """Report a block added or removed where it is; True if one was found.

    Identical paragraphs cannot be told apart by their kind, so the blocks are aligned by
    length, as Gale and Church align sentences (1993): a translation's length is close to
    a constant multiple of its source's. The first block left without a partner is it.
    """
    if not source or not target:
        return False
    alignment = align_blocks(source, target)
    for source_index, target_index in alignment:
        if source_index is None and target_index is not None:
            block = target[target_index]
            what = f"a {block.kind.replace('_', ' ')} that the source post does not have"
            comparison.add("structure-changed", block.line, f"structure differs: {what}")
            return True
        if target_index is None and source_index is not None:
            block = source[source_index]
            later = [j for i, j in alignment if i is not None and i > source_index]
            later_targets = [j for j in later if j is not None]
            line = target[later_targets[0]].line if later_targets else target[-1].line
            what = (
                f"the {block.kind.replace('_', ' ')} of the source post (line {block.line}) "
                "is missing"
            )
            comparison.add("structure-changed", line, f"structure differs: {what}")
            return True
    return False


# Gale and Church's variance of the length ratio, and the cost of a block without partner
# (about -log of its prior probability, 0.01).
_VARIANCE = 6.8
_UNPAIRED = 4.6


def align_blocks(
    source: Sequence[Block], target: Sequence[Block]
) -> list[tuple[int | None, int | None]]:
    """Align source and target blocks one to one, one to none or none to one, by length.

    Only blocks of the same kind pair up. Return the alignment in order.
    """
    # Gale and Church take one character of one European language for one of another; an
    # estimate from the totals would be skewed by the very block that was added.
    ratio = 1.0

    def pair_cost(i: int, j: int) -> float:
        if source[i].kind != target[j].kind:
            return float("inf")
        length = len(source[i].source) or 1
        delta = (len(target[j].source) - length * ratio) / (length * _VARIANCE) ** 0.5
        return float(delta * delta)

    rows, columns = len(source), len(target)
    cost = [[float("inf")] * (columns + 1) for _ in range(rows + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0)] * (columns + 1) for _ in range(rows + 1)]
    cost[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(columns + 1):
            here = cost[i][j]
            if here == float("inf"):
                continue
            for di, dj, extra in ((1, 1, None), (1, 0, _UNPAIRED), (0, 1, _UNPAIRED)):
                ni, nj = i + di, j + dj
                if ni > rows or nj > columns:
                    continue
                value = here + (pair_cost(i, j) if extra is None else extra)
                if value < cost[ni][nj]:
                    cost[ni][nj] = value
                    step[ni][nj] = (di, dj)
    path: list[tuple[int | None, int | None]] = []
    i, j = rows, columns
    while i or j:
        di, dj = step[i][j]
        i, j = i - di, j - dj
        path.append((i if di else None, j if dj else None))
    return path[::-1]


def _token_line(tokens: Sequence[Token], index: int, offset: int) -> int:
    """Return the file line of `tokens[index]`, or of the nearest token with a line.

    A token inserted at the end has no line of its own: the last line before it is used.
    """
    if not tokens:
        return offset + 1
    for position in range(min(index, len(tokens) - 1), -1, -1):
        token_map = tokens[position].map
        if token_map is not None:
            return token_map[0] + offset + 1
    for position in range(index, len(tokens)):
        token_map = tokens[position].map
        if token_map is not None:
            return token_map[0] + offset + 1
    return offset + 1


_NAMES = {
    "paragraph": "paragraph",
    "bullet_list": "bulleted list",
    "ordered_list": "numbered list",
    "list_item": "list item",
    "blockquote": "block quote",
    "table": "table",
    "thead": "table head",
    "tbody": "table body",
    "tr": "table row",
    "th": "table cell",
    "td": "table cell",
    "fence": "code block",
    "code_block": "code block",
    "html_block": "HTML block",
    "math_block": "math block",
    "hr": "thematic break",
    "footnote_block": "footnote section",
    "footnote": "footnote",
    "footnote_anchor": "footnote back link",
    "dl": "definition list",
    "dt": "defined term",
    "dd": "definition",
}


def describe(token: Token) -> str:
    """Name a block token for a reviewer: "a heading (h2)", "end of list item"."""
    kind = token.type.removesuffix("_open").removesuffix("_close")
    if kind == "heading":
        name = f"heading (h{token.tag[1:]})" if token.tag else "heading"
        attributes = token.meta.get("attributes")
        if attributes:
            name += " with " + " ".join(f"{a.name}={a.value}" for a in attributes)
    elif kind == "blockquote" and token.meta.get("alert"):
        alert_type, sign, title = token.meta["alert"]
        name = f"{alert_type} alert{sign}{' with a title' if title else ''}"
    else:
        name = _NAMES.get(kind, kind.replace("_", " "))
    return f"end of {name}" if token.type.endswith("_close") else f"a {name}"
