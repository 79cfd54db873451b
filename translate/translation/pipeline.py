"""Translate many posts at once: collect, deduplicate, batch, translate, restore, verify.

Everything here is pure except the translator it is handed: posts come in as text and go
out as text. Reading and writing files is `site`'s and `writer`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from translate.errors import PostError
from translate.markdown.document import LINE_BREAK, Block
from translate.markdown.front_matter import (
    DEFAULT_TRANSLATABLE_KEYS,
    FrontMatter,
    shortcode_params,
    split_front_matter,
)
from translate.markdown.segmenter import (
    DEFAULT_SHORTCODE_PARAMS,
    Body,
    EmbeddedParam,
    inline_pieces,
    parse_body,
    render_body,
    skipped_reason,
)
from translate.markdown.sentences import split_sentences
from translate.translation.backends import Backend, Translator
from translate.translation.glossary import Glossary
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
    parsed_post,
    verify_post,
)

Progress = Callable[[int], None]


@dataclass
class PreparedPost:
    """A post cut into blocks and segments, ready for translation."""

    name: str  # for messages: usually the file's path
    text: str
    front_matter: FrontMatter
    body: Body
    field_paths: list[tuple[str | int, ...]]
    plans: list[BlockPlan]  # front matter values first, then body blocks
    glossary: Glossary = field(default_factory=Glossary)
    keys: tuple[str, ...] = DEFAULT_TRANSLATABLE_KEYS
    # Filled by `translate_posts`: block index -> words of the translation.
    words: dict[int, list[str]] = field(default_factory=dict)
    # Blocks whose translation is known before any model runs (kept reviewed English,
    # the translation memory): block index -> words. `translate_posts` leaves them alone.
    fixed: dict[int, list[str]] = field(default_factory=dict)
    # Blocks whose translation could not be verified and were kept as they were.
    kept: list[Block] = field(default_factory=list)
    shortcode_params: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_SHORTCODE_PARAMS)
    )
    # Blocks that are shortcode parameters (block index -> where they stand).
    embedded: dict[int, EmbeddedParam] = field(default_factory=dict)
    # What the check of a block's translation compares, of its source (block key -> items).
    source_items: dict[str, Items] = field(default_factory=dict)

    @property
    def blocks(self) -> list[Block]:
        """Return all translatable blocks, front matter values first."""
        return [plan.block for plan in self.plans]


def prepare_post(
    text: str,
    *,
    language: str,
    glossary: Glossary | None = None,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
    name: str = "<post>",
) -> PreparedPost:
    """Split a post into front matter values and body blocks, and plan their segments.

    `keys` are the translatable front matter keys and shortcode parameters.
    """
    params = shortcode_params(keys)
    glossary = glossary or Glossary()
    front_matter, body_text = split_front_matter(text)
    fields = front_matter.fields(keys)
    blocks: list[Block] = []
    for item in fields:
        path = ".".join(str(part) for part in item.path)
        pieces = apply_glossary(inline_pieces(item.value), glossary)
        blocks.append(Block(f"front_matter:{path}", "front_matter", item.line, item.value, pieces))
    offset = front_matter.text.count("\n")
    body = parse_body(body_text, line_offset=offset, shortcode_params=params)
    for block in body.blocks:
        blocks.append(
            Block(
                block.key,
                block.kind,
                block.line,
                block.source,
                apply_glossary(block.pieces, glossary),
                block.wrap_width,
            )
        )

    def split(plain: str) -> list[tuple[int, int]]:
        return split_sentences(plain, language)

    plans = [plan_block(block, split) for block in blocks]
    post = PreparedPost(
        name, text, front_matter, body, [f.path for f in fields], plans, glossary, tuple(keys)
    )
    post.shortcode_params = params
    post.embedded = {
        len(fields) + index: replace(param, block=len(fields) + param.block)
        for index, param in body.embedded.items()
    }
    # Blocks whose text could not be found on their lines (tabs, odd nesting) are kept.
    post.kept.extend(body.blocks[index] for index in body.skipped)
    return post


def translate_posts(
    posts: Sequence[PreparedPost],
    translator: Translator,
    *,
    batch_size: int = 16,
    progress: Progress | None = None,
    cache: dict[str, str] | None = None,
) -> None:
    """Translate every segment of `posts` once, in length-sorted batches, and restore them.

    Distinct segments are translated once however often they occur; `cache` (model input
    -> output) carries that across calls. A segment whose protected markers do not come
    back intact is translated again piece by piece.
    """
    if not any(needs_translation(post) for post in posts):
        return
    cache = {} if cache is None else cache
    lengths = _Lengths(translator)
    limit = lengths.limit
    segments = [seg for post in posts for plan in _open_plans(post) for seg in plan.segments]
    whole = [seg for seg in segments if limit is None or limit(seg.text)]
    outputs = _translate_distinct(
        [seg.text for seg in whole], translator, batch_size, progress, cache, lengths
    )
    # Keyed by the segment, not its text: `*x*` and `**x**` read the same to the model, but
    # each gets its own markup back.
    restored: dict[Segment, list[Chunk] | None] = {}
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
        if index not in post.fixed
        and not _restore_block(post, index, post.plans[index], outputs, restored, pieces)
    ]
    pieces.translate(
        text
        for post, index in retry
        for seg in post.plans[index].segments
        for text in seg.fallback_texts()
    )
    for post, index in retry:
        if not _restore_block(post, index, post.plans[index], outputs, {}, pieces):
            post.kept.append(post.plans[index].block)


def _open_plans(post: PreparedPost) -> list[BlockPlan]:
    """Return the plans of the blocks that still need a translation."""
    return [plan for index, plan in enumerate(post.plans) if index not in post.fixed]


def needs_translation(post: PreparedPost) -> bool:
    """Tell whether any block of `post` must go through a translator."""
    return any(plan.segments for plan in _open_plans(post))


class _PieceTranslations:
    """Translations of prose pieces for the fallback, each split to fit the model."""

    def __init__(
        self,
        translator: Translator,
        batch_size: int,
        progress: Progress | None,
        lengths: _Lengths,
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
        parts = [part for text in texts for part in _fit(text, self.limit)]
        _translate_distinct(
            parts, self.translator, self.batch_size, self.progress, self.outputs, self.lengths
        )

    def __call__(self, text: str) -> str:
        return " ".join(self.outputs[part] for part in _fit(text, self.limit))


def _restore_block(
    post: PreparedPost,
    index: int,
    plan: BlockPlan,
    outputs: dict[str, str],
    restored: dict[Segment, list[Chunk] | None],
    pieces: _PieceTranslations,
) -> bool:
    """Put a block's translation together; False if it must be rebuilt from pieces."""
    shortcodes = _translated_shortcodes(post, index)
    if (
        not shortcodes
        and restored
        and all(outputs.get(seg.text) == seg.text for seg in plan.segments)
    ):
        return True  # nothing changed (identity, or an all-protected block)
    block = plan.block
    chunks: list[Chunk] = []
    for part in plan.parts:
        if not isinstance(part, Segment):
            chunks.extend(glue_chunks(part))
            continue
        whole = restored.get(part)
        if whole is None:
            whole = restore_by_pieces(part, [pieces(text) for text in part.fallback_texts()])
        chunks.extend(whole)
    if shortcodes:
        chunks = [
            Chunk(shortcodes[c.text], c.kind, c.what) if c.text in shortcodes else c for c in chunks
        ]
    words = block_words(block, chunks)
    laid_out = " ".join(words).replace(f" {LINE_BREAK} ", "\n")
    if not keeps_protected(block, laid_out, post):
        return False
    post.words[index] = words
    return True


def _restore_order(post: PreparedPost) -> list[int]:
    """Return the block indexes to restore: shortcode parameters before their shortcodes."""
    return sorted(range(len(post.plans)), key=lambda index: (index not in post.embedded, index))


def _translated_shortcodes(post: PreparedPost, index: int) -> dict[str, str]:
    """Return block `index`'s shortcodes whose parameters were translated: old -> new text.

    A value that cannot be written back the way Hugo reads it keeps its source text, and
    its block is reported as kept.
    """
    edits: dict[str, list[tuple[int, int, str]]] = {}
    for param_index, param in post.embedded.items():
        if param.block != index:
            continue
        words = post.words.get(param_index, post.fixed.get(param_index))
        if words is None:
            continue
        value = " ".join(word for word in words if word != LINE_BREAK)
        source = shortcode_value(value, param.quote)
        if source is None:
            post.words.pop(param_index, None)
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

    The same comparison as the whole-post check (`verify`), on one block's inline text:
    markup, protected spans, link targets and glossary names, found by the glossary's own
    matcher (a name wrapped across two lines included).
    """
    source = post.source_items.get(block.key)
    if source is None:
        source = block_items(block, post.body.env, post.glossary, post.shortcode_params)
        post.source_items[block.key] = source
    return not inline_differences(
        source, translation, post.body.env, post.glossary, post.shortcode_params
    )


def render_post(post: PreparedPost) -> str:
    """Return the translated post: new front matter values and body text in place."""
    fields = len(post.field_paths)
    translated = {**post.words, **post.fixed}
    values = {
        post.field_paths[index]: " ".join(w for w in words if w != LINE_BREAK)
        for index, words in translated.items()
        if index < fields
    }
    changed = {
        path: v
        for path, v in values.items()
        if v != post.blocks[post.field_paths.index(path)].source
    }
    front = post.front_matter.replace(changed) if changed else post.front_matter.text
    body_words = {index - fields: words for index, words in translated.items() if index >= fields}
    return front + render_body(post.body, body_words)


def kept_reason(block: Block) -> str:
    """Say why a block was kept in the source language, for a warning."""
    reason = skipped_reason(block)
    if reason is not None:
        return reason
    return (
        f"kept untranslated: its translation would have changed more than the prose of this "
        f"{block.kind.replace('_', ' ')}"
    )


# How many times a post whose rendering fails the check is rendered again with one more
# block kept in the source language, before the post is given up.
_REPAIR_ATTEMPTS = 8


def render_verified(post: PreparedPost) -> str:
    """Render the post and prove it differs from its source in prose only.

    Blocks pass their own check when translated; what only the whole post shows (a
    translated line that starts a list, a cell that breaks its table) is found here. The
    block nearest to each difference is then kept in the source language (and listed in
    `post.kept`), and the post checked again. Raise PostError if it cannot be made right.
    """
    output = render_post(post)
    # The source was parsed when the post was prepared: only the output is parsed here.
    source = parsed_post(post.text, post.front_matter, post.body, post.keys)
    differences = verify_post(source, output, post.glossary, post.keys)
    attempts = 0
    while differences and attempts < _REPAIR_ATTEMPTS:
        attempts += 1
        culprit = _nearest_translated_block(post, differences[0])
        if culprit is None:
            break
        del post.words[culprit]
        post.kept.append(post.blocks[culprit])
        output = render_post(post)
        differences = verify_post(source, output, post.glossary, post.keys)
    if differences:
        raise PostError(
            f"translation not written: {'; '.join(map(str, differences[:3]))}",
            hint="check the kept translation of unchanged blocks for edited links or code; "
            "otherwise report this with the post attached",
        )
    return output


def _nearest_translated_block(post: PreparedPost, difference: Difference) -> int | None:
    """Return the translated block whose source line is nearest to a difference's line."""
    candidates = [index for index in post.words if index not in post.fixed]
    if not candidates:
        return None
    line = difference.line or 0
    return min(candidates, key=lambda index: (abs(post.blocks[index].line - line), index))


# --- batching ------------------------------------------------------------------------------


def _translate_distinct(
    texts: Sequence[str],
    translator: Translator,
    batch_size: int,
    progress: Progress | None,
    cache: dict[str, str],
    length: Callable[[str], int] = len,
) -> dict[str, str]:
    """Translate each distinct text not in `cache` once, shortest first, `batch_size` at a time.

    Sorting by `length` keeps padding in a batch small: a batch costs as much as its
    longest member. Returns the translations of `texts`; `cache` gains the new ones.
    """
    distinct = sorted({t for t in texts if t not in cache}, key=lambda t: (length(t), t))
    for batch in _batches(distinct, batch_size):
        outputs = translator.translate(batch)
        if len(outputs) != len(batch):
            raise RuntimeError(
                f"translator returned {len(outputs)} results for {len(batch)} inputs"
            )
        cache.update(zip(batch, outputs, strict=True))
        if progress is not None:
            progress(len(batch))
    return {text: cache[text] for text in texts}


def _batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + max(1, size)])


def count_segments(posts: Sequence[PreparedPost]) -> int:
    """Return how many distinct segments `posts` will send to a translator (at least)."""
    return len({seg.text for post in posts for plan in _open_plans(post) for seg in plan.segments})


class _Lengths:
    """Measure texts as the model does, in tokens, when the translator can count them.

    Batches are sorted by this length: texts of equal character length can differ two-fold
    in tokens, and a batch costs as much as its longest member. Each text is measured once.
    """

    def __init__(self, translator: Translator) -> None:
        # A bare `Translator` (a list of strings in and out) is measured in characters.
        backend = translator if isinstance(translator, Backend) else None
        self._count: Callable[[str], int] | None = backend.count_tokens if backend else None
        limit = backend.max_input_tokens if backend else None
        self._max = limit if isinstance(limit, int) else None
        self._known: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if self._count is None:
            return len(text)
        if text not in self._known:
            self._known[text] = int(self._count(text))
        return self._known[text]

    @property
    def limit(self) -> Callable[[str], bool] | None:
        """Return a test for "fits the model's input", if the model has a limit."""
        if self._max is None:
            return None
        maximum = self._max
        return lambda text: self(text) <= maximum


_CLAUSE = re.compile(r"(?<=[,;:])\s+")


def _fit(text: str, fits: Callable[[str], bool] | None) -> list[str]:
    """Split `text` into parts that fit the model, at clause and then word boundaries.

    Opus-MT cannot take more than 512 tokens; a longer input would be cut off silently.
    """
    if fits is None or fits(text):
        return [text]
    for separator in (_CLAUSE, re.compile(r"\s+")):
        parts = [part for part in separator.split(text) if part]
        if len(parts) > 1:
            return _greedy(parts, fits)
    # A single "word" too long for the model (a huge token run): halve it.
    middle = len(text) // 2
    return _fit(text[:middle], fits) + _fit(text[middle:], fits)


def _greedy(parts: Sequence[str], fits: Callable[[str], bool]) -> list[str]:
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if fits(candidate):
            current = candidate
            continue
        if current:
            out.append(current)
        if fits(part):
            current = part
        else:
            out.extend(_fit(part, fits))
            current = ""
    if current:
        out.append(current)
    return out


@dataclass(frozen=True)
class BlockText:
    """A block as it stands in a post: where, what kind, and its text."""

    key: str
    kind: str
    line: int
    text: str


def read_blocks(text: str, keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS) -> list[BlockText]:
    """Return a post's translatable blocks in order: front matter values, then the body."""
    front_matter, body_text = split_front_matter(text)
    blocks = [
        BlockText(f"front_matter:{'.'.join(map(str, f.path))}", "front_matter", f.line, f.value)
        for f in front_matter.fields(keys)
    ]
    body = parse_body(
        body_text,
        line_offset=front_matter.text.count("\n"),
        shortcode_params=shortcode_params(keys),
    )
    blocks.extend(BlockText(b.key, b.kind, b.line, b.source) for b in body.blocks)
    return blocks


def verbatim_words(text: str) -> list[str]:
    """Return words that lay `text` out exactly as it is, line for line."""
    words: list[str] = []
    for line in text.split("\n"):
        if words:
            words.append(LINE_BREAK)
        words.append(line)
    return words
