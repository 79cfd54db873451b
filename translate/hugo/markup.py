"""How a site's own configuration and templates change the way its Markdown is read.

Hugo's Goldmark options live in the site's configuration (`markup.goldmark`), and whether a
`{{< >}}` pair holds Markdown is decided by its template (`.Inner | markdownify`,
`.Page.RenderString`). This reads both, so that posts are read as that site's Hugo reads
them; the result is the `MarkdownOptions` a command reads posts with.

Templates are looked up where Hugo looks: every module's `layouts` mounts in Hugo's order
(the site first, then its themes and imports, wherever they are: `themes/`, `themesDir`,
`_vendor/`), `shortcodes/` and `_shortcodes/` in each; the first template of a name wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import TranslateError
from translate.files import read_text
from translate.hugo.config import HugoConfig, load_hugo_config
from translate.markdown.goldmark import MarkdownOptions
from translate.markdown.shortcodes import MARKDOWN_SHORTCODES

# A template that renders its content as Markdown: `.Inner | markdownify`,
# `markdownify .Inner`, `.Page.RenderString .Inner`, `.InnerDeindent | .Page.RenderString`.
_RENDERS_INNER = re.compile(
    r"\.Inner(?:Deindent)?\s*\|\s*(?:markdownify|\$?\.Page\.RenderString|\.Page\.RenderString)"
    r"|(?:markdownify|RenderString)(?:\s+\(?\s*dict[^)]*\)?)?\s+\.Inner"
)
# Hugo's embedded shortcodes (v0.168, `tpl/tplimpl/embedded/templates/_shortcodes`).
HUGO_SHORTCODES = frozenset(
    {
        "comment",
        "details",
        "figure",
        "gist",
        "highlight",
        "instagram",
        "param",
        "qr",
        "ref",
        "relref",
        "twitter",
        "twitter_simple",
        "vimeo",
        "vimeo_simple",
        "x",
        "x_simple",
        "youtube",
    }
)


@dataclass(frozen=True)
class Templates:
    """The shortcode templates Hugo finds for a site."""

    files: Mapping[str, Path]  # name -> the template Hugo uses
    markdown: frozenset[str]  # names whose template renders the content as Markdown

    def knows(self, name: str) -> bool:
        """Tell whether Hugo has a template for shortcode `name` (the site's, or its own)."""
        return name in self.files or name in HUGO_SHORTCODES


def shortcode_templates(site: Path, config: HugoConfig | None = None) -> Templates:
    """Return the shortcode templates of the site at `site` (its configuration as read)."""
    if config is None:
        config = load_hugo_config(site)
    files: dict[str, Path] = {}
    for folder in _shortcode_folders(site, config):
        for template in sorted(folder.rglob("*.html")):
            name = template.relative_to(folder).with_suffix("").as_posix()
            # `tab.de.html`, `tab.html.html`: Hugo's variants of one shortcode.
            files.setdefault(name.split(".", 1)[0], template)
    markdown = frozenset(name for name, path in files.items() if _renders_markdown(path))
    return Templates(files, markdown)


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
        | shortcode_templates(site, config).markdown,
        emoji=config is not None and config.enable_emoji,
    )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _shortcode_folders(site: Path, config: HugoConfig | None) -> Iterator[Path]:
    """Yield the folders holding shortcode templates, Hugo's first."""
    if config is None or not config.modules:
        # No configuration: the site's layouts, and any theme in themes/.
        roots = [site / "layouts"]
        themes = site / "themes"
        if themes.is_dir():
            roots += [theme / "layouts" for theme in sorted(themes.iterdir()) if theme.is_dir()]
        mounts = [(root, "layouts") for root in roots]
    else:
        mounts = [(mount.source, mount.target) for _, mount in config.mounts("layouts")]
    for source, target in mounts:
        if target in ("layouts/shortcodes", "layouts/_shortcodes"):
            candidates = [source]
        elif target == "layouts":
            candidates = [source / "_shortcodes", source / "shortcodes"]
        else:
            continue
        yield from (folder for folder in candidates if folder.is_dir())


def _renders_markdown(template: Path) -> bool:
    try:
        text = read_text(template)
    except TranslateError:
        return False
    return _RENDERS_INNER.search(text) is not None
