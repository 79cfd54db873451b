"""What of a site's source language a run leaves alone, so that it can say so.

The tool translates Markdown pages. Hugo also builds content pages written in HTML
(`about.html` with front matter), AsciiDoc, Pandoc, reStructuredText or Org; and sites keep
per-language data (`data/de/team.yaml`, `data/team.de.yaml`) that templates pick by the
page's language. None of these is translated: a translated page that links to one finds no
page in the target language, and a template that reads the data finds none. Each is named,
never passed over silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from translate.hugo.config import POST_SUFFIXES, HugoConfig

# Content formats Hugo reads besides Markdown (v0.168 `media.DefaultContentTypes`).
OTHER_CONTENT_SUFFIXES = (".html", ".htm", ".adoc", ".asciidoc", ".pandoc", ".pdc", ".rst", ".org")
DATA_SUFFIXES = (".toml", ".yaml", ".yml", ".json", ".xml", ".csv")


def other_format_pages(config: HugoConfig, language: str) -> list[Path]:
    """Return the content pages of `language` that are not Markdown, sorted.

    Files of a leaf bundle (a folder with an `index` page) are its resources, not pages.
    """
    code = config.language(language).code
    folder = config.root / config.language(code).content_dir
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        if (
            path.suffix.lower() in OTHER_CONTENT_SUFFIXES
            and path.is_file()
            and not _in_leaf_bundle(path, folder)
            and config.language_of(path) == code
        ):
            found.append(path)
    return sorted(found)


def _in_leaf_bundle(path: Path, root: Path) -> bool:
    """Tell whether `path` is a resource of a leaf bundle (not the bundle's own index)."""
    if path.name.split(".", 1)[0] == "index":
        folders = list(path.parents)[1:]
    else:
        folders = list(path.parents)
    for folder in folders:
        if not folder.is_relative_to(root) or folder == root:
            return False
        if any(_is_index(child) for child in folder.iterdir()):
            return True
    return False


def _is_index(path: Path) -> bool:
    return path.name.split(".", 1)[0] == "index" and (
        path.suffix.lower() in (*POST_SUFFIXES, *OTHER_CONTENT_SUFFIXES)
    )


def language_data(config: HugoConfig, language: str) -> list[Path]:
    """Return the site's data files kept for `language`: under `data/<language>/` or named
    `<name>.<language>.<ext>` (case-insensitive), sorted."""
    code = config.language(language).code
    found: list[Path] = []
    for folder in _data_folders(config):
        for path in folder.rglob("*"):
            if not path.is_file() or path.suffix.lower() not in DATA_SUFFIXES:
                continue
            parts = [part.lower() for part in path.relative_to(folder).parts]
            suffixed = path.name.lower().rsplit(".", 2)
            if (
                code in parts[:-1]
                or (len(suffixed) == 3 and suffixed[1] == code)
                or (path.stem.lower() == code)
            ):
                found.append(path)
    return sorted(found)


def _data_folders(config: HugoConfig) -> Iterator[Path]:
    mounts = [mount for module, mount in config.mounts("data") if module.is_project]
    if not config.modules:
        yield from [config.root / "data"] if (config.root / "data").is_dir() else []
        return
    for mount in mounts:
        if mount.target == "data" and mount.source.is_dir():
            yield mount.source


def untranslated_warnings(config: HugoConfig, source: str, targets: tuple[str, ...]) -> list[str]:
    """Say which pages and data of the source language a run does not translate."""
    found: list[str] = []
    pages = other_format_pages(config, source)
    if pages:
        kinds = ", ".join(sorted({path.suffix.lower() for path in pages}))
        found.append(
            f"{len(pages)} {source} page{'s' * (len(pages) != 1)} not in Markdown ({kinds}, "
            f"e.g. {config.show(pages[0])}): not translated; links to them from translated "
            "pages find no page in " + ", ".join(targets)
        )
    data = language_data(config, source)
    lacking = [target for target in targets if not language_data(config, target)]
    if data and lacking:
        found.append(
            f"{len(data)} data file{'s' * (len(data) != 1)} kept for {source} (e.g. "
            f"{config.show(data[0])}): not translated; templates that read them by language "
            "find none for " + ", ".join(lacking)
        )
    return found
