"""What the records say a reviewer must still look at: blocks marked *needs review*.

An update that had to replace English a person wrote (its German sentence changed) marks
the block; `translate check` names each such block at its line in the translation, until a
reviewer edits it or approves it (`translate approve`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError
from translate.hugo.site import Site, read_post
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.store import RecordStore


@dataclass(frozen=True)
class Mark:
    """A block of a translation that waits for a reviewer."""

    path: str  # the translation, relative to the site root
    line: int | None
    message: str


def needs_review(site: Site, sources: Iterable[Path], options: ReadingOptions) -> list[Mark]:
    """Return the blocks of the translations of `sources` that need review.

    Posts or records that cannot be read are passed over: their problems are reported
    where they are checked.
    """
    store = RecordStore(site)
    marks: list[Mark] = []
    for source in sources:
        target = site.sibling(source)
        try:
            record = store.load(source)
            if record is None or not record.needs_review or not target.is_file():
                continue
            translation = Post.read(read_post(target), options)
            lines = {block.key: block.line for block in translation.blocks}
        except TranslateError:
            continue
        for block in record.needs_review:
            replaced = " ".join((block.replaced or "").split())
            shown = replaced if len(replaced) <= 60 else replaced[:59] + "…"
            marks.append(
                Mark(
                    site.show(target),
                    lines.get(block.key),
                    f"translated again: its German changed, and the update replaced reviewed "
                    f"English ({shown!r}); edit it or run `translate approve "
                    f"{site.show(target)}`",
                )
            )
    return marks
