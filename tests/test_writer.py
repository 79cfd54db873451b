"""Files are written whole, with ordinary permissions, only when they change."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate.errors import WriteError
from translate.files import remove_stale_temporaries, write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process's umask after a test that sets it (tests may run as root)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(
    tmp_path: Path, umask: None, mask: int, expected: int
) -> None:
    os.umask(mask)
    path = tmp_path / "index.md"

    assert write_atomic(path, "Text\n") is True

    assert mode(path) == expected


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    path = tmp_path / "index.md"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)

    assert write_atomic(path, "new\n") is True

    assert path.read_text(encoding="utf-8") == "new\n"
    assert mode(path) == 0o640


def test_a_file_with_the_same_content_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    write_atomic(path, "Gleich\r\n")
    before = path.stat()

    assert write_atomic(path, "Gleich\r\n") is False

    # A rename would give the path a new inode.
    assert path.stat().st_ino == before.st_ino
    assert path.read_bytes() == b"Gleich\r\n"


def test_line_endings_are_written_as_given(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    write_atomic(path, "a\r\nb\nc")
    assert path.read_bytes() == b"a\r\nb\nc"


def test_missing_folders_are_created_by_default(tmp_path: Path) -> None:
    path = tmp_path / "post" / "x" / "index.md"
    write_atomic(path, "Text\n")
    assert path.read_text(encoding="utf-8") == "Text\n"


def test_a_missing_folder_is_an_error_when_folders_are_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "memory.tmx"

    with pytest.raises(WriteError) as caught:
        write_atomic(path, "<tmx/>", parents=False)

    assert "no folder" in str(caught.value)
    assert not (tmp_path / "missing").exists()


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "index.md").mkdir()

    with pytest.raises(WriteError):
        write_atomic(tmp_path / "index.md", "Text\n")

    assert [path.name for path in tmp_path.iterdir()] == ["index.md"]


# Leftovers of killed writes


def age(path: Path, seconds: float) -> Path:
    """Set the modification time of `path` `seconds` into the past."""
    past = time.time() - seconds
    os.utime(path, (past, past), follow_symlinks=False)
    return path


def touch(path: Path, seconds: float = 3600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("half a post", encoding="utf-8")
    return age(path, seconds)


def test_stale_temporary_files_of_posts_and_records_are_removed(tmp_path: Path) -> None:
    post = touch(tmp_path / "en" / "post" / "x" / ".index.md.1a2b3c4d.tmp")
    record = touch(tmp_path / "memory" / "records" / ".index.md.jsonl.k3x9_a0b.tmp")

    removed = remove_stale_temporaries([tmp_path / "en", tmp_path / "memory"], (".md", ".jsonl"))

    assert sorted(removed) == sorted([post, record])
    assert not post.exists() and not record.exists()


def test_nothing_else_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "en"
    kept = [
        touch(folder / ".index.md.1a2b3c4d.tmp", seconds=10),  # a write in progress
        touch(folder / ".photo.jpg.1a2b3c4d.tmp"),  # not a file the tool writes
        touch(folder / ".index.md.tmp"),  # no random part
        touch(folder / ".index.md.1A2B3C4D.tmp"),  # not as the writer names them
        touch(folder / "index.md.1a2b3c4d.tmp"),  # not hidden
        touch(folder / "index.md"),
        touch(tmp_path / "elsewhere" / ".index.md.1a2b3c4d.tmp"),  # outside the folders
    ]
    (folder / ".post.md.1a2b3c4d.tmp").mkdir()
    kept.append(folder / ".post.md.1a2b3c4d.tmp")
    link = folder / ".link.md.1a2b3c4d.tmp"
    link.symlink_to(tmp_path / "elsewhere" / ".index.md.1a2b3c4d.tmp")
    age(link, 3600)
    kept.append(link)
    (folder / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)

    assert remove_stale_temporaries([folder, tmp_path / "missing"], (".md",)) == []

    assert all(path.exists() or path.is_symlink() for path in kept)


def test_a_run_writes_posts_and_records_as_the_umask_says(tmp_path: Path, umask: None) -> None:
    from typer.testing import CliRunner

    from translate.cli import app

    source = tmp_path / "content" / "de" / "post" / "a.md"
    source.parent.mkdir(parents=True)
    source.write_text("---\ntitle: Titel\n---\n\nEin Absatz.\n", encoding="utf-8")
    (tmp_path / "content" / "en").mkdir()
    target = tmp_path / "content" / "en" / "post" / "a.md"
    record = tmp_path / "translation-memory" / "de-en" / "records" / "post" / "a.md.jsonl"
    command = ["run", "--backend", "pseudo", "--site", str(tmp_path)]

    assert CliRunner().invoke(app, command, catch_exceptions=False).exit_code == 0
    assert (mode(target), mode(record)) == (0o644, 0o644)
    first = target.read_text(encoding="utf-8")

    target.chmod(0o640)
    source.write_text("---\ntitle: Titel\n---\n\nEin neuer Absatz.\n", encoding="utf-8")
    assert CliRunner().invoke(app, [*command, "--force"], catch_exceptions=False).exit_code == 0
    assert target.read_text(encoding="utf-8") != first
    assert mode(target) == 0o640
