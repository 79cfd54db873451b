"""Only regular files are read, up to a size limit, with a message that names the file."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate.errors import PostError, TranslateError
from translate.files import (
    max_file_size,
    printable,
    read_bytes,
    read_text,
    relative_path,
    set_max_file_size,
)


@pytest.fixture
def small_limit() -> Iterator[None]:
    """Set the size limit to 100 bytes for one test."""
    before = max_file_size()
    set_max_file_size(100)
    yield
    set_max_file_size(before)


def read_error(path: Path) -> TranslateError:
    with pytest.raises(PostError) as caught:
        read_text(path, error=PostError)
    return caught.value


def test_a_regular_file_is_read_with_its_line_endings_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    path.write_bytes("\ufeffTitel\r\nText\n".encode())

    assert read_text(path) == "\ufeffTitel\r\nText\n"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "index.md"
    os.mkfifo(fifo)
    result: list[TranslateError] = []
    reader = threading.Thread(target=lambda: result.append(read_error(fifo)), daemon=True)

    reader.start()
    reader.join(timeout=10)

    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "FIFO" in result[0].message and result[0].path == fifo


def test_a_device_named_like_a_post_is_never_read(tmp_path: Path) -> None:
    link = tmp_path / "index.md"
    link.symlink_to("/dev/zero")

    error = read_error(link)

    assert "character device" in error.message
    assert str(error).startswith(f"{link}: not a regular file")


def test_a_folder_named_like_a_post_is_refused(tmp_path: Path) -> None:
    (tmp_path / "index.md").mkdir()

    assert "a folder" in read_error(tmp_path / "index.md").message


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, small_limit: None
) -> None:
    path = tmp_path / "index.md"
    path.write_bytes(b"x" * 101)

    error = read_error(path)

    assert "101 bytes, more than the limit of 100 bytes" in error.message
    assert error.hint is not None and "max_file_size" in error.hint


def test_a_file_at_the_limit_is_read(tmp_path: Path, small_limit: None) -> None:
    path = tmp_path / "index.md"
    path.write_bytes(b"x" * 100)

    assert read_bytes(path) == b"x" * 100


def test_a_file_without_a_known_size_is_read_only_to_the_limit(small_limit: None) -> None:
    # Files under /proc say they are empty; this one is longer than 100 bytes.
    with pytest.raises(TranslateError) as caught:
        read_bytes(Path("/proc/self/status"))

    assert "larger than the limit" in caught.value.message


def test_a_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    path.write_bytes(b"---\ntitle: x\n---\n\nGr\xfc\xdfe\n")

    error = read_error(path)

    assert (error.line, error.message) == (5, "not UTF-8 (byte 0xfc)")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert read_error(tmp_path / "missing.md").message == "no such file"


def test_a_name_that_is_not_utf8_is_refused_and_shown_escaped(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff.md"))
    path.write_text("Text\n", encoding="utf-8")

    error = read_error(path)

    assert "not valid UTF-8" in error.message
    assert str(error).startswith(f"{tmp_path}/bad\\xff.md: ")
    str(error).encode("utf-8")  # printable


def test_a_path_is_shown_relative_to_the_site_when_below_it(tmp_path: Path) -> None:
    site = tmp_path / "site"

    assert relative_path(site / "content" / "de" / "x.md", site) == "content/de/x.md"
    assert relative_path(tmp_path / "elsewhere.md", site) == str(tmp_path / "elsewhere.md")
    assert relative_path(Path(os.fsdecode(b"/s/c/bad\xff.md")), Path("/s")) == "c/bad\\xff.md"
    assert printable("plain.md") == Path("plain.md")
