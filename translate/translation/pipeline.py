"""Translate many posts at once: plan, deduplicate, batch, translate, restore, prove.

Everything here is pure except the translator it is handed: posts come in read (`Post`) and
go out as a proved, read translation. Reading and writing files is the site's and the
records' business.

A block's translation may be partly known before any model runs: a reviewer's English of
its unchanged sentences, or the translation memory's. `Known` says which; only the rest
goes to the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from translate.errors import PostError
from translate.markdown.document import LINE_BREAK, Block, BlockKind, Piece
from translate.markdown.options import DEFAULT_OPTIONS, ReadingOptions
from translate.markdown.post import Post
from translate.markdown.segmenter import EmbeddedParam, render_body, skipped_reason
from translate.markdown.sentences import split_sentences
from translate.translation.backends import Translator
from translate.translation.batching import Lengths, Progress, fit, translate_distinct
from translate.translation.glossary import Glossary
from translate.translation.links import NO_LINKS, LinkMap, apply_links, keep_heading_id
from translate.translation.protect import BlockPlan, Segment, apply_glossary, plan_block
from translate.translation.restore import (
    Chunk,
    block_words,
    glue_chunks,
    restore_by_pieces,
    restore_segment,
)
from translate.translation.verify import (
    Difference,
    Items,
    block_items,
    inline_differences,
    inline_items,
    verify_post,
)

__all__ = [
    "Known",
    "PreparedPost",
    "Progress",
    "count_segments",
    "keeps_protected",
    "kept_reason",
    "needs_translation",
    "prepare_post",
    "render_verified",
    "translate_posts",
    "verbatim_words",
]


@dataclass(frozen=True)
class Known:
    """A block's translation known before any model runs, whole or sentence by sentence."""

    # The whole block's text, verbatim (a reviewer's English kept, the memory's entry).
    text: str | None = None
    # Sentences with known English: the index of a segment in the block's plan -> (the last
    # segment the text covers, the text). A reviewer's text may span several sentences.
    sentences: Mapping[int, tuple[int, str]] = field(default_factory=dict)


@dataclass
class PreparedPost:
    """A read post cut into segments, and what its translation has come to so far.

    Made by `prepare_post`; `translate_posts` fills `words` and `sentences`, and moves a
    block whose translation cannot be proved to `kept`.
    """

    post: Post
    name: str  # for messages: usually the file's path
    plans: list[BlockPlan]  # front matter values first, then body blocks
    glossary: Glossary
    known: dict[int, Known] = field(default_factory=dict)
    # Block index -> words of its translation (blocks known whole are laid out from `known`).
    words: dict[int, list[str]] = field(default_factory=dict)
    # Block index -> the English written for each of its segments, in order; "" for a
    # segment whose English stands in the one before it (a reviewer joined them).
    sentences: dict[int, list[str]] = field(default_factory=dict)
    # Blocks whose translation could not be proved and were kept as they were.
    kept: list[Block] = field(default_factory=list)
    # What the check of a block's translation compares, of its source (block key -> items).
    source_items: dict[str, Items] = field(default_factory=dict)
    # Links that follow the language and heading ids kept (`translation.links`).
    links: LinkMap = NO_LINKS

    @property
    def text(self) -> str:
        """Return the source post's text."""
        return self.post.text

    @property
    def blocks(self) -> list[Block]:
        """Return all translatable blocks (glossary applied), front matter values first."""
        return [plan.block for plan in self.plans]

    @property
    def embedded(self) -> dict[int, EmbeddedParam]:
        """Return the blocks that are shortcode parameters, by block index."""
        fields = self.post.field_count
        return {
            fields + index: replace(param, block=fields + param.block)
            for index, param in self.post.body.embedded.items()
        }

    def known_words(self, index: int) -> list[str] | None:
        """Return the words of a block known whole, if it is."""
        known = self.known.get(index)
        return None if known is None or known.text is None else verbatim_words(known.text)


def prepare_post(
    post: Post | str,
    *,
    language: str,
    glossary: Glossary | None = None,
    name: str = "<post>",
    known: Mapping[int, Known] | None = None,
    options: ReadingOptions = DEFAULT_OPTIONS,
    links: LinkMap = NO_LINKS,
) -> PreparedPost:
    """Plan a read post's segments: glossary terms protected, sentences split.

    A post given as text is read with `options`. `known` gives the blocks (or sentences)
    whose translation is known already. `links` says which link destinations the
    translation changes and which heading ids it keeps.
    """
    if isinstance(post, str):
        post = Post.read(post, options)
    glossary = glossary or Glossary()

    def split(plain: str) -> list[tuple[int, int]]:
        return split_sentences(plain, language)

    plans = [
        plan_block(replace(block, pieces=_with_links(block, glossary, links)), split)
        for block in post.blocks
    ]
    prepared = PreparedPost(post, name, plans, glossary, dict(known or {}), links=links)
    # Blocks whose text could not be found on their lines (tabs, odd nesting) are kept.
    fields = post.field_count
    prepared.kept.extend(post.body.blocks[index] for index in post.body.skipped)
    for index in post.body.skipped:
        prepared.known.pop(fields + index, None)
    return prepared


def _with_links(block: Block, glossary: Glossary, links: LinkMap) -> tuple[Piece, ...]:
    """Return a block's pieces with glossary terms protected, its links followed and, for a
    heading, its id kept."""
    pieces = apply_links(apply_glossary(block.pieces, glossary), links)
    kept = links.heading_ids.get(block.line) if block.kind is BlockKind.HEADING else None
    return keep_heading_id(pieces, kept) if kept else pieces


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
        pieces = _PieceTranslations(translator, batch_size, progress, lengths, cache)
        pieces.translate(text for seg in failed for text in seg.fallback_texts())
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
    """Translations of prose pieces for the fallback, each split to fit the model."""

    def __init__(
        self,
        translator: Translator,
        batch_size: int,
        progress: Progress | None,
        lengths: Lengths,
        cache: dict[str, str],
    ) -> None:
        self.translator = translator
        self.batch_size = batch_size
        self.progress = progress
        self.lengths = lengths
        self.limit = lengths.limit
        self.outputs = cache

    def translate(self, texts: Iterable[str]) -> None:
        """Translate the parts of `texts` not translated yet."""
        parts = [part for text in texts for part in fit(text, self.limit)]
        translate_distinct(
            parts, self.translator, self.batch_size, self.progress, self.outputs, self.lengths
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
        post.sentences[index] = [_source_of(seg) for seg in plan.segments]
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


def _source_of(segment: Segment) -> str:
    return "".join(piece.raw for piece in segment.pieces)


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
    segment = post.plans[index].segments[position]
    kind = "html" if post.plans[index].block.kind is BlockKind.HTML else "inline"
    env = post.post.body.env
    params = post.post.options.shortcode_params
    source = _source_of(segment)

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


def verbatim_words(text: str) -> list[str]:
    """Return words that lay `text` out exactly as it is, line for line."""
    words: list[str] = []
    for line in text.split("\n"):
        if words:
            words.append(LINE_BREAK)
        words.append(line)
    return words


def segment_sources(plan: BlockPlan) -> list[str]:
    """Return the Markdown source of each segment of a block, in order."""
    return [_source_of(seg) for seg in plan.segments]
