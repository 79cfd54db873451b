"""How a site's own configuration and templates change the way its Markdown is read.

Hugo's Goldmark options live in the site's configuration (`markup.goldmark`), and whether a
`{{< >}}` pair holds Markdown is decided by its template (`.Inner | markdownify`,
`.Page.RenderString`). This reads both, so that posts are read as that site's Hugo reads
them; the result is the `MarkdownOptions` a command reads posts with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from translate.hugo.config import load_hugo_config
from translate.markdown.goldmark import MarkdownOptions
from translate.markdown.shortcodes import MARKDOWN_SHORTCODES

# A template that renders its content as Markdown: `.Inner | markdownify`,
# `markdownify .Inner`, `.Page.RenderString .Inner`, `.InnerDeindent | .Page.RenderString`.
_RENDERS_INNER = re.compile(
    r"\.Inner(?:Deindent)?\s*\|\s*(?:markdownify|\$?\.Page\.RenderString|\.Page\.RenderString)"
    r"|(?:markdownify|RenderString)(?:\s+\(?\s*dict[^)]*\)?)?\s+\.Inner"
)


def markdown_options(site: Path, extra_shortcodes: Iterable[str] = ()) -> MarkdownOptions:
    """Return how the Hugo site at `site` reads Markdown (Hugo's defaults without a config).

    `extra_shortcodes` names more `{{< >}}` pairs whose content is Markdown (a theme's whose
    templates are not in the repository, say).
    """
    config = load_hugo_config(site)
    markup: Mapping[str, Any] = config.markup if config is not None else {}
    goldmark = _section(markup, "goldmark")
    attribute = _section(_section(goldmark, "parser"), "attribute")
    passthrough = _section(_section(goldmark, "extensions"), "passthrough")
    delimiters: list[tuple[str, str]] = []
    if passthrough.get("enable"):
        configured = _section(passthrough, "delimiters")
        for kind in ("inline", "block"):
            for pair in configured.get(kind) or ():
                if isinstance(pair, list) and len(pair) == 2:
                    delimiters.append((str(pair[0]), str(pair[1])))
    # Longer delimiters first: `$$` before `$`.
    delimiters.sort(key=lambda pair: -len(pair[0]))
    return MarkdownOptions(
        block_attributes=bool(attribute.get("block", False)),
        passthrough=tuple(delimiters),
        markdown_shortcodes=MARKDOWN_SHORTCODES
        | frozenset(extra_shortcodes)
        | frozenset(_markdown_templates(site)),
        emoji=config is not None and config.enable_emoji,
    )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _markdown_templates(site: Path) -> Iterable[str]:
    """Yield the names of the site's and its themes' shortcodes that render .Inner as Markdown."""
    roots = [site / "layouts"]
    themes = site / "themes"
    if themes.is_dir():
        roots += [theme / "layouts" for theme in sorted(themes.iterdir()) if theme.is_dir()]
    for root in roots:
        for folder in (root / "shortcodes", root / "_shortcodes"):
            if not folder.is_dir():
                continue
            for template in sorted(folder.rglob("*.html")):
                try:
                    text = template.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if _RENDERS_INNER.search(text):
                    name = template.relative_to(folder).with_suffix("").as_posix()
                    # `tab.de.html`, `tab.html.html`: Hugo's variants of one shortcode.
                    yield name.split(".", 1)[0]
