"""Compare a translated post with its source: the entry points."""

from __future__ import annotations

from collections.abc import Sequence

from translate.errors import PostError
from translate.markdown.front_matter import (
    DEFAULT_TRANSLATABLE_KEYS,
)
from translate.markdown.post import Post
from translate.translation.glossary import Glossary
from translate.translation.links import NO_LINKS, LinkMap
from translate.translation.verify.compare import (
    compare_field_names,
    compare_inline,
    compare_layout,
    compare_names,
    compare_protected_in_body,
    compare_references,
    compare_urls,
)
from translate.translation.verify.front_matter import compare_front_matter
from translate.translation.verify.items import collect, followed_back, translatable_params
from translate.translation.verify.model import Comparison, Difference, parse_post
from translate.translation.verify.structure import compare_structure


def compare_posts(
    source: str | Post,
    target: str | Post,
    *,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
    glossary: Glossary | None = None,
    tolerant: bool = False,
    links: LinkMap = NO_LINKS,
) -> Comparison:
    """Compare a translation with its source post; see the package's docstring.

    Posts given as text are read with `keys` and Hugo's default Markdown options; read
    posts carry their own. With `tolerant`, protected spans and emphasis may move within
    their block, as a reviewer's rewording moves them; without it (what `translate run`
    writes) they must come in the same order. `links` names the link destinations the
    translation may have changed and the heading ids it may have written out
    (`translation.links`). Raise PostError if a post cannot be parsed.
    """
    source_post = source if isinstance(source, Post) else parse_post(source, keys)
    options = source_post.options
    target_post = target if isinstance(target, Post) else Post.read(target, options)
    return source_post.reading(
        lambda: _compare(source_post, target_post, glossary or Glossary(), tolerant, links)
    )


def _compare(
    source: Post, target: Post, glossary: Glossary, tolerant: bool, links: LinkMap
) -> Comparison:
    keys = source.options.translatable_keys
    prose = translatable_params(source.options.shortcode_params)
    comparison = Comparison(source, target)
    compare_front_matter(comparison, keys)
    aligned = compare_structure(comparison, links)
    source_items = collect(source, glossary, prose)
    target_items = followed_back(collect(target, glossary, prose), links)
    compare_urls(comparison, source_items, target_items)
    compare_references(comparison, source_items, target_items)
    compare_layout(comparison, source_items, target_items)
    if aligned:
        comparison.blocks = list(zip(source.body.blocks, target.body.blocks, strict=True))
        compare_inline(comparison, source_items, target_items, tolerant=tolerant)
    else:
        compare_protected_in_body(comparison, source_items, target_items)
    compare_names(comparison, source_items, target_items, aligned=aligned)
    compare_field_names(comparison, glossary)
    comparison.differences.sort(key=lambda d: d.line or 0)
    return comparison


def verify_post(
    source: str | Post,
    output: str | Post,
    glossary: Glossary | None = None,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
    links: LinkMap = NO_LINKS,
) -> list[Difference]:
    """Return what differs between a post and its translation other than prose (strictly).

    A translation that cannot be parsed at all is one difference.
    """
    try:
        comparison = compare_posts(source, output, keys=keys, glossary=glossary, links=links)
    except PostError as error:
        return [Difference("structure-changed", error.line, f"does not parse: {error.message}")]
    return comparison.differences
