"""Prove that a translation differs from its source post in prose only.

Both posts are read the way Hugo reads them (`markdown.parse_document`: shortcodes lexed
first, then Markdown) and compared as trees, independently of how the segmenter cut them
for translation: the front matter outside the translatable keys, the block structure
(types, levels, list markers, heading attributes, alerts, table alignment, footnotes), the
inline markup of each block (emphasis, strikethrough, links, images, hard breaks), what
must stay byte for byte (code, HTML, math, entities, footnote references, shortcodes, as
Hugo parses their parameters), where links and images point, reference definitions, and
the glossary's names, found by the same matcher that protects them. Text is the only thing
allowed to differ, plus the values the settings make translatable.

`translate run` refuses to write a post this check rejects; `translate check` runs the same
comparison in its reviewer-tolerant form (inline code, shortcodes and emphasis may move
within their block) and adds its own rules on top.
"""

from __future__ import annotations

import difflib
import json
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from translate.errors import PostError
from translate.markdown.document import Block
from translate.markdown.front_matter import (
    DEFAULT_TRANSLATABLE_KEYS,
    FrontMatterField,
    KeyPath,
    key_matches,
)
from translate.markdown.goldmark import Document, current_options, find_link, parse_inline
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.markdown.segmenter import DEFAULT_SHORTCODE_PARAMS
from translate.markdown.shortcodes import (
    Masked,
    ShortcodeError,
    TranslatableParams,
    mask,
    region_runs,
)
from translate.translation.glossary import Glossary

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


def compare_posts(
    source: str | Post,
    target: str | Post,
    *,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
    glossary: Glossary | None = None,
    tolerant: bool = False,
) -> Comparison:
    """Compare a translation with its source post; see the module's docstring.

    Posts given as text are read with `keys` and Hugo's default Markdown options; read
    posts carry their own. With `tolerant`, protected spans and emphasis may move within
    their block, as a reviewer's rewording moves them; without it (what `translate run`
    writes) they must come in the same order. Raise PostError if a post cannot be parsed.
    """
    source_post = source if isinstance(source, Post) else parse_post(source, keys)
    options = source_post.options
    target_post = target if isinstance(target, Post) else Post.read(target, options)
    return source_post.reading(
        lambda: _compare(source_post, target_post, glossary or Glossary(), tolerant)
    )


def _compare(source: Post, target: Post, glossary: Glossary, tolerant: bool) -> Comparison:
    keys = source.options.translatable_keys
    prose = translatable_params(source.options.shortcode_params)
    comparison = Comparison(source, target)
    _compare_front_matter(comparison, keys)
    aligned = _compare_structure(comparison)
    source_items = _collect(source, glossary, prose)
    target_items = _collect(target, glossary, prose)
    _compare_urls(comparison, source_items, target_items)
    _compare_references(comparison, source_items, target_items)
    if aligned:
        comparison.blocks = list(zip(source.body.blocks, target.body.blocks, strict=True))
        _compare_inline(comparison, source_items, target_items, tolerant=tolerant)
    else:
        _compare_protected_in_body(comparison, source_items, target_items)
    _compare_names(comparison, source_items, target_items, aligned=aligned)
    _compare_field_names(comparison, glossary)
    comparison.differences.sort(key=lambda d: d.line or 0)
    return comparison


def verify_post(
    source: str | Post,
    output: str | Post,
    glossary: Glossary | None = None,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
) -> list[Difference]:
    """Return what differs between a post and its translation other than prose (strictly).

    A translation that cannot be parsed at all is one difference.
    """
    try:
        comparison = compare_posts(source, output, keys=keys, glossary=glossary)
    except PostError as error:
        return [Difference("structure-changed", error.line, f"does not parse: {error.message}")]
    return comparison.differences


# --- front matter ------------------------------------------------------------------------


def _norm_path(path: KeyPath) -> KeyPath:
    return tuple(part if isinstance(part, int) else str(part) for part in path)


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def short(value: object, limit: int = 60) -> str:
    """Return `value` quoted for a one-line message, shortened with an ellipsis."""
    text = repr(value) if not isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compare_front_matter(comparison: Comparison, keys: Sequence[str]) -> None:
    source_fm = comparison.source.front_matter
    target_fm = comparison.target.front_matter
    if source_fm.format != target_fm.format:
        comparison.add(
            "front-matter-format",
            target_fm.first_line,
            f"front matter is {target_fm.format.upper()} here but "
            f"{source_fm.format.upper()} in the source post",
        )
    source_data, target_data = source_fm.data(), target_fm.data()
    own = comparison.source.options.own_keys
    if own and isinstance(target_data, Mapping):
        # Keys of the translation alone (its machine-translation label) are not the source's.
        target_data = {key: value for key, value in target_data.items() if key not in own}
    _compare_translation_key(comparison, source_data, target_data)
    _compare_values(comparison, keys, (), source_data, target_data)


def _compare_translation_key(comparison: Comparison, source: Any, target: Any) -> None:
    before, after = source.get("translationKey"), target.get("translationKey")
    if before == after:
        return
    if after is None:
        what = f"translationKey {short(before)} of the source post is missing"
    elif before is None:
        what = f"translationKey {short(after)} is not in the source post"
    else:
        what = f"translationKey is {short(after)} here but {short(before)} in the source post"
    # Hugo pairs translations by this key: a different one unlinks the two pages.
    comparison.add(
        "translation-key",
        key_line(comparison.target, ("translationKey",))
        or comparison.target.front_matter.first_line,
        f"{what}; Hugo would not link the two as translations",
    )


def _compare_values(
    comparison: Comparison, keys: Sequence[str], path: KeyPath, source: Any, target: Any
) -> None:
    if path == ("translationKey",):
        return
    target_post = comparison.target
    if isinstance(source, Mapping) and isinstance(target, Mapping):
        for key in source:
            if key not in target:
                comparison.add(
                    "front-matter-key-removed",
                    key_line(target_post, path) if path else target_post.front_matter.first_line,
                    f"front matter key {_dotted((*path, key))} of the source post is missing",
                )
        for key in target:
            if key not in source:
                comparison.add(
                    "front-matter-key-added",
                    key_line(target_post, (*path, key)),
                    f"front matter key {_dotted((*path, key))} is not in the source post",
                )
            else:
                _compare_values(comparison, keys, (*path, key), source[key], target[key])
        return
    if isinstance(source, list) and isinstance(target, list) and len(source) == len(target):
        for index, (before, after) in enumerate(zip(source, target, strict=True)):
            _compare_values(comparison, keys, (*path, index), before, after)
        return
    normal = _norm_path(path)
    if isinstance(source, str) and isinstance(target, str) and key_matches(normal, keys):
        source_field = comparison.source.fields.get(normal)
        target_field = target_post.fields.get(normal)
        if source_field and target_field:
            comparison.fields.append((source_field, target_field))
        return
    if source != target:
        comparison.add(
            "front-matter-value-changed",
            key_line(target_post, path),
            f"{_dotted(path)} is {short(target)} here but {short(source)} in the source "
            "post; only translatable keys may differ",
        )


def key_line(post: Post, path: KeyPath) -> int | None:
    """Return the line of the key at `path` in a post's front matter, roughly.

    Parsers do not report where non-string values stand; following the keys down the
    lines is enough to point a reviewer at the right place.
    """
    found_field = post.strings.get(_norm_path(path))
    if found_field is not None:
        return found_field.line
    front_matter = post.front_matter
    lines = front_matter.text.split("\n")
    found: int | None = None
    position = 1 if front_matter.format != "json" else 0
    for part in path:
        if isinstance(part, int):
            found = _item_line(lines, found, part)
            position = found + 1 if found is not None else position
            continue
        pattern = re.compile(
            r"^\s*(?:-\s+)*\[{0,2}\s*(?:[\w\"'-]+\.)*[\"']?"
            + re.escape(str(part))
            + r"[\"']?\s*(?:[:=.]|\]{1,2})"
        )
        for index in range(position, max(len(lines) - 1, position + 1)):
            if index < len(lines) and pattern.match(lines[index]):
                found, position = index, index + 1
                break
    return None if found is None else front_matter.first_line + found


def _item_line(lines: Sequence[str], key_line: int | None, index: int) -> int | None:
    """Return the line where item `index` of the list at `key_line` starts, roughly.

    TOML repeats a `[[key]]` header per item; YAML starts each item with `-`.
    """
    if key_line is None:
        return None
    header = lines[key_line].strip()
    if header.startswith("[["):
        matches = [n for n in range(key_line, len(lines)) if lines[n].strip() == header]
    else:
        indent_of = [len(line) - len(line.lstrip()) for line in lines]
        dashes: list[int] = []
        for n in range(key_line + 1, len(lines) - 1):
            text = lines[n].strip()
            if not text or text.startswith("#"):
                continue
            if not text.startswith("-") and indent_of[n] <= indent_of[key_line]:
                break  # the next key: the list has ended
            if text.startswith("-"):
                dashes.append(n)
        indent = min((indent_of[n] for n in dashes), default=0)
        matches = [n for n in dashes if indent_of[n] == indent]
    return matches[index] if index < len(matches) else key_line


# --- block structure -----------------------------------------------------------------------


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


def _structure_tokens(document: Document) -> list[Token]:
    return [token for token in document.tokens if token.type != "inline"]


def _compare_structure(comparison: Comparison) -> bool:
    """Compare the block token sequences; True if they are the same (blocks align)."""
    source_tokens = _structure_tokens(comparison.source.document)
    target_tokens = _structure_tokens(comparison.target.document)
    before = [_signature(t) for t in source_tokens]
    after = [_signature(t) for t in target_tokens]
    if before == after and len(comparison.source.body.blocks) == len(
        comparison.target.body.blocks
    ):
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


# --- inline content ------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """Something in a body that must survive translation, and where it stands."""

    category: str  # "url", "reference", "protected", "markup"
    what: str  # for messages: "link", "inline code", "shortcode", "bold", ...
    value: str
    line: int
    block: int = -1  # index of the inline block (paragraph, heading, cell) it stands in


@dataclass
class Items:
    """Everything of one post body that the comparison looks at."""

    items: list[Item] = field(default_factory=list)
    names: list[Counter[str]] = field(default_factory=list)  # per inline block
    lines: list[int] = field(default_factory=list)  # per inline block: its first line

    def of(self, category: str) -> list[Item]:
        return [item for item in self.items if item.category == category]


_ATOM_NAMES = {
    "code_inline": "inline code",
    "html_inline": "HTML",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote reference",
    "passthrough": "math",
}
_MARK_NAMES = {"em_open": "emphasis", "strong_open": "bold", "s_open": "strikethrough"}
_VERBATIM = {
    "fence": "code block",
    "code_block": "code block",
    "html_block": "HTML block",
    "math_block": "math block",
}


def _squash(text: str) -> str:
    return " ".join(text.split())


def translatable_params(params: Mapping[str, Sequence[str]]) -> TranslatableParams:
    """Return the (shortcode, parameter) pairs whose values are prose."""
    return frozenset((name, key) for name, keys in params.items() for key in keys)


def _canonical(masked: Masked, text: str, prose: TranslatableParams = frozenset()) -> str:
    """Return `text` with every shortcode in it written as Hugo parses it."""
    if not text:
        return text
    out: list[str] = []
    position = 0
    for start, end, region in region_runs(text):
        out += [text[position:start], masked.canonical(region, prose)]
        position = end
    out.append(text[position:])
    return "".join(out)


def _collect(post: Post, glossary: Glossary, prose: TranslatableParams) -> Items:
    """List a post body's markup, protected content, links and names, block by block."""
    document = post.document
    masked = document.masked
    found = Items()
    inline_index = -1
    for token in document.tokens:
        if token.map is None:
            continue
        line = token.map[0] + post.offset + 1
        if token.type in _VERBATIM:
            value = (
                _canonical(masked, token.info, prose)
                + "\n"
                + _canonical(masked, token.content, prose)
            )
            found.items.append(Item("protected", _VERBATIM[token.type], value, line))
        elif token.type == "inline":
            inline_index += 1
            found.lines.append(line)
            found.names.append(Counter())
            _inline_items(token.children or [], masked, line, inline_index, found, glossary, prose)
    for label, reference in sorted(document.env.get("references", {}).items()):
        href = _canonical_url(masked, str(reference.get("href", "")))
        line = _reference_line(post, label)
        found.items.append(Item("reference", "reference", f"[{label}]: {href}", line))
    return found


def _canonical_url(masked: Masked, href: str) -> str:
    # markdown-it percent-encodes a destination; a masked shortcode in it comes back decoded.
    if "%F3%B" in href or "%F4%8" in href:
        href = urllib.parse.unquote(href)
    return _canonical(masked, href)


def _inline_items(
    children: Sequence[Token],
    masked: Masked,
    line: int,
    block: int,
    found: Items,
    glossary: Glossary,
    prose_params: TranslatableParams = frozenset(),
) -> None:
    """Add the items of one inline token's children (iteratively: nesting may be deep)."""
    prose: list[str] = []
    # (tokens, index, context) frames; context names the markup a token stands inside.
    frames: list[tuple[Sequence[Token], int, tuple[str, ...]]] = [(children, 0, ())]
    here = line
    last_region: int | None = None  # the shortcode the last text ended in
    while frames:
        tokens, index, context = frames.pop()
        while index < len(tokens):
            token = tokens[index]
            index += 1
            kind = token.type
            if kind != "softbreak" and kind not in ("text", "text_special"):
                last_region = None
            if kind in _MARK_NAMES:
                name = _MARK_NAMES[kind]
                value = f"{'/'.join(context)}>{name} {token.markup}".lstrip(">")
                found.items.append(Item("markup", name, value, here, block))
                context = (*context, name)
            elif kind in ("em_close", "strong_close", "s_close", "link_close"):
                context = context[:-1]
            elif kind == "link_open":
                href = _canonical_url(masked, str(token.attrGet("href")))
                what = "link"
                if token.markup in ("autolink", "linkify"):
                    what = "address"
                found.items.append(Item("url", what, href, here, block))
                found.items.append(
                    Item("markup", "link", f"{'/'.join(context)}>link".lstrip(">"), here, block)
                )
                context = (*context, "link")
                label = _label_text(tokens, index)
                if token.markup in ("autolink", "linkify") or _is_address(label):
                    # The text of a link to an address it shows is that address, not prose.
                    found.items.append(Item("protected", "address", label, here, block))
            elif kind == "image":
                src = _canonical_url(masked, str(token.attrGet("src")))
                found.items.append(Item("url", "image", src, here, block))
                found.items.append(
                    Item("markup", "image", f"{'/'.join(context)}>image".lstrip(">"), here, block)
                )
                frames.append((tokens, index, context))
                frames.append((token.children or [], 0, (*context, "image")))
                break
            elif kind == "hardbreak":
                value = f"{'/'.join(context)}>break".lstrip(">")
                found.items.append(Item("markup", "line break", value, here, block))
                here += 1
                prose.append(" ")
            elif kind == "softbreak":
                here += 1
                prose.append(" ")
            elif kind in _ATOM_NAMES:
                content = token.content if kind != "footnote_ref" else str(token.meta.get("label"))
                value = _canonical(masked, content, prose_params)
                if kind in ("html_inline", "math_inline", "math_inline_double", "passthrough"):
                    value = _squash(value)
                found.items.append(Item("protected", _ATOM_NAMES[kind], value, here, block))
                prose.append(" ")
            elif kind == "text_special" and token.info == "entity":
                found.items.append(Item("protected", "entity", token.markup, here, block))
                prose.append(" ")
            elif kind in ("text", "text_special"):
                content = token.content
                for start, end, region in region_runs(content):
                    # A shortcode over several lines reaches here in parts, one per line.
                    if region != last_region or start > 0:
                        shortcode = masked.canonical(region, prose_params)
                        found.items.append(Item("protected", "shortcode", shortcode, here, block))
                    last_region = region
                    content = content[:start] + " " * (end - start) + content[end:]
                prose.append(content)
                if content.strip():
                    last_region = None
                continue
    found.names[block].update(_names("".join(prose), glossary))


def _label_text(tokens: Sequence[Token], index: int) -> str:
    """Return the plain text of the link whose label starts at `tokens[index]`."""
    text = []
    depth = 1
    for token in tokens[index:]:
        depth += token.nesting
        if depth == 0:
            break
        text.append(token.content if token.type in ("text", "text_special", "code_inline") else "")
    return "".join(text).strip()


def _is_address(label: str) -> bool:
    found = find_link(label)
    return bool(label) and found is not None and found[0] == len(label)


def _reference_line(post: Post, label: str) -> int:
    """Return the line of a reference definition (markdown-it keeps no position for it)."""
    pattern = re.compile(r"^ {0,3}\[" + r"\s+".join(map(re.escape, label.split())) + r"\]:", re.I)
    for index, text in enumerate(post.body.text.split("\n")):
        if pattern.match(text):
            return post.offset + index + 1
    return post.offset + 1


# --- comparisons ---------------------------------------------------------------------------


def _compare_urls(comparison: Comparison, source: Items, target: Items) -> None:
    """Compare where links and images point, in document order."""
    references = {item.value.split(": ", 1)[-1] for item in source.of("reference")} ^ {
        item.value.split(": ", 1)[-1] for item in target.of("reference")
    }
    # A changed reference definition moves every link that uses it: report it once.
    _compare_sequence(
        comparison,
        "url-changed",
        [item for item in source.of("url") if item.value not in references],
        [item for item in target.of("url") if item.value not in references],
    )


def _compare_references(comparison: Comparison, source: Items, target: Items) -> None:
    _compare_sequence(
        comparison, "reference-changed", source.of("reference"), target.of("reference")
    )


def _compare_inline(
    comparison: Comparison, source: Items, target: Items, *, tolerant: bool
) -> None:
    """Compare markup and protected content block by block (the blocks line up)."""
    for category, code in (("protected", "protected-changed"), ("markup", "markup-changed")):
        before = _by_block(source.of(category))
        after = _by_block(target.of(category))
        for block in sorted(set(before) | set(after)):
            old, new = before.get(block, []), after.get(block, [])
            if tolerant:
                old = sorted(old, key=lambda item: item.value)
                new = sorted(new, key=lambda item: item.value)
            line = target.lines[block] if 0 <= block < len(target.lines) else None
            _compare_sequence(comparison, code, old, new, default_line=line)


def _compare_protected_in_body(comparison: Comparison, source: Items, target: Items) -> None:
    """Compare protected content over the whole body when its blocks do not line up."""
    before = sorted(source.of("protected"), key=lambda item: item.value)
    after = sorted(target.of("protected"), key=lambda item: item.value)
    _compare_sequence(comparison, "protected-changed", before, after)


def _by_block(items: Iterable[Item]) -> dict[int, list[Item]]:
    grouped: dict[int, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.block, []).append(item)
    return grouped


def _compare_names(comparison: Comparison, source: Items, target: Items, *, aligned: bool) -> None:
    """Compare glossary names block by block, or over the whole body."""
    if aligned:
        pairs: Iterable[tuple[Counter[str], Counter[str], int | None]] = (
            (before, after, line)
            for before, after, line in zip(source.names, target.names, target.lines, strict=True)
        )
    else:
        total_before: Counter[str] = sum(source.names, Counter())
        total_after: Counter[str] = sum(target.names, Counter())
        pairs = [(total_before, total_after, comparison.target.offset + 1)]
    for before, after, line in pairs:
        _report_names(comparison, before, after, line)


def _report_names(
    comparison: Comparison, before: Counter[str], after: Counter[str], line: int | None
) -> None:
    for name in sorted(before | after):
        if before[name] != after[name]:
            comparison.add(
                "glossary-name",
                line,
                f"glossary name {short(name)} appears {after[name]}× here but "
                f"{before[name]}× in the source post; names are kept exactly",
            )


def _compare_field_names(comparison: Comparison, glossary: Glossary) -> None:
    """Compare glossary names in each translatable front matter value."""
    for source_field, target_field in comparison.fields:
        before, after = _names(source_field.value, glossary), _names(target_field.value, glossary)
        _report_names(comparison, before, after, target_field.line)


def _names(text: str, glossary: Glossary) -> Counter[str]:
    return Counter(m.term.source for m in glossary.find(text) if m.term.target is None)


def _compare_sequence(
    comparison: Comparison,
    code: str,
    before: Sequence[Item],
    after: Sequence[Item],
    default_line: int | None = None,
) -> None:
    old = [item.value for item in before]
    new = [item.value for item in after]
    if old == new:
        return
    if Counter(old) == Counter(new):
        index = next(i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
        comparison.add(
            code,
            after[index].line,
            f"{after[index].what} {short(new[index])} comes where the source post has "
            f"{short(old[index])}: same {after[index].what}s in a different order",
        )
        return
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    end_line = after[-1].line if after else default_line
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            for index in range(j1, j2):
                item = after[index]
                counterpart = i1 + index - j1
                if tag == "replace" and counterpart < i2:
                    message = (
                        f"{item.what} {short(item.value)} where the source post has "
                        f"{short(before[counterpart].value)} (line {before[counterpart].line})"
                    )
                else:
                    message = f"{item.what} {short(item.value)} is not in the source post"
                comparison.add(code, item.line, message)
        if tag == "delete" or (tag == "replace" and i2 - i1 > j2 - j1):
            for index in range(i1 + (j2 - j1 if tag == "replace" else 0), i2):
                item = before[index]
                line = after[j1].line if j1 < len(after) else end_line
                comparison.add(
                    code,
                    line,
                    f"{item.what} {short(item.value)} of the source post "
                    f"(line {item.line}) is missing",
                )


def inline_differences(
    source: str | Items,
    target: str,
    env: Mapping[str, Any],
    glossary: Glossary,
    params: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODE_PARAMS,
) -> list[str]:
    """Compare one block's inline text with its translation, as `compare_posts` compares posts.

    `source` may be given as `inline_items` made it, when many translations of one block
    are checked. Return what differs (markup, protected spans, link targets, glossary
    names), if anything.
    """
    before = source if isinstance(source, Items) else inline_items(source, env, glossary, params)
    after = inline_items(target, env, glossary, params)
    problems: list[str] = []
    for category in ("markup", "protected", "url"):
        old = [item.value for item in before.of(category)]
        new = [item.value for item in after.of(category)]
        if old != new:
            problems.append(f"{category}: {short(old)} became {short(new)}")
    if before.names[0] != after.names[0]:
        problems.append(f"names: {dict(before.names[0])} became {dict(after.names[0])}")
    return problems


def inline_items(
    text: str,
    env: Mapping[str, Any],
    glossary: Glossary,
    params: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODE_PARAMS,
) -> Items:
    """Return what `inline_differences` compares of one block's inline text."""
    return _inline_text_items(text, env, glossary, translatable_params(params))


def _inline_text_items(
    text: str, env: Mapping[str, Any], glossary: Glossary, prose: TranslatableParams
) -> Items:
    try:
        masked = mask(text, current_options().markdown_shortcodes)
    except ShortcodeError:
        masked = Masked(text, text, (), ())
    found = Items(names=[Counter()], lines=[1])
    _inline_items(parse_inline(masked.text, dict(env)), masked, 1, 0, found, glossary, prose)
    return found
