"""Find the root of the Hugo site a folder lies in, looking upward as `git` finds its repository.

A site's root is the nearest folder, the start included, that holds a Hugo configuration
(`hugo.toml|yaml|yml|json`, `config.toml|yaml|yml|json` or `config/_default/`), this tool's
`translate.toml`, or a `content/` folder. The search stops at the top of a git repository, so
that a folder outside any site never borrows a `content/` folder from far above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.hugo.config import DEFAULT_CONTENT_DIR, EXTENSIONS, ROOT_NAMES
from translate.hugo.settings import CONFIG_FILE

# What marks a site root, in the order a message names it: files first, then folders.
_FILES = (*(f"{name}.{extension}" for name in ROOT_NAMES for extension in EXTENSIONS), CONFIG_FILE)
_FOLDERS = ("config/_default", DEFAULT_CONTENT_DIR)


@dataclass(frozen=True)
class SiteRoot:
    """A site root and what marks it (`hugo.toml`, `content/`)."""

    path: Path
    marker: str


def find_site_root(start: Path) -> SiteRoot | None:
    """Return the root of the site `start` lies in, or None if no folder up to the top of
    its git repository (or of the file system) looks like one."""
    start = start.absolute()
    for folder in (start, *start.parents):
        for name in _FILES:
            if (folder / name).is_file():
                return SiteRoot(folder, name)
        for name in _FOLDERS:
            if (folder / name).is_dir():
                return SiteRoot(folder, f"{name}/")
        if (folder / ".git").exists():
            return None
    return None
