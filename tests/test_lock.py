"""One writer at a time per site and language pair: refused at once, or waited for."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate.cli import app
from translate.records.lock import LockError, memory_lock

ROOT = Path(__file__).resolve().parent.parent
MEMORY = Path("translation-memory/de-en")


def test_a_second_holder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "memory"
    with memory_lock(folder), pytest.raises(LockError) as caught, memory_lock(folder, name="m"):
        pass
    assert str(caught.value) == (
        "m: another translate command is writing its records or memory"
        " — wait for it to finish, or pass --wait"
    )


def test_the_lock_is_free_again_after_the_block(tmp_path: Path) -> None:
    folder = tmp_path / "memory"
    with memory_lock(folder):
        pass
    with memory_lock(folder):
        pass


def test_the_lock_leaves_no_file_behind(tmp_path: Path) -> None:
    folder = tmp_path / "memory"
    with memory_lock(folder):
        assert list(folder.iterdir()) == []
    assert list(folder.iterdir()) == []


def _wait_then_write(folder: Path, waiting: multiprocessing.synchronize.Event) -> None:
    with memory_lock(folder, wait=True, on_wait=waiting.set):
        (folder / "done").write_text("after the first holder", encoding="utf-8")


def test_wait_waits_for_the_holder_to_finish(tmp_path: Path) -> None:
    folder = tmp_path / "memory"
    context = multiprocessing.get_context("spawn")
    waiting = context.Event()
    with memory_lock(folder):
        other = context.Process(target=_wait_then_write, args=(folder, waiting))
        other.start()
        # A guard against a hung test, not a timing assertion: the child says it waits.
        assert waiting.wait(timeout=120)
        assert not (folder / "done").exists()
    other.join(timeout=120)
    assert other.exitcode == 0
    assert (folder / "done").exists()


def test_memory_import_refuses_while_another_command_writes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "de").mkdir(parents=True)
    file = tmp_path / "m.tmx"
    file.write_text(_tmx([("Eins.", "One.")]), encoding="utf-8")

    with memory_lock(site / MEMORY):
        result = CliRunner().invoke(
            app, ["memory", "import", str(file), "--site", str(site)], catch_exceptions=False
        )

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: translation-memory/de-en: another translate command is writing its records"
        " or memory — wait for it to finish, or pass --wait\n"
    )
    assert not (site / MEMORY / "imported.jsonl").exists()


def test_two_imports_at_once_both_land(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "de").mkdir(parents=True)
    files = []
    for name in ("a", "b"):
        file = tmp_path / f"{name}.tmx"
        entries = [(f"Satz {name}{index}.", f"Sentence {name}{index}.") for index in range(10_000)]
        file.write_text(_tmx(entries), encoding="utf-8")
        files.append(file)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "translate", "memory", "import", "--site", str(site), "--wait"]

    runs = [subprocess.Popen([*command, str(file)], env=environment) for file in files]

    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    lines = (site / MEMORY / "imported.jsonl").read_text(encoding="utf-8").splitlines()
    sources = {json.loads(line)["source"] for line in lines}
    assert len(sources) == 20_000
    assert {"Satz a0.", "Satz b9999."} <= sources


def _tmx(entries: list[tuple[str, str]]) -> str:
    from translate.records.tmx import export_tmx

    return export_tmx(entries, "de", "en")
