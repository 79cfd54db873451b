"""`translate review --apply FILE`: write a reviewer's edits from the page into the posts.

Each edit names its post, its block and fingerprints of the source and the translation the
reviewer saw. It is written only if both are still as they were (else it is *stale*), and
only if the post with it passes the structural proof against its source (else it *breaks
structure*); each refusal names the post and line. An accepted edit replaces that block's
text and nothing else, and is written with its record, as `translate run` writes a post
(one journal): the record holds the edit as the reviewer's text of its block, so the memory
has it and later runs keep it. An approval goes through `translate approve`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import msgspec

from translate.commands.approve import approve
from translate.commands.label import labelled, machine_text
from translate.commands.review.align import align
from translate.commands.review.post import locked, replaced
from translate.errors import InternalError, PostError, SiteError, TranslateError
from translate.hugo.settings import Settings
from translate.hugo.site import Project
from translate.markdown.post import Post
from translate.records.learning import learn_block, normalize
from translate.records.schema import PostRecord, digest
from translate.records.store import RecordStore
from translate.records.tracking import Pairing, Standing, track
from translate.translation.glossary import Glossary
from translate.translation.verify import Difference, compare_posts

FORMAT = "hugo-translate/review/1"
ACTIONS = ("edit", "approve")


@dataclass(frozen=True)
class ReviewItem:
    """One edit or approval from a downloaded review."""

    number: int  # its position in the file, from 1, for messages
    post: str  # the source post, relative to the site root
    target: str  # the translation as the page showed it
    language: str
    block: str
    line: int | None
    source_hash: str
    target_hash: str
    action: str  # "edit" | "approve"
    text: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one item, where: "edited", "approved" or "unchanged" (the message
    names the block's kind), or "refused" (the message says why)."""

    item: ReviewItem
    status: Literal["edited", "approved", "unchanged", "refused"]
    path: str  # the translation
    line: int | None
    message: str

    @property
    def done(self) -> bool:
        """Tell whether the post holds the item's text now."""
        return self.status != "refused"


@dataclass
class ApplyReport:
    """Every item's outcome, and the translations written."""

    outcomes: list[Outcome] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Outcome]:
        """Return the items not applied."""
        return [outcome for outcome in self.outcomes if not outcome.done]


def read_review(path: Path) -> list[ReviewItem]:
    """Read a review file the page downloaded; raise TranslateError for one it did not."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TranslateError(f"cannot read: {error.strerror or error}", path=path) from None
    except UnicodeDecodeError:
        raise TranslateError("not UTF-8", path=path, hint=_HINT) from None
    except json.JSONDecodeError as error:
        raise TranslateError(
            f"not valid JSON: {error.msg}", path=path, line=error.lineno, hint=_HINT
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TranslateError(f"not a {FORMAT} file", path=path, hint=_HINT)
    entries = data.get("items")
    if not isinstance(entries, list):
        raise TranslateError("no list of items", path=path, hint=_HINT)
    return [_item(entry, number, path) for number, entry in enumerate(entries, start=1)]


_HINT = "use the file the review page's 'Download review' button saves"


def _item(entry: object, number: int, path: Path) -> ReviewItem:
    def bad(what: str) -> TranslateError:
        return TranslateError(f"item {number}: {what}", path=path, hint=_HINT)

    if not isinstance(entry, dict):
        raise bad("not an object")
    strings = {}
    for key in ("post", "target", "language", "block", "source_hash", "target_hash", "action"):
        value = entry.get(key)
        if not isinstance(value, str) or not value:
            raise bad(f"missing or bad {key!r}")
        strings[key] = value
    if strings["action"] not in ACTIONS:
        raise bad(f"unknown action {strings['action']!r}")
    text = entry.get("text")
    if strings["action"] == "edit" and not isinstance(text, str):
        raise bad("an edit without its 'text'")
    line = entry.get("line")
    return ReviewItem(
        number=number,
        line=line if isinstance(line, int) else None,
        text=text if isinstance(text, str) else None,
        **strings,
    )


def apply_review(project: Project, items: Sequence[ReviewItem]) -> ApplyReport:
    """Apply the items to the site's posts, post by post; see the module's docstring.

    Call it holding the lock of every pair's records. Items for one post are applied
    together or, if together they fail the proof, not at all.
    """
    report = ApplyReport()
    pairs = {settings.target: settings for settings in project.pairs()}
    groups: dict[tuple[str, str], list[ReviewItem]] = {}
    for item in items:
        groups.setdefault((item.language, item.post), []).append(item)
    for (language, _), group in groups.items():
        settings = pairs.get(language)
        if settings is None:
            report.outcomes += [
                _refused(item, item.target, item.line, f"no target language {language!r} here")
                for item in group
            ]
            continue
        try:
            _apply_post(project, settings, group, report)
        except Exception as error:  # this post's items fail; the other posts go on
            if not isinstance(error, TranslateError):
                error = InternalError(error, path=group[0].target)
            where = str(error.path) if error.path else group[0].target
            answered = {outcome.item.number for outcome in report.outcomes}
            report.outcomes += [
                _refused(item, where, error.line, str(error.message))
                for item in group
                if item.number not in answered
            ]
    report.outcomes.sort(key=lambda outcome: outcome.item.number)
    return report


def _refused(item: ReviewItem, path: str, line: int | None, message: str) -> Outcome:
    return Outcome(item, "refused", path, line, message)


@dataclass
class _Post:
    """One post being edited: its source and translation read, its record learned."""

    settings: Settings
    pairing: Pairing
    source_path: Path
    target_name: str
    record: PostRecord
    source: Post
    target: Post
    target_path: Path
    # What the translation's comparison with its source finds before any edit, once known.
    baseline: Counter[tuple[str, str]] | None = None

    @property
    def glossary(self) -> Glossary:
        return self.pairing.glossary or Glossary()


def _open_post(project: Project, settings: Settings, name: str) -> _Post:
    site = project.site(settings)
    path, is_source = site.locate(Path(name))
    if not is_source:
        raise SiteError("not a source post", path=name, hint="the review names source posts")
    glossary = Glossary.load(project.root / settings.glossary_dir, settings.source, settings.target)
    options = settings.reading(project.root)
    pairing = Pairing(site, RecordStore(site), options, glossary)
    tracked = track(pairing, path, save=True)
    target_name = site.show(tracked.target_path)
    if tracked.target_text is None:
        raise TranslateError("the translation does not exist", path=target_name)
    record = tracked.record
    if record is None or tracked.standing is Standing.UNALIGNED:
        raise TranslateError(
            "the translation no longer lines up with its source block by block",
            path=target_name,
            hint="edit the file itself",
        )
    target = tracked.target or Post.read(tracked.target_text, options)
    if len(target.blocks) != len(record.blocks):
        raise TranslateError("the translation does not line up with its record", path=target_name)
    source = tracked.read_source(options)
    return _Post(settings, pairing, path, target_name, record, source, target, tracked.target_path)


def _apply_post(
    project: Project, settings: Settings, items: Sequence[ReviewItem], report: ApplyReport
) -> None:
    post = _open_post(project, settings, items[0].post)
    edits: dict[int, tuple[ReviewItem, str]] = {}
    approvals: dict[int, ReviewItem] = {}
    seen: Counter[int] = Counter()
    located: list[tuple[ReviewItem, int]] = []
    for item in items:
        done = _already(post, item)
        if done is not None:  # the same review applied twice
            report.outcomes.append(done)
            continue
        index, problem = _locate(post, item)
        if index is None:
            report.outcomes.append(_refused(item, post.target_name, item.line, problem))
            continue
        seen[index] += 1
        located.append((item, index))
    for item, index in located:
        line = post.target.blocks[index].line
        if seen[index] > 1:
            report.outcomes.append(
                _refused(item, post.target_name, line, "several items for one block: keep one")
            )
        elif item.action == "approve":
            approvals[index] = item
        else:
            assert item.text is not None
            broken = _breaks(post, {index: item.text})
            if broken is not None:
                message = f"the edit breaks the post's structure: {broken.message} [{broken.code}]"
                report.outcomes.append(_refused(item, post.target_name, line, message))
            else:
                edits[index] = (item, item.text)
    if edits:
        _edit(post, edits, report)
    if approvals:
        _approve(post, approvals, report)


def _edit(post: _Post, edits: Mapping[int, tuple[ReviewItem, str]], report: ApplyReport) -> None:
    """Write a post's edits, which each passed the proof alone, if together they pass too."""
    texts = {index: text for index, (_, text) in edits.items()}
    broken = _breaks(post, texts)
    if broken is not None:  # each passes alone, not together
        for index, (item, _) in edits.items():
            report.outcomes.append(
                _refused(
                    item,
                    post.target_name,
                    post.target.blocks[index].line,
                    f"the post's edits together break its structure: {broken.message}",
                )
            )
        return
    _write(post, replaced(post.target, texts), texts)
    report.written.append(post.target_name)
    for index, (item, _) in sorted(edits.items()):
        block = post.target.blocks[index]
        report.outcomes.append(
            Outcome(item, "edited", post.target_name, block.line, _what(block.kind, block.key))
        )


def _approve(post: _Post, approvals: Mapping[int, ReviewItem], report: ApplyReport) -> None:
    """Approve blocks as they stand, as `translate approve` does."""
    keys = {post.target.blocks[index].key for index in approvals}
    label = post.settings.machine_translated_key
    try:
        approve(post.pairing, post.source_path, keys=keys, label=label)
    except PostError as error:  # the source changed since, say
        for index, item in approvals.items():
            line = post.target.blocks[index].line
            report.outcomes.append(_refused(item, post.target_name, line, error.message))
        return
    for index, item in sorted(approvals.items()):
        block, entry = post.target.blocks[index], post.record.blocks[index]
        status: Literal["approved", "unchanged"] = (
            "approved" if entry.machine or entry.needs_review else "unchanged"
        )
        what = _what(block.kind, block.key)
        report.outcomes.append(Outcome(item, status, post.target_name, block.line, what))


def _already(post: _Post, item: ReviewItem) -> Outcome | None:
    """Return an "unchanged" outcome for an edit the block already holds, else None."""
    index = _index(post.target, item.block)
    if item.action != "edit" or item.text is None or index is None:
        return None
    block = post.target.blocks[index]
    if normalize(block.source) != normalize(item.text):
        return None
    return Outcome(item, "unchanged", post.target_name, block.line, _what(block.kind, block.key))


def _index(post: Post, key: str) -> int | None:
    """Return the position of the block with `key` in a post, or None."""
    return next((i for i, block in enumerate(post.blocks) if block.key == key), None)


def _what(kind: str, key: str) -> str:
    return (
        key.removeprefix("front_matter:") if kind == "front_matter" else str(kind).replace("_", " ")
    )


def _locate(post: _Post, item: ReviewItem) -> tuple[int | None, str]:
    """Return the index of the item's block in the translation, or None and why it is stale."""
    hashes = [digest(block.source) for block in post.target.blocks]
    index = _index(post.target, item.block)
    if index is None or hashes[index] != item.target_hash:
        # The block may have moved (a block added above it): found by its text, if uniquely.
        found = [i for i, value in enumerate(hashes) if value == item.target_hash]
        if len(found) != 1:
            return None, (
                "stale: this block of the translation changed since the page was made; "
                "make the page again and redo the edit"
            )
        index = found[0]
    source = _source_block(post, index)
    if source is None or digest(source) != item.source_hash:
        return None, (
            f"stale: the {post.settings.source} source of this block changed since the page "
            "was made; make the page again and redo the edit"
        )
    why = locked(post.target, index)
    if why:
        return None, why
    return index, ""


def _source_block(post: _Post, index: int) -> str | None:
    """Return the source text of a translation block as translated, if it is still the same."""
    entry = post.record.blocks[index]
    recorded = [(b.key, b.kind, b.source) for b in post.record.blocks]
    now = [(b.key, str(b.kind), b.source) for b in post.source.blocks]
    for i, j in align(recorded, now):
        if i == index and j is not None:
            text = post.source.blocks[j].source
            return text if normalize(text) == normalize(entry.source) else None
    return None


def _breaks(post: _Post, texts: Mapping[int, str]) -> Difference | None:
    """Return what the edits break that the translation did not already break, if anything.

    The proof is `translate check`'s comparison with the source, in its reviewer-tolerant
    form: a difference the translation already had is not the edit's fault.
    """
    try:
        output = replaced(post.target, texts)
    except TranslateError as error:
        return Difference("structure-changed", error.line, error.message)

    def differences(target: str | Post) -> list[Difference]:
        try:
            comparison = compare_posts(post.source, target, glossary=post.glossary, tolerant=True)
        except TranslateError as error:
            return [Difference("structure-changed", error.line, f"does not parse: {error.message}")]
        return comparison.differences

    if post.baseline is None:
        post.baseline = Counter((d.code, d.message) for d in differences(post.target))
    before = post.baseline.copy()
    for difference in differences(output):
        key = (difference.code, difference.message)
        if before[key]:
            before[key] -= 1
            continue
        return difference
    return None


def _write(post: _Post, output: str, texts: Mapping[int, str]) -> None:
    """Write the edited translation and its record as one change (the record's journal).

    Each edit is learned as `translate run` learns a correction; with the site's
    machine-translation label, the label goes once no machine text is left.
    """
    blocks = list(post.record.blocks)
    for index, text in texts.items():
        blocks[index] = learn_block(blocks[index], text)
    record = msgspec.structs.replace(post.record, blocks=tuple(blocks))
    label = post.settings.machine_translated_key
    if label:
        output = labelled(output, label, machine_text(record))
    record = record.with_header(target_digest=digest(output))
    post.pairing.store.write(post.source_path, record, post.target_path, output)
