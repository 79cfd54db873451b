"""Compare the items of two bodies, block by block or over the whole body."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from translate.markdown.segmenter import DEFAULT_SHORTCODE_PARAMS
from translate.translation.glossary import Glossary
from translate.translation.links import NO_LINKS, LinkMap
from translate.translation.verify.items import (
    Item,
    Items,
    followed_back,
    glossary_names,
    inline_items,
)
from translate.translation.verify.model import Comparison, short


def compare_urls(comparison: Comparison, source: Items, target: Items) -> None:
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


def compare_references(comparison: Comparison, source: Items, target: Items) -> None:
    _compare_sequence(
        comparison, "reference-changed", source.of("reference"), target.of("reference")
    )


def compare_layout(comparison: Comparison, source: Items, target: Items) -> None:
    """Compare how the shortcodes that start a line are indented (see `items`)."""
    _compare_sequence(comparison, "structure-changed", source.of("layout"), target.of("layout"))


def compare_inline(comparison: Comparison, source: Items, target: Items, *, tolerant: bool) -> None:
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


def compare_protected_in_body(comparison: Comparison, source: Items, target: Items) -> None:
    """Compare protected content over the whole body when its blocks do not line up."""
    before = sorted(source.of("protected"), key=lambda item: item.value)
    after = sorted(target.of("protected"), key=lambda item: item.value)
    _compare_sequence(comparison, "protected-changed", before, after)


def _by_block(items: Iterable[Item]) -> dict[int, list[Item]]:
    grouped: dict[int, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.block, []).append(item)
    return grouped


def compare_names(comparison: Comparison, source: Items, target: Items, *, aligned: bool) -> None:
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


def compare_field_names(comparison: Comparison, glossary: Glossary) -> None:
    """Compare glossary names in each translatable front matter value."""
    for source_field, target_field in comparison.fields:
        before = glossary_names(source_field.value, glossary)
        after = glossary_names(target_field.value, glossary)
        _report_names(comparison, before, after, target_field.line)


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
    links: LinkMap = NO_LINKS,
) -> list[str]:
    """Compare one block's inline text with its translation, as `compare_posts` compares posts.

    `source` may be given as `inline_items` made it, when many translations of one block
    are checked. Return what differs (markup, protected spans, link targets other than
    those `links` maps, glossary names), if anything.
    """
    before = source if isinstance(source, Items) else inline_items(source, env, glossary, params)
    after = followed_back(inline_items(target, env, glossary, params, kind=before.kind), links)
    problems: list[str] = []
    for category in ("markup", "protected", "url"):
        old = [item.value for item in before.of(category)]
        new = [item.value for item in after.of(category)]
        if old != new:
            problems.append(f"{category}: {short(old)} became {short(new)}")
    if before.names[0] != after.names[0]:
        problems.append(f"names: {dict(before.names[0])} became {dict(after.names[0])}")
    return problems
