"""Shared fixtures: the repository's posts, varied test posts and an offline model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tiny_model import build_tiny_marian

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "content" / "de" / "post" / "ai-startup-hub" / "index.md"


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


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the offline MarianMT test model once per session (random weights)."""
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"))
