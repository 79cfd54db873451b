"""Hugo's i18n string tables of a language pair: added to in a run, shown by status and check.

`translate.hugo.i18n` reads a table, finds what another lacks and adds entries in place; this
module applies it to a site: which tables a pair has (the source language's and the
target's, each by its locale first, as Hugo looks them up), the record of what the tool
wrote, and what `translate status` and `translate check` say about them.

The record, `translation-memory/<pair>/i18n/<target table>.json`, names both tables, the
engine and the digest of the target table as written, and holds the text of every entry
the tool added, per plural form. An entry whose text is still what was written is
machine-translated; one whose text differs was reviewed. As with posts, the new record is
written first as pending, then the table, then the record takes the old one's place: a run
killed in between never leaves the machine's text recorded as a reviewer's, or the other
way round.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import RecordError, TranslateError
from translate.hugo.i18n import (
    PLURAL_FORMS,
    Table,
    add_entries,
    load_table,
    missing,
    new_table_path,
    protect,
    table_path,
    translate_missing,
)
from translate.hugo.site import Site
from translate.records import journal
from translate.records.learning import normalize
from translate.records.schema import digest
from translate.records.store import MEMORY_DIR

FORMAT = "hugo-translate/i18n/1"
Translate = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class TableRecord:
    """What the tool added to a target table: key -> plural form -> text written."""

    source: str  # the source table, relative to the site root
    target: str
    engine: str
    target_digest: str  # of the target table as the tool wrote it
    entries: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass
class TableResult:
    """What a run did to one target table."""

    source: str  # relative to the site root
    target: str
    added: list[str] = field(default_factory=list)  # keys added (or that would be)
    written: bool = False
    error: TranslateError | None = None


@dataclass(frozen=True)
class TableState:
    """Where a target table stands, for `translate status`."""

    source: str
    target: str
    keys: int  # messages of the source table
    missing: int  # of them wholly missing in the target
    machine: int  # entries still as the tool wrote them
    reviewed: int  # entries the tool wrote that a reviewer changed since
    engine: str = ""


@dataclass(frozen=True)
class TableProblem:
    """A problem of a target table, for `translate check`."""

    path: str
    line: int | None
    code: str  # i18n-missing, i18n-plural-missing, i18n-placeholder
    message: str


@dataclass(frozen=True)
class _Tables:
    source: Table
    target: Table | None
    target_path: Path  # where the target table is or goes


def _tables(site: Site) -> _Tables | None:
    """Read a pair's source table and its target table (None: not there yet)."""
    folder = site.root / site.config.i18n_dir
    source_path = table_path(folder, site.source, site.config.language(site.source).language_code)
    if source_path is None:
        return None
    source = load_table(source_path)
    locale = site.config.language(site.target).language_code
    found = table_path(folder, site.target, locale)
    target = load_table(found) if found is not None else None
    return _Tables(source, target, found or new_table_path(folder, site.target, source))


def record_path(site: Site, target: Path) -> Path:
    """Return where the record of a target table is kept."""
    folder = site.root / MEMORY_DIR / f"{site.source}-{site.target}" / "i18n"
    return folder / f"{target.name}.json"


# --- a run ----------------------------------------------------------------------------------


def update_tables(
    site: Site,
    translate: Callable[[], Translate],
    engine: Callable[[], str],
    *,
    dry_run: bool = False,
) -> TableResult | None:
    """Add the entries the target table lacks, translated, and record them.

    `translate` returns the translating function (loading a model only when something is
    missing); `engine` the signature to record. Existing entries are never changed.
    Returns None when the site has no table for the source language.
    """
    tables = _tables(site)
    if tables is None:
        return None
    result = TableResult(site.show(tables.source.path), site.show(tables.target_path))
    target_text = tables.target.text if tables.target is not None else None
    record = _reconcile(site, tables.target_path, target_text, save=not dry_run)
    result.added = [
        item.key for item in missing(tables.source, tables.target, site.target) if item.whole
    ]
    if dry_run or not result.added:
        return result
    entries = translate_missing(tables.source, tables.target, site.target, translate())
    text = add_entries(tables.target, entries, path=tables.target_path, like=tables.source)
    added = {entry.key: dict(entry.forms) for entry in entries}
    before = dict(record.entries) if record is not None else {}
    new = TableRecord(result.source, result.target, engine(), digest(text), {**before, **added})
    path = record_path(site, tables.target_path)
    journal.write_together(
        path, format_record(new), tables.target_path, text, show=site.show, what="table"
    )
    result.written = True
    return result


def _reconcile(site: Site, target: Path, text: str | None, *, save: bool) -> TableRecord | None:
    """Return a table's record, settling a pending one that an interrupted run left.

    A pending record whose digest is the table's on disk was written with it: it is the
    record. Otherwise the table was not written, and the pending record goes.
    """
    path = record_path(site, target)

    def describes(pending: Path) -> bool:
        staged = read_record(pending, site.show(pending))
        return text is not None and staged.target_digest == digest(text)

    found = journal.settle(path, describes, show=site.show, save=save, what="table")
    return read_record(found, site.show(found)) if found is not None else None


def format_record(record: TableRecord) -> str:
    """Serialise a table's record: one entry per line, keys sorted, no timestamps."""
    header = {
        "format": FORMAT,
        "source": record.source,
        "target": record.target,
        "engine": record.engine,
        "target_digest": record.target_digest,
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    for key in sorted(record.entries):
        forms = record.entries[key]
        ordered = {form: forms[form] for form in PLURAL_FORMS if form in forms}
        lines.append(json.dumps({"key": key, "forms": ordered}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def read_record(path: Path, name: str) -> TableRecord:
    """Read a table's record; a damaged one is an error with its file and line."""
    hint = "fix the line, or restore the file from git; deleting it only loses the marks"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(f"cannot read: {error}", path=name, hint=hint) from None
    items: list[dict[str, object]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(f"not valid JSON: {error.msg}", path=name, line=number) from None
        if not isinstance(item, dict) or (not items and item.get("format") != FORMAT):
            raise RecordError(f"not a {FORMAT} record", path=name, line=number, hint=hint)
        items.append(item)
    if not items:
        raise RecordError("empty record", path=name, line=1, hint=hint)
    header, *rows = items
    entries: dict[str, dict[str, str]] = {}
    for row in rows:
        forms = row.get("forms")
        if not isinstance(row.get("key"), str) or not isinstance(forms, dict):
            raise RecordError("an entry needs a key and its forms", path=name, hint=hint)
        entries[str(row["key"])] = {str(k): str(v) for k, v in forms.items()}
    return TableRecord(
        str(header.get("source", "")),
        str(header.get("target", "")),
        str(header.get("engine", "")),
        str(header.get("target_digest", "")),
        entries,
    )


# --- status and check -----------------------------------------------------------------------


def table_state(site: Site) -> TableState | None:
    """Return where a pair's target table stands, or None without a source table."""
    tables = _tables(site)
    if tables is None:
        return None
    target = tables.target
    record = _reconcile(site, tables.target_path, target.text if target else None, save=False)
    lacking = [item for item in missing(tables.source, target, site.target) if item.whole]
    machine = reviewed = 0
    if record is not None and target is not None:
        for key, forms in record.entries.items():
            entry = target.entries.get(key)
            if entry is None:
                continue
            same = all(
                normalize(entry.forms.get(form, "")) == normalize(text)
                for form, text in forms.items()
            )
            machine, reviewed = (machine + 1, reviewed) if same else (machine, reviewed + 1)
    return TableState(
        site.show(tables.source.path),
        site.show(tables.target_path),
        len(tables.source.entries),
        len(lacking),
        machine,
        reviewed,
        record.engine if record is not None else "",
    )


def check_tables(site: Site) -> list[TableProblem]:
    """Report keys the target table lacks and placeholders its entries changed."""
    tables = _tables(site)
    if tables is None:
        return []
    source, target = tables.source, tables.target
    name = site.show(tables.target_path)
    problems: list[TableProblem] = []
    for item in missing(source, target, site.target):
        line = source.entries[item.key].line
        where = f"{site.show(source.path)}:{line}" if line else site.show(source.path)
        if item.whole:
            problems.append(
                TableProblem(
                    name,
                    None,
                    "i18n-missing",
                    f"no {item.key!r} (in {where}): Hugo shows the source language's text",
                )
            )
        else:
            assert target is not None
            problems.append(
                TableProblem(
                    name,
                    target.entries[item.key].line,
                    "i18n-plural-missing",
                    f"{item.key!r} lacks the plural form(s) {', '.join(item.forms)} that "
                    f"{site.target!r} uses",
                )
            )
    for key, entry in (target.entries if target is not None else {}).items():
        original = source.entries.get(key)
        if original is not None:
            problems += _placeholders(name, entry.line, key, original.forms, entry.forms)
    return problems


def _placeholders(
    name: str,
    line: int | None,
    key: str,
    source: Mapping[str, str],
    target: Mapping[str, str],
) -> list[TableProblem]:
    """Compare an entry's template actions and printf verbs with its source's.

    `other` (and a flat string) must keep every placeholder of the source's `other`; any
    form may use only placeholders the source uses in some form (a French `one` may show
    the count that a German `one` spells out).
    """
    allowed = {span for text in source.values() for span in _spans(text)}
    problems: list[TableProblem] = []
    for form, text in target.items():
        spans = _spans(text)
        added = [span for span in spans if span not in allowed]
        lost = (
            [span for span in _spans(source["other"]) if span not in spans]
            if form == "other" and "other" in source
            else []
        )
        for span, what in [(s, "not in the source") for s in added] + [
            (s, "missing") for s in lost
        ]:
            where = f" ({form})" if len(target) > 1 else ""
            problems.append(
                TableProblem(name, line, "i18n-placeholder", f"{key!r}{where}: {span} is {what}")
            )
    return problems


def _spans(text: str) -> list[str]:
    """Return the Go template actions and printf verbs of a message."""
    return [span for span in protect(text).spans if span.startswith(("{{", "%"))]
