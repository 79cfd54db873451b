"""What a record remembers of what its translation was made with, and what changed since.

A record keeps a fingerprint of each front matter value of the translation outside the
translatable keys (its settings: a date, a draft flag, a weight) and of each glossary entry
the source post uses. A reviewer's change to a setting, or a glossary entry added, removed
or changed since, is found by comparing them with the posts and the glossary as they are now.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from translate.markdown.front_matter import split_front_matter
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.schema import PostRecord, digest
from translate.translation.glossary import Glossary, Term

__all__ = [
    "changed_settings",
    "changed_terms",
    "glossary_terms",
    "settings_digest_v1",
    "settings_values",
    "terms_in",
]


# --- front matter outside the translatable keys --------------------------------------------


def settings_values(text: str, options: ReadingOptions) -> dict[str, str]:
    """Fingerprint each front matter value outside the translatable keys, by dotted path.

    The translation's own keys (its label) are no setting of the source's.
    """
    front_matter, _ = split_front_matter(text)
    translatable = {item.path for item in front_matter.fields(options.translatable_keys)}
    own = {(key,) for key in options.own_keys}
    values: dict[str, str] = {}

    def walk(data: object, here: tuple[str | int, ...]) -> None:
        if here in translatable or here in own:
            return
        children: Iterable[tuple[str | int, object]] = ()
        if isinstance(data, dict) and data:
            children = ((str(k), v) for k, v in data.items())
        elif isinstance(data, list) and data:
            children = enumerate(data)
        elif here:
            blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
            values[".".join(map(str, here))] = digest(blob)[:8]
        for key, value in children:
            walk(value, (*here, key))

    walk(front_matter.data(), ())
    return dict(sorted(values.items()))


def changed_settings(
    record: PostRecord, text: str, options: ReadingOptions, dropped: Sequence[str] = ()
) -> list[str]:
    """Name the target's front matter values outside the translatable keys changed since.

    A value the record had as a translatable block (`dropped`: a key taken out of the
    translatable keys since) is not a change: it comes back from the source. A version 1
    record cannot tell which value changed; it names them all as "*".
    """
    recorded = record.header.target_settings
    if not recorded:
        return []
    if "" in recorded:
        digest_v1 = settings_digest_v1(text, options.translatable_keys)
        return [] if recorded[""] == digest_v1 else ["*"]
    now = settings_values(text, options)
    # A value made translatable since is the translation's own now.
    front_matter, _ = split_front_matter(text)
    translatable = {
        ".".join(map(str, item.path)) for item in front_matter.fields(options.translatable_keys)
    }
    paths = (now.keys() - set(dropped)) | (recorded.keys() - translatable)
    return sorted(p for p in paths if now.get(p) != recorded.get(p))


def settings_digest_v1(text: str, keys: Sequence[str]) -> str:
    """Fingerprint all values outside the translatable keys at once, as version 1 did."""
    front_matter, _ = split_front_matter(text)
    translatable = {item.path for item in front_matter.fields(keys)}

    def strip(data: object, here: tuple[str | int, ...]) -> object:
        if isinstance(data, dict):
            return {
                str(k): strip(v, (*here, k))
                for k, v in data.items()
                if (*here, k) not in translatable
            }
        if isinstance(data, list):
            return [
                strip(v, (*here, i)) for i, v in enumerate(data) if (*here, i) not in translatable
            ]
        return data

    values = strip(front_matter.data(), ())
    return digest(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False))


# --- glossary ----------------------------------------------------------------------------


def glossary_terms(glossary: Glossary | None, text: str) -> dict[str, str]:
    """Return the glossary entries found in `text`: term -> a digest of its entry."""
    if glossary is None:
        return {}
    found = {match.term for match in glossary.find(text)}
    return {
        term.source: digest(json.dumps([term.source, term.target], ensure_ascii=False))[:8]
        for term in sorted(found, key=lambda term: term.source)
    }


def changed_terms(
    record: PostRecord, now: Mapping[str, str] | None, source: Post
) -> tuple[str, ...]:
    """Return the glossary terms added, removed or changed since the record, in the source."""
    recorded = record.header.terms
    if now is None or recorded is None:
        return ()
    changed = {t for t in now.keys() | recorded.keys() if now.get(t) != recorded.get(t)}
    return tuple(sorted({t for block in source.blocks for t in terms_in(block.source, changed)}))


def terms_in(text: str, terms: Iterable[str]) -> list[str]:
    """Return which of `terms` occur in `text`, matched as the glossary matches them."""
    wanted = sorted(set(terms))
    if not wanted:
        return []
    # A term removed from the glossary is matched too: as a name, which is all it takes.
    found = Glossary(Term(term, None, "record") for term in wanted).find(text)
    return sorted({match.term.source for match in found})
