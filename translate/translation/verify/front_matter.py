"""Compare front matter: only the translatable values may differ."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from translate.markdown.front_matter import (
    KeyPath,
    key_matches,
)
from translate.markdown.post import Post
from translate.translation.restore import MARKDOWN_FRONT_MATTER
from translate.translation.verify.items import markdown_structure
from translate.translation.verify.model import Comparison, norm_path, short


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def compare_front_matter(comparison: Comparison, keys: Sequence[str]) -> None:
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
    normal = norm_path(path)
    if isinstance(source, str) and isinstance(target, str) and key_matches(normal, keys):
        source_field = comparison.source.fields.get(normal)
        target_field = target_post.fields.get(normal)
        if source_field and target_field:
            comparison.fields.append((source_field, target_field))
        if normal in MARKDOWN_FRONT_MATTER:
            before, after = markdown_structure(source), markdown_structure(target)
            if before != after:
                comparison.add(
                    "markup-changed",
                    key_line(target_post, path),
                    f"{_dotted(path)} renders as {after} here but as {before} in the source "
                    "post; Hugo renders it as Markdown",
                )
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
    found_field = post.strings.get(norm_path(path))
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
