"""A target's i18n table and its record change together, whatever stops a run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_run import Killed, _faulty_replace

from translate.commands.run import run_project
from translate.commands.status import site_status
from translate.hugo.settings import Settings
from translate.hugo.site import open_project
from translate.translation.backends.simple import PseudoTranslator

HUGO = """defaultContentLanguage = "de"
[languages.de]
contentDir = "content/de"
[languages.fr]
contentDir = "content/fr"
"""
GERMAN = """home = "Startseite"

[posts]
one = "{{ .Count }} Beitrag"
other = "{{ .Count }} Beiträge"
"""
RECORD = "translation-memory/de-fr/i18n/fr.toml.json"


def table_site(root: Path) -> Path:
    """A site with German strings, no posts and no French table yet."""
    (root / "content/de").mkdir(parents=True)
    (root / "i18n").mkdir()
    (root / "hugo.toml").write_text(HUGO, encoding="utf-8")
    (root / "i18n/de.toml").write_text(GERMAN, encoding="utf-8")
    return root


def translate(root: Path) -> None:
    report = run_project(open_project(root, Settings(backend="pseudo")), PseudoTranslator)
    assert report.ok, [str(pair.table.error) for pair in report.pairs if pair.table]


def files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for folder in ("i18n", "translation-memory")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and not path.name.endswith(".tmp")
    }


def table_row_state(root: Path) -> str:
    [row] = [row for row in site_status(Settings(backend="pseudo"), root).rows]
    return row.state.value


@pytest.mark.parametrize("fault_at", [0, 1, 2], ids=["record-staged", "table", "record"])
def test_a_run_stopped_at_any_write_of_a_table_is_completed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault_at: int
) -> None:
    expected_site = table_site(tmp_path / "clean")
    translate(expected_site)
    expected = files(expected_site)
    assert table_row_state(expected_site) == "machine-translated"
    site = table_site(tmp_path / "killed")
    real = os.replace
    _faulty_replace(monkeypatch, fault_at, Killed())
    with pytest.raises(Killed):
        translate(site)
    monkeypatch.setattr(os, "replace", real)

    # Never the machine's text taken for a reviewer's, in between.
    assert table_row_state(site) in ("missing", "machine-translated")
    translate(site)

    assert files(site) == expected


def test_a_damaged_table_record_is_an_error_with_its_file(tmp_path: Path) -> None:
    site = table_site(tmp_path / "site")
    translate(site)
    (site / RECORD).write_text("{not json\n", encoding="utf-8")

    rows = site_status(Settings(backend="pseudo"), site).rows

    assert [(row.kind, row.state.value) for row in rows] == [("i18n", "error")]
    assert f"{RECORD}:1: not valid JSON" in rows[0].detail


def test_a_table_that_does_not_parse_fails_alone(tmp_path: Path) -> None:
    site = table_site(tmp_path / "site")
    shutil.copy(site / "i18n/de.toml", site / "i18n/fr.toml")
    (site / "i18n/fr.toml").write_text('home = "Accueil\n', encoding="utf-8")
    (site / "content/de/a.md").write_text("---\ntitle: A\n---\n\nText.\n", encoding="utf-8")

    report = run_project(open_project(site, Settings(backend="pseudo")), PseudoTranslator)

    [pair] = report.pairs
    assert pair.table is not None and pair.table.error is not None
    assert "i18n/fr.toml:1" in str(pair.table.error)
    assert (site / "content/fr/a.md").is_file()
    assert not report.ok
