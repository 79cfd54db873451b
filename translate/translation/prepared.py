"""Prepare a read post for translation: its blocks cut into segments, and what is known.

`prepare_post` protects glossary names, follows the links that change with the language,
keeps heading ids and splits each block into sentences. The `PreparedPost` it returns is
what the rest of the pipeline fills in: `translate_posts` (`pipeline`) writes each block's
words, `render_verified` (`proving`) renders and proves them.

A block's translation may be partly known before any model runs: a reviewer's English of
its unchanged sentences, or the translation memory's. `Known` says which; only the rest
goes to the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from translate.markdown.document import LINE_BREAK, Block, BlockKind, Piece
from translate.markdown.options import DEFAULT_OPTIONS, ReadingOptions
from translate.markdown.post import Post
from translate.markdown.segmenter import EmbeddedParam
from translate.markdown.sentences import split_sentences
from translate.translation.glossary import Glossary
from translate.translation.links import NO_LINKS, LinkMap, apply_links, keep_heading_id
from translate.translation.protect import BlockPlan, apply_glossary, plan_block
from translate.translation.verify import Items

__all__ = ["Known", "PreparedPost", "prepare_post", "segment_sources", "verbatim_words"]


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
    block whose translation cannot be proved to `kept` (as `render_verified` does a block
    that only the whole post's proof rejects).
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
        """Return the words of a block known whole, if it is.

        A heading keeps its source's id here too: the known text is the heading's text
        alone, and an update that kept it without the id would break every link to it.
        """
        known = self.known.get(index)
        if known is None or known.text is None:
            return None
        block = self.plans[index].block
        kept = self.links.heading_ids.get(block.line) if block.kind is BlockKind.HEADING else None
        attribute = f" {{#{kept}}}"
        if kept and not known.text.rstrip().endswith(attribute.strip()):
            return verbatim_words(known.text.rstrip() + attribute)
        return verbatim_words(known.text)


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
    return ["".join(piece.raw for piece in seg.pieces) for seg in plan.segments]
