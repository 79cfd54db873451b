"""A run over many posts: groups bound memory, and each distinct segment is translated once."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from translate.commands import run
from translate.commands.run import Outcome, run_site
from translate.commands.status import site_status
from translate.hugo.settings import Settings
from translate.translation.backends.simple import PseudoTranslator


class Counting(PseudoTranslator):
    """Pseudo-translate and remember every input."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.seen.extend(texts)
        return super().translate(texts)


def test_posts_go_in_groups_and_share_one_translation_per_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "SEGMENTS_PER_GROUP", 4)
    for n in range(5):
        post = tmp_path / f"content/de/post/p{n}.md"
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(f"---\ntitle: Titel {n}\n---\n\nDer gleiche Satz.\n\nSatz {n}.\n", "utf-8")
    translator = Counting()
    loads: list[int] = []

    def make() -> Counting:
        loads.append(1)
        return translator

    report = run_site(Settings(backend="pseudo"), tmp_path, make)

    assert [r.outcome for r in report.results] == [Outcome.WRITTEN] * 5
    assert loads == [1]
    assert translator.seen.count("Der gleiche Satz.") == 1
    assert len(translator.seen) == len(set(translator.seen)) == 11


# --- a post and its record change together -------------------------------------------------

POSTS = {
    # Translated before, reviewed, then its source changed: an update keeps the correction.
    "reviewed": "---\ntitle: Geprüft\n---\n\nErster Absatz.\n\nZweiter Absatz.\n",
    # Translated before, reviewed in the block that then changed: it retires the correction.
    "retiring": "---\ntitle: Ersetzt\n---\n\nDieser Absatz wird ersetzt.\n\nDer Rest bleibt.\n",
    # Translated before, nobody touched it, its source changed.
    "machine": "---\ntitle: Maschine\n---\n\nNur Maschine.\n\nNoch ein Satz.\n",
    # Translated before and unchanged.
    "unchanged": "---\ntitle: Gleich\n---\n\nNichts ändert sich.\n",
}
NEW_POSTS = {
    "new": "---\ntitle: Neu\n---\n\nEin neuer Beitrag.\n\nZweiter Absatz.\n",
    "also-new": "---\ntitle: Auch neu\n---\n\nNoch ein neuer Beitrag.\n",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _pseudo(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


def _translate(site: Path) -> None:
    report = run_site(Settings(backend="pseudo"), site, PseudoTranslator)
    assert report.ok, [str(r.error) for r in report.results if r.error]


@pytest.fixture
def before_a_run(tmp_path: Path) -> Path:
    """A site where the next run writes new posts, updates reviewed ones and learns."""
    site = tmp_path / "initial"
    for name, text in POSTS.items():
        _write(site / f"content/de/post/{name}.md", text)
    _translate(site)
    english, german = site / "content/en/post", site / "content/de/post"
    _edit(english / "reviewed.md", _pseudo("Erster Absatz."), "First paragraph, reviewed.")
    _edit(german / "reviewed.md", "Zweiter Absatz.", "Zweiter Absatz, geändert.")
    _edit(english / "retiring.md", _pseudo("Dieser Absatz wird ersetzt."), "Replaced, reviewed.")
    _edit(german / "retiring.md", "wird ersetzt", "wurde ersetzt")
    _edit(german / "machine.md", "Noch ein Satz.", "Noch ein anderer Satz.")
    for name, text in NEW_POSTS.items():
        _write(german / f"{name}.md", text)
    return site


def _state(site: Path) -> dict[str, bytes]:
    """Return every file a run may write, by path; temporary files of a killed write aside."""
    return {
        str(path.relative_to(site)): path.read_bytes()
        for folder in (site / "content/en", site / "translation-memory")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(".tmp")
    }


class Killed(BaseException):
    """The process dies here: nothing after it runs, no handler sees it."""


def _faulty_replace(
    monkeypatch: pytest.MonkeyPatch, fault_at: int, fault: BaseException
) -> list[int]:
    """Make the `fault_at`-th file replacement (0-based) fail; return the call counter.

    Every file the tool changes changes by a rename (`os.replace`): failing each one in
    turn stops a run at every step at which a post or a record changes.
    """
    calls = [0]
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls[0] += 1
        if calls[0] - 1 == fault_at:
            raise fault
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def _copy(site: Path, to: Path) -> Path:
    shutil.copytree(site, to)
    return to


def test_a_run_stopped_at_any_write_is_completed_by_the_next_run(
    before_a_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_site = _copy(before_a_run, tmp_path / "expected")
    with monkeypatch.context() as patch:
        counter = _faulty_replace(patch, -1, Killed())
        _translate(expected_site)
    writes = counter[0]
    expected = _state(expected_site)
    # Sanity: the run wrote two new posts, updated three and learned two corrections.
    assert writes >= 2 * 3 + 3 * 3 + 2
    faults: list[tuple[str, BaseException]] = [("killed", Killed()), ("failed", OSError(5, "EIO"))]
    for k in range(writes):
        for kind, fault in faults:
            site = _copy(before_a_run, tmp_path / f"{kind}-{k}")
            with monkeypatch.context() as patch:
                _faulty_replace(patch, k, fault)
                with contextlib.suppress(Killed):
                    run_site(Settings(backend="pseudo"), site, PseudoTranslator)
            _translate(site)
            assert _state(site) == expected, f"{kind} at write {k}"


def test_a_killed_update_is_not_learned_as_a_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    _write(site / "content/de/post/a.md", POSTS["machine"])
    _translate(site)
    _edit(site / "content/de/post/a.md", "Noch ein Satz.", "Noch ein anderer Satz.")
    # Killed after the post was written, before its record was: the third rename.
    with monkeypatch.context() as patch:
        _faulty_replace(patch, 2, Killed())
        with pytest.raises(Killed):
            run_site(Settings(backend="pseudo"), site, PseudoTranslator)
    assert _pseudo("Noch ein anderer Satz.") in (site / "content/en/post/a.md").read_text("utf-8")

    rows = site_status(Settings(backend="pseudo"), site).rows

    assert [row.state.value for row in rows] == ["machine-translated"]
    record = site / "translation-memory/de-en/records/post/a.md.jsonl"
    report = run_site(Settings(backend="pseudo"), site, PseudoTranslator)
    assert [r.outcome for r in report.results] == [Outcome.SKIPPED]
    assert '"reviewed"' not in record.read_text("utf-8")
    assert not record.with_name("a.md.jsonl.pending").exists()


def test_a_review_of_the_previous_text_after_a_killed_update_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    german, english = site / "content/de/post/a.md", site / "content/en/post/a.md"
    _write(german, POSTS["machine"])
    _translate(site)
    _edit(german, "Noch ein Satz.", "Noch ein anderer Satz.")
    # Killed before the post was written: its pending record is there, the post is not.
    with monkeypatch.context() as patch:
        _faulty_replace(patch, 1, Killed())
        with pytest.raises(Killed):
            run_site(Settings(backend="pseudo"), site, PseudoTranslator)
    _edit(english, _pseudo("Nur Maschine."), "Only the machine, reviewed.")

    _translate(site)

    text = english.read_text("utf-8")
    assert "Only the machine, reviewed." in text
    assert _pseudo("Noch ein anderer Satz.") in text
    record = (site / "translation-memory/de-en/records/post/a.md.jsonl").read_text("utf-8")
    assert '"reviewed": "Only the machine, reviewed."' in record
    assert record.count('"reviewed"') == 1


def test_a_record_that_cannot_be_written_stops_its_post_before_the_post(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    _write(site / "content/de/post/a.md", POSTS["machine"])
    _write(site / "content/de/blog/b.md", POSTS["unchanged"])
    # A file where the records of the "post" folder go: no record can be written there.
    _write(site / "translation-memory/de-en/records/post", "in the way\n")

    report = run_site(Settings(backend="pseudo"), site, PseudoTranslator)

    outcomes = {r.source.name: r.outcome for r in report.results}
    assert outcomes == {"a.md": Outcome.FAILED, "b.md": Outcome.WRITTEN}
    assert not (site / "content/en/post/a.md").exists()
    failed = next(r for r in report.results if r.outcome is Outcome.FAILED)
    assert "translation-memory/de-en/records/post" in str(failed.error)


def test_the_rerun_benchmark_measures_a_run_that_skips_every_post(tmp_path: Path) -> None:
    # The benchmark lives beside the package, not in it: import it from the repository root.
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.rerun import measure

    result = measure(tmp_path, posts=3, repeat=1)

    assert result["first_run_outcomes"] == {"written": 3}
    assert result["skipped"] == 3 and result["model_loaded"] is False
    assert result["seconds"] > 0
