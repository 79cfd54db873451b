"""Is the run going the right way? The source posts must be in the source language.

Run with `--from en` on a site whose English posts are translations of German ones, and
the German originals would be taken for translations and recorded as reviewed. Two signs
give it away, both checked before anything is translated:

- the posts to translate read as another language than the source (py3langid): most of
  them, and the pair is refused; one of them (a Dutch post among German ones), a warning;
- the tool's own records say the source posts are translations: the reverse pair's records
  (`translation-memory/<target>-<source>/`) name them as written from the target language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from translate.errors import ConfigError
from translate.hugo.site import Site
from translate.records.store import MEMORY_DIR, RecordStore
from translate.records.tracking import Tracked
from translate.translation.language import identify_any

# Below this many identified posts, no verdict on the whole pair: warnings only.
_ENOUGH = 3


def check_direction(site: Site, posts: Sequence[Tracked]) -> list[str]:
    """Return warnings for source posts in another language; raise ConfigError for a pair
    whose posts (those to translate) are mostly in another language."""
    found: dict[str, str] = {}
    for state in posts:
        reading = state.source
        text = "\n".join(block.source for block in reading.blocks) if reading else state.source_text
        language = identify_any(text)
        if language is not None:
            found[site.show(state.path)] = language
    others = Counter(language for language in found.values() if language != _base(site.source))
    if others and len(found) >= _ENOUGH:
        language, count = others.most_common(1)[0]
        if count * 2 > len(found):
            raise ConfigError(
                f"the {site.source} posts to translate read as {language!r}, not "
                f"{site.source!r} ({count} of {len(found)})",
                path=site.show(site.source_root),
                hint=f"is the source language right? Run with --from {language} if the "
                f"originals are in {site.show(site.source_root)}/, or move the posts",
            )
    return [
        f"{path}: reads as {language!r}, not {site.source!r}; translated as {site.source!r}"
        for path, language in found.items()
        if language != _base(site.source)
    ]


def check_reverse(site: Site, posts: Sequence[Path]) -> None:
    """Refuse a pair whose source posts the reverse pair's records name as its translations.

    Checked before anything is read or recorded: the originals would be adopted as reviewed
    translations.
    """
    reverse = site.root / MEMORY_DIR / f"{site.target}-{site.source}" / "records"
    if not posts or not reverse.is_dir():
        return
    store = RecordStore(Site(site.root, site.target, site.source, site.config))
    written = {
        record.target_path
        for record in store.records(skip_damaged=True)
        if not record.header.unaligned
    }
    ours = [site.show(path) for path in posts if site.show(path) in written]
    if ours and len(ours) * 2 >= len(posts):
        raise ConfigError(
            f"{ours[0]} and {len(ours) - 1} more are translations from {site.target!r} "
            f"(recorded in {MEMORY_DIR}/{site.target}-{site.source}/), not {site.source!r} "
            "originals",
            hint=f"translate from {site.target!r} into {site.source!r}: --from {site.target}",
        )


def _base(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()
