"""Where each post's translation stands, for `translate status` and CI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from translate.config import Settings
from translate.errors import TranslateError
from translate.memory import MemoryStore, track
from translate.run import page_collisions
from translate.site import POST_SUFFIXES, Site


class State(Enum):
    """The state of one post's translation."""

    MISSING = "missing"  # no translation yet
    MACHINE = "machine-translated"  # as the tool wrote it
    REVIEWED = "reviewed"  # a reviewer corrected it (or it was there before the tool)
    OUTDATED = "outdated"  # the source changed since; `translate run` updates it
    DIVERGED = "diverged"  # the source changed and the translation no longer lines up
    ORPHANED = "orphaned"  # a translation whose source post is gone
    ERROR = "error"  # a post or record that cannot be read

    @property
    def needs_work(self) -> bool:
        """Tell whether CI should fail on this state."""
        return self not in (State.MACHINE, State.REVIEWED)


@dataclass(frozen=True)
class PostStatus:
    """One row of `translate status`."""

    source: str | None  # relative to the site root; None for an orphaned translation
    target: str
    state: State
    detail: str = ""


def site_status(settings: Settings, site_root: Path) -> list[PostStatus]:
    """Return the state of every post of the site, sources first, then orphans."""
    site = Site(site_root, settings.source, settings.target, settings.content_dir)
    store = MemoryStore(site)
    rows: list[PostStatus] = []
    posts = site.posts()
    collisions = page_collisions(site, posts)
    for path in posts:
        source, target = site.show(path), site.show(site.sibling(path))
        if path in collisions:
            rows.append(PostStatus(source, target, State.ERROR, collisions[path].message))
            continue
        try:
            tracked = track(site, store, settings.translatable_keys, path, save=False)
        except TranslateError as error:
            rows.append(PostStatus(source, target, State.ERROR, str(error)))
            continue
        record = tracked.record
        if tracked.target_blocks is None:
            rows.append(PostStatus(source, target, State.MISSING))
        elif record is None:
            # Written before the tool, or records deleted, and not alignable: kept as is.
            detail = "no record, and its blocks do not line up with the source's"
            rows.append(PostStatus(source, target, State.REVIEWED, detail))
        elif not tracked.outdated:
            reviewed = record.reviewed or not tracked.aligned
            rows.append(PostStatus(source, target, State.REVIEWED if reviewed else State.MACHINE))
        elif tracked.aligned:
            rows.append(PostStatus(source, target, State.OUTDATED))
        else:
            rows.append(
                PostStatus(source, target, State.DIVERGED, "translation restructured by hand")
            )
    rows.extend(_orphans(site))
    return rows


def _orphans(site: Site) -> list[PostStatus]:
    """Find translations whose source post is gone (never deleted automatically)."""
    if not site.target_root.is_dir():
        return []
    rows = []
    for path in sorted(site.target_root.rglob("*")):
        if path.suffix not in POST_SUFFIXES or not path.is_file():
            continue
        source = site.source_root / path.relative_to(site.target_root)
        if not source.exists():
            rows.append(
                PostStatus(None, site.show(path), State.ORPHANED, f"{site.show(source)} is gone")
            )
    return rows
