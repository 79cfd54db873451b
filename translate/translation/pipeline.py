"""Translate many prepared posts at once: deduplicate, batch, translate, restore.

Everything here is pure except the translator it is handed: posts come in prepared
(`prepared.PreparedPost`) and each block goes out as the words of its translation, checked
on its own (`proving.keeps_protected`) or kept in the source language. Rendering and
proving the whole post is `proving`'s business; reading and writing files is the site's
and the records'.

What is known already (`prepared.Known`: a reviewer's English, the memory's) is laid out
as it is; only the rest goes to the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from translate.markdown.document import LINE_BREAK
from translate.translation.backends import Translator
from translate.translation.batching import Lengths, Progress, fit, translate_distinct
from translate.translation.prepared import PreparedPost, segment_sources
from translate.translation.protect import Segment
from translate.translation.proving import keeps_protected
from translate.translation.restore import (
    Chunk,
    block_words,
    glue_chunks,
    restore_by_pieces,
    restore_segment,
)

__all__ = [
    "count_segments",
    "needs_translation",
    "open_segments",
    "shortcode_value",
    "translate_posts",
]


def translate_posts(
    posts: Sequence[PreparedPost],
    translator: Translator | None,
    *,
    batch_size: int = 16,
    progress: Progress | None = None,
    cache: dict[str, str] | None = None,
) -> None:
    """Translate every open segment of `posts` once, in length-sorted batches, and restore.

    Distinct segments are translated once however often they occur; `cache` (model input
    -> output) carries that across calls. A segment whose protected markers do not come
    back intact is translated again piece by piece. `translator` may be None when no
    segment is open (every block known or protected).
    """
    cache = {} if cache is None else cache
    segments = [seg for post in posts for seg in open_segments(post)]
    outputs: dict[str, str] = {}
    restored: dict[Segment, list[Chunk] | None] = {}
    pieces = None
    if segments:
        if translator is None:
            raise ValueError("segments to translate, but no translator")
        lengths = Lengths(translator)
        limit = lengths.limit
        whole = [seg for seg in segments if limit is None or limit(seg.text)]
        outputs = translate_distinct(
            [seg.text for seg in whole], translator, batch_size, progress, cache, lengths
        )
        # Keyed by the segment, not its text: `*x*` and `**x**` read the same to the model,
        # but each gets its own markup back.
        for seg in whole:
            if seg not in restored:
                restored[seg] = restore_segment(seg, outputs[seg.text])
        failed = [seg for seg in segments if restored.get(seg) is None]
        pieces = _PieceTranslations(translator, batch_size, lengths, cache)
        pieces.translate(text for seg in failed for text in seg.fallback_texts())
        if progress is not None:  # a segment too long for the model counts once it is done
            progress(len({seg.text for seg in segments} - {seg.text for seg in whole}))
    # Blocks whose markers survived but whose protected spans did not (the model moved
    # text across a link, say) are rebuilt from pieces: translate those pieces too.
    retry = [
        (post, index)
        for post in posts
        for index in _restore_order(post)
        if not _restore_block(post, index, outputs, restored, pieces, first=True)
    ]
    if not retry:
        return
    assert pieces is not None  # only a block with open segments can fail
    pieces.translate(
        text for post, index in retry for seg in _open(post, index) for text in seg.fallback_texts()
    )
    for post, index in retry:
        if not _restore_block(post, index, outputs, {}, pieces, first=False):
            post.kept.append(post.plans[index].block)


def _open(post: PreparedPost, index: int) -> list[Segment]:
    """Return the segments of block `index` whose translation is not known yet."""
    known = post.known.get(index)
    segments = post.plans[index].segments
    if known is None:
        return segments
    if known.text is not None:
        return []
    covered = {
        position
        for first, (last, _) in known.sentences.items()
        for position in range(first, last + 1)
    }
    return [seg for position, seg in enumerate(segments) if position not in covered]


def open_segments(post: PreparedPost) -> list[Segment]:
    """Return every segment of `post` that must go through a translator."""
    return [seg for index in range(len(post.plans)) for seg in _open(post, index)]


def needs_translation(post: PreparedPost) -> bool:
    """Tell whether any segment of `post` must go through a translator."""
    return any(_open(post, index) for index in range(len(post.plans)))


def count_segments(posts: Sequence[PreparedPost]) -> int:
    """Return how many distinct segments `posts` will send to a translator (at least)."""
    return len({seg.text for post in posts for seg in open_segments(post)})


class _PieceTranslations:
    """Translations of prose pieces for the fallback, each split to fit the model.

    They tick no progress: the progress counts segments, and pieces are part of theirs.
    """

    def __init__(
        self, translator: Translator, batch_size: int, lengths: Lengths, cache: dict[str, str]
    ) -> None:
        self.translator = translator
        self.batch_size = batch_size
        self.lengths = lengths
        self.limit = lengths.limit
        self.outputs = cache

    def translate(self, texts: Iterable[str]) -> None:
        """Translate the parts of `texts` not translated yet."""
        parts = [part for text in texts for part in fit(text, self.limit)]
        translate_distinct(
            parts, self.translator, self.batch_size, None, self.outputs, self.lengths
        )

    def __call__(self, text: str) -> str:
        return " ".join(self.outputs[part] for part in fit(text, self.limit))


def _restore_block(
    post: PreparedPost,
    index: int,
    outputs: dict[str, str],
    restored: dict[Segment, list[Chunk] | None],
    pieces: _PieceTranslations | None,
    *,
    first: bool,
) -> bool:
    """Put a block's translation together; False if it must be rebuilt from pieces.

    On the `first` pass a segment's restored output is used; after it, its pieces'.
    """
    plan = post.plans[index]
    known = post.known.get(index)
    if known is not None and known.text is not None:
        return True  # laid out from `known` by `render_post`
    shortcodes = _translated_shortcodes(post, index)
    sentences = dict(known.sentences) if known is not None else {}
    if (
        not shortcodes
        and not sentences
        and first
        and all(outputs.get(seg.text) == seg.text for seg in plan.segments)
    ):
        # Nothing changed (identity, or an all-protected block): the source stands.
        post.sentences[index] = segment_sources(plan)
        return True
    chunks: list[Chunk] = []
    written: list[str] = []
    position = 0  # of the next segment
    skip_to = -1  # the last segment a known text covers
    for part in plan.parts:
        if not isinstance(part, Segment):
            if position <= skip_to:
                continue  # glue inside a known text, which has its own
            chunks.extend(glue_chunks(part))
            continue
        here = position
        position += 1
        if here <= skip_to:
            written.append("")
            continue
        if here in sentences:
            skip_to, text = sentences[here]
            chunks.append(Chunk(text, "plain"))
            written.append(text)
            continue
        whole = restored.get(part)
        if whole is None:
            if pieces is None:
                return False
            whole = restore_by_pieces(part, [pieces(text) for text in part.fallback_texts()])
        chunks.extend(whole)
        written.append(_laid_out(block_words(plan.block, whole)))
    if shortcodes:
        chunks = [
            Chunk(shortcodes[c.text], c.kind, c.what) if c.text in shortcodes else c for c in chunks
        ]
    words = block_words(plan.block, chunks)
    if not keeps_protected(plan.block, _laid_out(words), post):
        return False
    post.words[index] = words
    post.sentences[index] = written
    return True


def _laid_out(words: Sequence[str]) -> str:
    return " ".join(words).replace(f" {LINE_BREAK} ", "\n")


def _restore_order(post: PreparedPost) -> list[int]:
    """Return the block indexes to restore: shortcode parameters before their shortcodes."""
    embedded = post.embedded
    return sorted(range(len(post.plans)), key=lambda index: (index not in embedded, index))


def _translated_shortcodes(post: PreparedPost, index: int) -> dict[str, str]:
    """Return block `index`'s shortcodes whose parameters were translated: old -> new text.

    A value that cannot be written back the way Hugo reads it keeps its source text, and
    its block is reported as kept.
    """
    edits: dict[str, list[tuple[int, int, str]]] = {}
    for param_index, param in post.embedded.items():
        if param.block != index:
            continue
        words = post.words.get(param_index) or post.known_words(param_index)
        if words is None:
            continue
        value = " ".join(word for word in words if word != LINE_BREAK)
        source = shortcode_value(value, param.quote)
        if source is None:
            post.words.pop(param_index, None)
            post.sentences.pop(param_index, None)
            if post.blocks[param_index] not in post.kept:
                post.kept.append(post.blocks[param_index])
            continue
        edits.setdefault(param.atom, []).append((param.start, param.end, source))
    out: dict[str, str] = {}
    for atom, changes in edits.items():
        text = atom
        for start, end, source in sorted(changes, reverse=True):
            text = text[:start] + source + text[end:]
        if text != atom:
            out[atom] = text
    return out


_UNQUOTED = re.compile(r"[\w.-]+")


def shortcode_value(value: str, quote: str) -> str | None:
    """Write a parameter value the way Hugo's lexer reads it back, or None if it cannot be.

    A quoted value escapes its quotes as `\\"`; but Hugo then drops every backslash in it,
    so a value with both a quote and a backslash cannot be written.
    """
    if quote == "`" and "`" not in value:
        return f"`{value}`"
    if quote == "" and _UNQUOTED.fullmatch(value):
        return value
    if '"' in value and "\\" in value:
        return None
    return '"' + value.replace('"', '\\"') + '"'
