"""Hugo's `ref` and `relref`: which page of a language a reference finds, as Hugo looks it up.

Hugo (v0.168, `hugolib/pagecollections.go`, `getContentNodeForRef`) reduces a reference and
every page to a *base path*: lowercased, without the extension, without a language suffix
(`installation.de.md` is `/installation` in every language), a bundle's `index.md` or a
section's `_index.md` standing for its folder. A reference that does not start with `/` is
tried first relative to the page (a section's own folder, otherwise the folder holding the
page or its bundle), then from the content root; one without any `/` is finally looked up by
its last name among all pages (Hugo refuses it when several pages have that name).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# `{{< ref "path" >}}`, `{{% relref path="x" %}}`; not the escaped `{{</* ref */>}}`.
REF = re.compile(r"\{\{[<%]\s*(?P<name>ref|relref)\s+(?P<args>.*?)\s*[>%]\}\}", re.DOTALL)
_ARG = re.compile(
    r"""(?:(?P<key>\w+)=)?(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>\S+))"""
)


@dataclass(frozen=True)
class Reference:
    """One `ref`/`relref` shortcode of a post."""

    name: str  # ref or relref
    target: str  # the page it names, with any #fragment
    start: int  # offset of the shortcode in the text searched
    end: int


def references(text: str) -> Iterator[Reference]:
    """Yield the references of `text` that name a page of the post's own language.

    A reference with `lang=` is resolved in that language's pages, which a pair does not
    know: it is left out.
    """
    for match in REF.finditer(text):
        target = ref_target(match.group("args"))
        if target is not None:
            yield Reference(match.group("name"), target, match.start(), match.end())


def ref_target(args: str) -> str | None:
    """Return the page a `ref` shortcode's arguments name, or None if another language's."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _ARG.finditer(args):
        value = next(v for v in match.group("dq", "sq", "bq", "bare") if v is not None)
        if match.group("key"):
            named[match.group("key").lower()] = value
        else:
            positional.append(value)
    if "lang" in named:
        return None
    return named.get("path", positional[0] if positional else None)


@dataclass(frozen=True)
class PageIndex:
    """The pages of one language, as Hugo's `ref` finds them."""

    bases: frozenset[str]  # `/`, `/docs`, `/docs/guide/installation`
    names: Counter[str]  # a page's last name -> how many pages have it
    languages: frozenset[str]  # the site's language codes: suffixes Hugo strips

    @classmethod
    def of(cls, pages: Iterable[str], languages: Iterable[str]) -> PageIndex:
        """Index the pages of a language, given by their paths in the content folder
        without language suffix (`docs/guide/installation/index.md`).

        `check` asks for the same site's index once per post: it is made once (indexing
        every page for every post made checking a site cost the square of its size).
        """
        return _index(frozenset(pages), frozenset(code.lower() for code in languages))

    def finds(self, reference: str, page: str | None) -> bool:
        """Tell whether a `ref` to `reference` from `page` (its path in the content folder,
        as for `of`; None: from no page) finds a page of this language."""
        ref = reference.split("#", 1)[0].strip().replace("\\", "/").rstrip("/")
        whole = ref or "/"  # "#anchor" is the page itself, "/" the home page: both exist
        extension = _has_extension(whole)
        if page is not None and not whole.startswith("/"):
            for folder in self._folders(page, whole, extension):
                if self._has(posixpath.join(folder, whole)):
                    return True
        if whole.startswith("."):
            return False  # page-relative only
        if self._has(whole):
            return True
        if "/" not in ref:
            return self.names[_base("/" + ref, self.languages).rsplit("/", 1)[-1]] == 1
        return False

    def _folders(self, page: str, ref: str, extension: bool) -> list[str]:
        """Return the folders a relative reference is tried from, Hugo's first."""
        path = "/" + page.lower()
        folder = posixpath.dirname(path)
        name = posixpath.basename(path).split(".", 1)[0]
        branch = name == "_index"
        leaf = name == "index"
        # A leaf bundle's page is its folder: what is next to it is in the folder above.
        container = posixpath.dirname(folder) if leaf else folder
        first = folder if branch or (extension and ref.startswith("../")) else container
        # A reference with an extension is also tried as a file next to the page's file.
        return [first, folder] if extension and folder != first else [first]

    def _has(self, path: str) -> bool:
        return _base(path, self.languages) in self.bases


@functools.lru_cache(maxsize=8)
def _index(pages: frozenset[str], codes: frozenset[str]) -> PageIndex:
    bases = {"/"}
    for page in pages:
        base = _base("/" + page, codes)
        bases.add(base)
        # A top-level folder is a section even without an _index.md.
        parts = base.strip("/").split("/")
        if len(parts) > 1:
            bases.add("/" + parts[0])
    names = Counter(posixpath.basename(base) for base in bases if base != "/")
    return PageIndex(frozenset(bases), names, codes)


def _has_extension(ref: str) -> bool:
    name = ref.rsplit("/", 1)[-1]
    return "." in name.strip(".")


def _base(path: str, languages: frozenset[str]) -> str:
    """Return Hugo's base path of a content path: lowercased, `.`/`..` resolved, without
    extension and language suffix, an `index`/`_index` standing for its folder."""
    normal = posixpath.normpath("/" + path.lower().lstrip("/"))
    folder, name = posixpath.split(normal)
    parts = name.split(".")
    if len(parts) > 1:
        parts.pop()  # the extension
    if len(parts) > 1 and parts[-1] in languages:
        parts.pop()
    stem = ".".join(parts)
    if stem in ("index", "_index"):
        return folder
    return posixpath.join(folder, stem) if stem else folder
