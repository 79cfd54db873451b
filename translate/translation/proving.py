"""Prove a prepared post's translation: block by block as it is put together, then whole.

`keeps_protected` checks one block's translation as `translate_posts` restores it (and a
reviewer's or the memory's English before it is reused); `render_verified` renders the
post, reads it back and proves it with `verify`, keeping in the source language the block
nearest to each difference until the post passes. A post that cannot be made right is
never written.
"""

from __future__ import annotations

from translate.errors import PostError
from translate.markdown.document import LINE_BREAK, Block, BlockKind
from translate.markdown.post import Post
from translate.markdown.segmenter import render_body, skipped_reason
from translate.translation.prepared import PreparedPost, segment_sources
from translate.translation.verify import (
    Difference,
    block_items,
    inline_differences,
    inline_items,
    verify_post,
)

__all__ = [
    "keeps_protected",
    "kept_reason",
    "render_post",
    "render_verified",
    "segment_keeps_protected",
]


def keeps_protected(block: Block, translation: str, post: PreparedPost) -> bool:
    """Tell whether a block's translation keeps everything of its source but the prose.

    The same comparison as the whole-post proof (`verify`), on one block's inline text:
    markup, protected spans, link targets and glossary names, found by the glossary's own
    matcher (a name wrapped across two lines included).
    """
    source = post.source_items.get(block.key)
    env = post.post.body.env
    params = post.post.options.shortcode_params
    if source is None:
        source = post.post.reading(lambda: block_items(block, env, post.glossary, params))
        post.source_items[block.key] = source
    found = source
    return not post.post.reading(
        lambda: inline_differences(found, translation, env, post.glossary, params, post.links)
    )


def segment_keeps_protected(post: PreparedPost, index: int, position: int, text: str) -> bool:
    """Tell whether `text` may stand for sentence `position` of block `index`: it keeps the
    sentence's links, code, shortcodes and names."""
    kind = "html" if post.plans[index].block.kind is BlockKind.HTML else "inline"
    env = post.post.body.env
    params = post.post.options.shortcode_params
    source = segment_sources(post.plans[index])[position]

    def differs() -> bool:
        items = inline_items(source, env, post.glossary, params, kind=kind)
        return bool(inline_differences(items, text, env, post.glossary, params, post.links))

    return not post.post.reading(differs)


def render_post(post: PreparedPost) -> str:
    """Return the translated post: new front matter values and body text in place."""
    source = post.post
    fields = source.field_count
    translated = dict(post.words)
    for index in post.known:
        words = post.known_words(index)
        if words is not None:
            translated[index] = words
    paths = [item.path for item in source.front_matter.fields(source.options.translatable_keys)]
    changed = {
        paths[index]: " ".join(w for w in words if w != LINE_BREAK)
        for index, words in translated.items()
        if index < fields
    }
    changed = {
        path: value
        for path, value in changed.items()
        if value != post.blocks[paths.index(path)].source
    }
    front = source.front_matter.replace(changed) if changed else source.front_matter.text
    body_words = {index - fields: words for index, words in translated.items() if index >= fields}
    return front + render_body(source.body, body_words)


def kept_reason(block: Block) -> str:
    """Say why a block was kept in the source language, for a warning."""
    reason = skipped_reason(block)
    if reason is not None:
        return reason
    return (
        f"kept untranslated: its translation would have changed more than the prose of this "
        f"{block.kind.label}"
    )


# How many times a post whose rendering fails the proof is rendered again with one more
# block kept in the source language, before the post is given up.
_REPAIR_ATTEMPTS = 8


def render_verified(post: PreparedPost) -> Post:
    """Render the post, read the result and prove it differs from its source in prose only.

    Return the translation as read: the one reading that proves it and that its record is
    made from.

    Blocks pass their own check when translated; what only the whole post shows (a
    translated line that starts a list, a cell that breaks its table) is found here. The
    block nearest to each difference is then kept in the source language (and listed in
    `post.kept`), and the post proved again. Raise PostError if it cannot be made right.
    """
    output, differences = _prove(post)
    attempts = 0
    while differences and attempts < _REPAIR_ATTEMPTS:
        attempts += 1
        culprit = _nearest_translated_block(post, differences[0])
        if culprit is None:
            break
        del post.words[culprit]
        post.sentences.pop(culprit, None)
        post.kept.append(post.blocks[culprit])
        output, differences = _prove(post)
    if differences or output is None:
        raise PostError(
            f"translation not written: {'; '.join(map(str, differences[:3]))}",
            hint="check the kept translation of unchanged blocks for edited links or code; "
            "otherwise report this with the post attached",
        )
    return output


def _prove(post: PreparedPost) -> tuple[Post | None, list[Difference]]:
    """Render and read the translation; return it (None if unreadable) and its differences."""
    text = render_post(post)
    try:
        output = Post.read(text, post.post.options)
    except PostError as error:
        message = f"does not parse: {error.message}"
        return None, [Difference("structure-changed", error.line, message)]
    return output, verify_post(post.post, output, post.glossary, links=post.links)


def _nearest_translated_block(post: PreparedPost, difference: Difference) -> int | None:
    """Return the translated block whose source line is nearest to a difference's line."""
    candidates = list(post.words)
    if not candidates:
        return None
    line = difference.line or 0
    return min(candidates, key=lambda index: (abs(post.blocks[index].line - line), index))
