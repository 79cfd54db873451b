"""List what a body holds besides prose: markup, protected spans, links, names."""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it.token import Token

from translate.markdown.addresses import is_address
from translate.markdown.document import Block
from translate.markdown.goldmark import current_options, parse_document, parse_inline
from translate.markdown.html import VERBATIM_ELEMENTS, canonical_tag, html_structure, lex
from translate.markdown.post import Post
from translate.markdown.segmenter import DEFAULT_SHORTCODE_PARAMS
from translate.markdown.shortcodes import (
    Masked,
    ShortcodeError,
    Tag,
    TranslatableParams,
    mask,
    region_of,
    region_runs,
)
from translate.translation.glossary import Glossary
from translate.translation.links import NO_LINKS, LinkMap


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
    # How the text was read: "inline" Markdown, or "html" (a raw HTML block's text).
    kind: str = "inline"

    def of(self, category: str) -> list[Item]:
        return [item for item in self.items if item.category == category]


_ATOM_NAMES = {
    "code_inline": "inline code",
    "html_inline": "HTML",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote reference",
    "passthrough": "math",
    "emoji": "emoji",
    "too_deep": "deeply nested text",
}
_MARK_NAMES = {"em_open": "emphasis", "strong_open": "bold", "s_open": "strikethrough"}
_VERBATIM = {
    "fence": "code block",
    "code_block": "code block",
    "math_block": "math block",
    "too_deep": "deeply nested text",
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
    last: int | None = None
    for start, end, region in region_runs(text):
        if region == last and not text[position:start].strip():
            # One shortcode cut by a line break that Markdown made a space (in code).
            position = end
            continue
        out += [text[position:start], masked.canonical(region, prose)]
        position, last = end, region
    out.append(text[position:])
    return "".join(out)


def collect(post: Post, glossary: Glossary, prose: TranslatableParams) -> Items:
    """List a post body's markup, protected content, links and names, block by block."""
    document = post.document
    masked = document.masked
    found = Items()
    inline_index = -1
    for token in document.tokens:
        if token.map is None:
            continue
        line = token.map[0] + post.offset + 1
        if token.type == "html_block":
            structure = _canonical(masked, html_structure(token.content), prose)
            found.items.append(Item("protected", "HTML block", structure, line))
        elif token.type in _VERBATIM:
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
            children = token.children or []
            inline_block_items(children, masked, line, inline_index, found, glossary, prose)
    references = document.env.get("references", {})
    lines = _reference_lines(post) if references else {}
    for label, reference in sorted(references.items()):
        href = _canonical_url(masked, str(reference.get("href", "")))
        line = lines.get(_label_key(label), post.offset + 1)
        found.items.append(Item("reference", "reference", f"[{label}]: {href}", line))
    found.items.extend(_line_shortcodes(post))
    return found


# What may stand before a shortcode that starts a line: indentation, quote and list markers.
_LINE_PREFIX = re.compile(r"(?:[ \t]|>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")


def _line_shortcodes(post: Post) -> list[Item]:
    """List the shortcodes that stand on a line of their own, with what stands before them.

    Markdown reads a shortcode as a word; Hugo puts its output there, and a template's
    output may be a block (`</div>`): whether the line is indented into a list item or quote
    then decides where that block ends. Such a line keeps its indentation and markers.
    (What the shortcode holds is compared with the protected content.)
    """
    masked = post.document.masked
    items: list[Item] = []
    line_start = 0
    for number, line in enumerate(masked.text.split("\n")):
        prefix = _LINE_PREFIX.match(line)
        width = prefix.end() if prefix else 0
        start, line_start = line_start + width, line_start + len(line) + 1
        region = region_of(line[width]) if width < len(line) else None
        if region is None or masked.regions[region][0] != start:
            continue
        if line[width:].rstrip().strip(line[width]):
            continue  # a shortcode in a line of text: a word of it
        content = masked.contents[region]
        tag = content if isinstance(content, Tag) else getattr(content, "open", None)
        if tag is None:
            continue
        name = ("/" if tag.closing else "") + (tag.name or "…")
        left, right = ("{{%", "%}}") if tag.markdown else ("{{<", ">}}")
        # Spaces made visible: the message shows how the line is indented.
        indent = line[:width].replace(" ", "␣").replace("\t", "⇥")
        value = f"{indent}{left} {name} {right}"
        items.append(Item("layout", "shortcode on its own line", value, post.offset + number + 1))
    return items


def _canonical_url(masked: Masked, href: str) -> str:
    # markdown-it percent-encodes a destination; a masked shortcode in it comes back decoded.
    if "%F3%B" in href or "%F4%8" in href:
        href = urllib.parse.unquote(href)
    return _canonical(masked, href)


def inline_block_items(
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
    verbatim: list[str] = []  # raw HTML elements open around here whose text is code
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
                if token.markup in ("autolink", "linkify") or is_address(
                    label, str(token.attrGet("href") or "")
                ):
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
                if kind == "html_inline":
                    value = canonical_tag(value)
                    _follow_verbatim(verbatim, content)
                found.items.append(Item("protected", _ATOM_NAMES[kind], value, here, block))
                prose.append(" ")
            elif kind == "text_special" and token.info == "entity":
                found.items.append(Item("protected", "entity", token.markup, here, block))
                prose.append(" ")
            elif kind in ("text", "text_special") and verbatim:
                # `<code>resumePolicy: FromVolume</code>`: code, though Markdown reads text.
                found.items.append(Item("protected", "HTML code", token.content, here, block))
                prose.append(" ")
            elif kind in ("text", "text_special"):
                content = token.content
                for start, end, region in region_runs(content):
                    # A shortcode over several lines reaches here in parts, one per line.
                    if region != last_region or start > 0:
                        shortcode = masked.canonical(region, prose_params)
                        found.items.append(Item("protected", "shortcode", shortcode, here, block))
                        found.items.extend(_param_items(masked, region, prose_params, here, block))
                    last_region = region
                    content = content[:start] + " " * (end - start) + content[end:]
                prose.append(content)
                if content.strip():
                    last_region = None
                continue
    found.names[block].update(glossary_names("".join(prose), glossary))


def markdown_structure(text: str) -> str:
    """Return the blocks Markdown makes of `text`, or "text" for one plain paragraph.

    Hugo renders some values as Markdown (a figure's caption, a page's summary): a
    translation that opens a list or a heading there changes the page.
    """
    try:
        tokens = parse_document(text).tokens
    except ShortcodeError:
        return "unparsed"
    kinds = [
        token.type.removesuffix("_open")
        for token in tokens
        if token.nesting == 1 and token.type != "paragraph_open"
    ]
    paragraphs = sum(1 for token in tokens if token.type == "paragraph_open")
    if not kinds and paragraphs <= 1:
        return "text"
    return ", ".join([*kinds, *(["paragraphs"] if paragraphs > 1 else [])])


def _param_items(
    masked: Masked, region: int, prose: TranslatableParams, line: int, block: int
) -> list[Item]:
    """Return the Markdown structure of a shortcode's translatable parameters, as items."""
    content = masked.contents[region]
    tag = content if isinstance(content, Tag) else getattr(content, "open", None)
    if tag is None:
        return []
    items = []
    for position, param in enumerate(tag.params):
        key = param.name if param.name is not None else str(position)
        if (tag.name, key) in prose and param.value.strip():
            value = f"{tag.name}.{key}: {markdown_structure(param.value)}"
            items.append(Item("markup", "parameter's Markdown", value, line, block))
    return items


def _follow_verbatim(open_elements: list[str], tag: str) -> None:
    """Keep track of the raw HTML verbatim elements (`<code>`) open at this point."""
    match = re.match(r"<(/?)([A-Za-z][A-Za-z0-9-]*)", tag)
    if match is None or match[2].lower() not in VERBATIM_ELEMENTS or tag.endswith("/>"):
        return
    name = match[2].lower()
    if not match[1]:
        open_elements.append(name)
    elif name in open_elements:
        del open_elements[len(open_elements) - 1 - open_elements[::-1].index(name) :]


def _label_text(tokens: Sequence[Token], index: int) -> str:
    """Return the plain text of the link whose label starts at `tokens[index]`."""
    text = []
    depth = 1
    # Walked by index: a slice to the end for each of 10,000 links costs their square.
    for position in range(index, len(tokens)):
        token = tokens[position]
        depth += token.nesting
        if depth == 0:
            break
        text.append(token.content if token.type in ("text", "text_special", "code_inline") else "")
    return "".join(text).strip()


_DEFINITION = re.compile(r" {0,3}\[((?:[^\]\\]|\\.)+)\]:")


def _reference_lines(post: Post) -> dict[str, int]:
    """Map each reference definition's label to its line (markdown-it keeps no position).

    One pass over the body: a search per label would cost labels × lines.
    """
    found: dict[str, int] = {}
    for index, text in enumerate(post.body.text.split("\n")):
        match = _DEFINITION.match(text)
        if match is not None:
            found.setdefault(_label_key(match.group(1)), post.offset + index + 1)
    return found


def _label_key(label: str) -> str:
    """Return a label as references match it: case and runs of whitespace do not count."""
    return " ".join(label.split()).casefold()


def inline_items(
    text: str,
    env: Mapping[str, Any],
    glossary: Glossary,
    params: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODE_PARAMS,
    *,
    kind: str = "inline",
) -> Items:
    """Return what `inline_differences` compares of one block's text.

    `kind` "html" reads the text as a raw HTML block: its tags, comments and verbatim
    elements are compared, its text is prose.
    """
    if kind == "html":
        return html_items(text, glossary, translatable_params(params))
    return _inline_text_items(text, env, glossary, translatable_params(params))


def block_items(
    block: Block,
    env: Mapping[str, Any],
    glossary: Glossary,
    params: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODE_PARAMS,
) -> Items:
    """Return what `inline_differences` compares of a block, read as its kind is read."""
    kind = "html" if block.kind == "html" else "inline"
    return inline_items(block.source, env, glossary, params, kind=kind)


def html_items(text: str, glossary: Glossary, prose: TranslatableParams) -> Items:
    """Return what must survive in a raw HTML block's text, and its glossary names."""
    try:
        masked = mask(text, current_options().markdown_shortcodes)
    except ShortcodeError:
        masked = Masked(text, text, (), ())
    structure = _canonical(masked, html_structure(masked.text), prose)
    prose_text = " ".join(
        masked.text[node.start : node.end] for node in lex(masked.text) if node.kind == "text"
    )
    found = Items(names=[glossary_names(prose_text, glossary)], lines=[1], kind="html")
    found.items.append(Item("protected", "HTML", structure, 1, 0))
    return found


def _inline_text_items(
    text: str, env: Mapping[str, Any], glossary: Glossary, prose: TranslatableParams
) -> Items:
    try:
        masked = mask(text, current_options().markdown_shortcodes)
    except ShortcodeError:
        masked = Masked(text, text, (), ())
    found = Items(names=[Counter()], lines=[1])
    inline_block_items(parse_inline(masked.text, dict(env)), masked, 1, 0, found, glossary, prose)
    return found


def glossary_names(text: str, glossary: Glossary) -> Counter[str]:
    return Counter(m.term.source for m in glossary.find(text) if m.term.target is None)


def followed_back(items: Items, links: LinkMap = NO_LINKS) -> Items:
    """Return `items` with each link destination `links` maps given as the source's."""
    if not links.destinations:
        return items
    return replace(
        items,
        items=[
            replace(item, value=links.source_of(item.value)) if item.category == "url" else item
            for item in items.items
        ],
    )
