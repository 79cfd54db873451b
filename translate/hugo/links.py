"""Which links of a post follow the language, and which heading ids its translation keeps.

A link to a page of the source language points, in the translation, to the same page in the
target language when that page exists or is written in the same run: `/de/kontakt/` becomes
`/en/kontakt/`, `https://example.org/kontakt/` (the default language at the site root)
becomes `https://example.org/en/kontakt/`. A page is found by the URL Hugo gives it by
default: its path in the content folder (a bundle's or section's folder), lowercased, with
its `slug`; a page with its own `url`, in a section with `permalinks`, or a site with
`uglyURLs` is not mapped, and links to it stay. So do relative links (`../andere-seite/`:
they resolve in the target language's tree by themselves), `ref`/`relref` (Hugo resolves
them in the page's own language) and reference-style definitions.

Heading ids: see `translation.links`. The source's automatic ids are kept when the site
reads heading attributes (`markup.goldmark.parser.attribute.title`, on by default) and makes
automatic ids (`autoHeadingID`, on by default); headings with a closing `#` sequence, or
with a shortcode in them, keep none.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from translate.errors import TranslateError
from translate.hugo.site import Site, read_post
from translate.markdown.front_matter import split_front_matter
from translate.markdown.post import Post
from translate.translation.links import LinkMap, destinations, page_headings


@dataclass
class SiteLinks:
    """The pages of one language pair by URL, read once for a run or a check."""

    site: Site
    # Source posts this run writes a translation of: their pages will exist.
    written: Collection[Path] = ()
    _source: dict[str, Path] = field(default_factory=dict, init=False, repr=False)
    _read: bool = field(default=False, init=False, repr=False)

    def link_map(self, path: Path, post: Post, *, follow: bool = True) -> LinkMap:
        """Return the links of a source post (read) that follow the language, and its kept
        heading ids."""
        mapped: dict[str, str] = {}
        pending: set[str] = set()
        for block in post.body.blocks:
            for destination in destinations(block.pieces):
                target = self.follow(destination)
                if target is not None and follow:
                    mapped[destination] = target
                elif target is None and self.is_untranslated_page(destination):
                    pending.add(destination)
        return LinkMap(mapped, self.kept_ids(post), frozenset(pending))

    def kept_ids(self, post: Post) -> dict[int, str]:
        """Return file line -> automatic id of each heading whose id the translation keeps."""
        parser = _section(_section(self.site.config.markup, "goldmark"), "parser")
        attribute = _section(parser, "attribute")
        if attribute.get("title") is False or parser.get("autoheadingid") is False:
            return {}
        style = str(parser.get("autoheadingidtype") or "github")
        lines = post.body.text.splitlines()
        kept: dict[int, str] = {}
        for heading in page_headings(post.document, style):
            line = lines[heading.line].rstrip() if heading.line < len(lines) else ""
            closing = line.endswith("#")  # `{#id}` would have to follow the closing `#`s
            # A heading with attributes (`{class="x"}`) would need the id inside them.
            written = heading.attributes or heading.shortcode or closing
            if heading.explicit is None and heading.id and not written:
                kept[post.offset + heading.line + 1] = heading.id
        return kept

    def follow(self, destination: str) -> str | None:
        """Return where a link to a source-language page leads in the translation, or None
        when it is no such link or that page has no translation (yet)."""
        found = self._page(destination)
        if found is None:
            return None
        url, root, page = found
        target = self.site.sibling(page)
        if not (target.is_file() or page in self.written):
            return None
        target_path = self._url(target if target.is_file() else page, self.site.target)
        if target_path is None:
            return None
        new_path = root + target_path
        if url.path != urllib.parse.unquote(url.path):  # it was percent-encoded: keep it so
            new_path = urllib.parse.quote(new_path, safe="/")
        return urllib.parse.urlunsplit((url.scheme, url.netloc, new_path, url.query, url.fragment))

    def is_untranslated_page(self, destination: str) -> bool:
        """Tell whether a link leads to a source-language page that has no translation."""
        found = self._page(destination)
        if found is None:
            return False
        page = found[2]
        return not (self.site.sibling(page).is_file() or page in self.written)

    def _page(self, destination: str) -> tuple[urllib.parse.SplitResult, str, Path] | None:
        """Return the link's parts, the site's base path and the source page it leads to."""
        url = urllib.parse.urlsplit(destination)
        if url.scheme not in ("", "http", "https") or (url.scheme and not url.netloc):
            return None
        base = urllib.parse.urlsplit(self.site.config.base_url)
        if url.netloc and (not base.netloc or url.netloc.lower() != base.netloc.lower()):
            return None
        path = urllib.parse.unquote(url.path)
        if not path.startswith("/"):
            return None  # relative: it resolves in the target language's tree by itself
        root = base.path.rstrip("/") if url.netloc else ""
        if root and not path.startswith(root + "/"):
            return None
        inside = path[len(root) :]
        source_prefix = self._prefix(self.site.source)
        if not inside.startswith(source_prefix + "/"):
            return None
        page = self._source_pages().get(_normal(inside[len(source_prefix) :]))
        return (url, root, page) if page is not None else None

    def _prefix(self, language: str) -> str:
        config = self.site.config
        if language == config.default_language and not config.default_in_subdir:
            return ""
        return "/" + language

    def _source_pages(self) -> dict[str, Path]:
        if not self._read:
            self._read = True
            for post in self.site.discover()[0]:
                url = self._url(post, None)
                if url is not None:
                    self._source.setdefault(_normal(url), post)
        return self._source

    def _url(self, post: Path, language: str | None) -> str | None:
        """Return the URL path Hugo gives a post by default (with `language`'s prefix), or
        None where the site or the page sets its own (`url`, `permalinks`, `uglyURLs`)."""
        config = self.site.config
        if config.ugly_urls:
            return None
        key = PurePosixPath(self.site.key(post))
        if key.parts and key.parts[0] in config.permalinks:
            return None
        params = _front_matter(post)
        if params.get("url"):
            return None
        if key.stem in ("index", "_index"):
            parts = list(key.parent.parts)
        else:
            parts = [*key.parent.parts, key.stem]
        slug = params.get("slug")
        if isinstance(slug, str) and slug and parts and key.stem != "_index":
            parts[-1] = slug
        path = "/" + "/".join(part.lower() for part in parts)
        path = path.rstrip("/") + "/"
        return (self._prefix(language) if language else "") + path


def _normal(path: str) -> str:
    """Return a URL path as pages are looked up: lowercased, `index.html` and `..` gone,
    with a trailing slash."""
    path = path.lower()
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    path = posixpath.normpath(path) if path not in ("", "/") else "/"
    return path.rstrip("/") + "/"


def _front_matter(post: Path) -> dict[str, Any]:
    """Return a post's front matter keys lowercased (nothing for one that cannot be read)."""
    try:
        front_matter, _ = split_front_matter(read_post(post))
        data = front_matter.data()
    except (TranslateError, ValueError):
        return {}
    return (
        {str(key).lower(): value for key, value in data.items()} if isinstance(data, dict) else {}
    )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}
