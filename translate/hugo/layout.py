"""Where each language's posts are in a Hugo site, once its configuration is read.

Languages come in Hugo's order: by weight, a language without one last, then by code.
Each language's content is what Hugo mounts for it: its own `contentDir`, or the site's
`contentDir` (or a mount without languages), which languages share. A page's language is its
file name's suffix when that names a configured language (`post.en.md`, `post.zh-Hans.md`:
case-insensitive), or else the language whose own folder it is in, or else (in a shared
folder) the default language: Hugo v0.168 gives `content/post.md` to the default language even
when only other languages share `content/`. A suffix that names no configured language
(`post.xx.md`) is part of the page's name: Hugo makes it a page `post.xx` of the default
language. A suffix naming a disabled language keeps the file out of the site.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from translate.errors import ConfigError, SiteError
from translate.files import relative_path
from translate.hugo.hugo_binary import Module, Mount
from translate.hugo.languages import find_folder, language_code

DEFAULT_CONTENT_DIR = "content"
DEFAULT_I18N_DIR = "i18n"
POST_SUFFIXES = (".md", ".markdown")

Layout = Literal["dir", "file"]


@dataclass(frozen=True)
class Language:
    """One entry of the site's `languages`, with its content directory resolved."""

    code: str  # the key under `languages`, lowercased as Hugo does
    content_dir: str  # relative to the site root (or absolute): its own, or the shared one
    disabled: bool = False
    language_code: str | None = None  # `locale`, or the older `languageCode`
    language_name: str | None = None  # `label`, or the older `languageName`
    weight: int = 0
    # Whether `content_dir` is this language's own (its `contentDir`, a mount for it alone)
    # rather than the folder languages share.
    own_content: bool = True


@dataclass(frozen=True)
class HugoConfig:
    """What the translator needs of a Hugo site's merged configuration."""

    root: Path
    files: tuple[Path, ...]  # the files Hugo uses, least specific first
    ignored: tuple[Path, ...]  # configuration files at the root that Hugo does not read
    default_language: str
    languages: tuple[Language, ...]  # Hugo's order; disabled ones too
    default_in_subdir: bool = False
    content_dir: str = DEFAULT_CONTENT_DIR
    i18n_dir: str = DEFAULT_I18N_DIR
    origins: Mapping[str, Path] = field(default_factory=dict, compare=False, repr=False)
    # The `markup` section, keys lower-cased: how Goldmark reads the site's Markdown.
    markup: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    enable_emoji: bool = False  # `:rocket:` is an emoji
    # What decides pages' URLs: `baseURL`, `uglyURLs`, the sections `permalinks` names.
    base_url: str = field(default="", compare=False)
    ugly_urls: bool = field(default=False, compare=False)
    permalinks: frozenset[str] = field(default=frozenset(), compare=False)
    # The project and its themes and imports, in Hugo's order, with their mounts.
    modules: tuple[Module, ...] = field(default=(), compare=False, repr=False)
    # Themes and imports the configuration names that were not found (read without Hugo).
    missing_modules: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # `Hugo 0.168.0` when Hugo said all this, else "".
    read_by: str = field(default="", compare=False)
    # Why Hugo was not asked although it is installed (it could not read the site).
    hugo_failure: str = field(default="", compare=False, repr=False)

    @classmethod
    def fallback(
        cls, root: Path, languages: Iterable[str], *, content_dir: str = DEFAULT_CONTENT_DIR
    ) -> HugoConfig:
        """Return the layout of a site without Hugo configuration: `content/<lang>/`.

        The first language is the default one. A language's folder in any case
        (`content/zh-Hans/` for `zh-hans`) is its folder.
        """
        codes = [language_code(code) for code in languages]
        folders = {code: find_folder(root / content_dir, code).name for code in codes}
        return cls(
            root=root,
            files=(),
            ignored=(),
            default_language=codes[0],
            languages=tuple(Language(code, f"{content_dir}/{folders[code]}") for code in codes),
            content_dir=content_dir,
        )

    @property
    def enabled(self) -> tuple[Language, ...]:
        """Return the languages Hugo builds, in its order."""
        return tuple(language for language in self.languages if not language.disabled)

    @property
    def layout(self) -> Layout:
        """Return how translations are kept: `dir` (a content directory per language) or
        `file` (languages share a directory; `post.en.md` next to `post.md`)."""
        dirs = [language.content_dir for language in self.enabled]
        return "dir" if len(set(dirs)) == len(dirs) else "file"

    def describe(self) -> str:
        """Say which files the configuration came from, for messages: `using hugo.toml`."""
        if not self.files:
            return "no Hugo configuration; using content/<language>/"
        used = "using " + ", ".join(self.show(path) for path in self.files)
        them = "them" if len(self.files) > 1 else "it"
        return f"{used}, as {self.read_by} reads {them}" if self.read_by else used

    def show(self, path: Path) -> str:
        """Return `path` relative to the site root."""
        return relative_path(path, self.root)

    def origin(self, key: str) -> Path | None:
        """Return the file that set a dotted key (`languages.de.contentdir`), if any did."""
        return self.origins.get(key.lower())

    def language(self, code: str) -> Language:
        """Return the enabled language `code`, or raise a ConfigError naming the enabled ones."""
        return self.language_codes([code])[0]

    def language_codes(self, codes: Iterable[str]) -> tuple[Language, ...]:
        """Return the enabled languages named by `codes` (case-insensitive), in that order.

        Raise ConfigError for a code the site does not configure or has disabled.
        """
        by_code = {language.code: language for language in self.languages}
        enabled = ", ".join(language.code for language in self.enabled)
        found: list[Language] = []
        for code in codes:
            language = by_code.get(code.strip().lower())
            if language is None:
                raise ConfigError(
                    f"{code!r} is not a language of this site",
                    path=self._languages_file(code),
                    hint=f"the site's languages are {enabled} ({self.describe()})",
                )
            if language.disabled:
                raise ConfigError(
                    f"language {code!r} is disabled in the site's configuration",
                    path=self._languages_file(language.code),
                    hint=f"enable it there, or choose one of {enabled}",
                )
            found.append(language)
        return tuple(found)

    def _languages_file(self, code: str) -> Path | None:
        """Return the file that configures language `code`, or else the site's languages."""
        for prefix in (f"languages.{code.lower()}", "disablelanguages", "languages"):
            for key, path in self.origins.items():
                if key == prefix or key.startswith(prefix + "."):
                    return path
        return self.files[-1] if self.files else None

    def mounts(self, component: str) -> list[tuple[Module, Mount]]:
        """Return every module's mounts into `component` (`layouts`, `i18n`), Hugo's order."""
        return [
            (module, mount)
            for module in self.modules
            for mount in module.mounts
            if mount.component == component
        ]

    def unread_content(self) -> list[tuple[Module, Mount]]:
        """Return the content Hugo mounts that is not a language's content folder here:
        content of themes and imports, and project mounts below `content/`."""
        used = {normal_path(self.root / language.content_dir) for language in self.enabled}
        return [
            (module, mount)
            for module, mount in self.mounts("content")
            if not (
                module.is_project
                and mount.target == "content"
                and normal_path(mount.source) in used
            )
        ]

    def outside_content(self) -> list[tuple[Language, Path]]:
        """Return the enabled languages whose content folder lies outside the site."""
        root = self.root.resolve()
        found = []
        for language in self.enabled:
            folder = (self.root / language.content_dir).resolve()
            if not folder.is_relative_to(root):
                found.append((language, folder))
        return found

    # --- content ----------------------------------------------------------------------------

    def language_of(self, path: Path) -> str | None:
        """Return the language Hugo gives a content file, or None outside every content dir.

        A relative `path` is taken from the site root. A disabled language's code is
        returned too: Hugo leaves such a file out.
        """
        found = self._place(path)
        return found[1] if found is not None else None

    def page_key(self, path: Path) -> str:
        """Return what links a page to its translations: its path in its content directory
        without a language suffix (`post/a.md` for `content/post/a.en.md`)."""
        found = self._place(path)
        if found is None:
            raise SiteError(
                "not in a content directory of the site",
                path=path,
                hint=f"content lives under {self._content_dirs_text()}",
            )
        return found[0]

    def posts(self, language: str) -> list[Path]:
        """Return the Markdown files of `language` (an enabled one), sorted."""
        code = self.language(language).code
        return sorted(path for path, owner in self._files() if owner == code)

    def sibling(self, post: Path, language: str) -> Path:
        """Return the path of `post`'s translation into `language`.

        An existing translation wins, under any name Hugo links (`x.md` or `x.en.md` in
        the language's directory, `x.en.md` next to the post; the code in any case);
        otherwise the language's own directory gets `x.md` and a shared one `x.en.md`
        (`x.md` for the default language).
        """
        target = self.language(language)
        key = PurePosixPath(self.page_key(post))
        directory = self.root / target.content_dir
        owned = self._owner(target.content_dir) == target.code
        for folder in dict.fromkeys([directory / key.parent, normal_path(post).parent]):
            found = self._translation_in(folder, key, target.code)
            if found is not None:
                return found
        if owned:
            return directory / key
        return directory / _with_suffix(key, target.code)

    def _translation_in(self, folder: Path, key: PurePosixPath, code: str) -> Path | None:
        """Return the file of `folder` that is page `key` in language `code`, if there is."""
        names = {key.name, _with_suffix(key, code).name.lower()}
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return None
        for entry in entries:
            if (entry.name in names or entry.name.lower() in names) and entry.is_file():
                place = self._place(entry)
                if place is not None and place == (str(key), code):
                    return entry
        return None

    def unknown_suffixes(self) -> list[tuple[Path, str]]:
        """Return the content files whose suffix looks like a language the site lacks.

        Hugo makes `post.xx.md` a page `post.xx` of the default language; a reviewer most
        likely meant a language, so callers should say so.
        """
        codes = {language.code for language in self.languages}
        found: list[tuple[Path, str]] = []
        for path, _ in self._files():
            suffix = _suffix(path.name)
            if suffix and _looks_like_language(suffix) and suffix.lower() not in codes:
                found.append((path, suffix))
        return found

    def _place(self, path: Path) -> tuple[str, str] | None:
        """Return (page key, language) of a content file, or None outside the content dirs.

        `..` in `path` is resolved first: a post's own path never leads out of its folder.
        """
        absolute = normal_path(path if path.is_absolute() else self.root / path)
        found = self._directory_of(absolute)
        if found is None:
            return None
        directory, base = found
        relative = PurePosixPath(absolute.relative_to(base).as_posix())
        suffix = _suffix(relative.name)
        if suffix is not None and suffix.lower() in self._codes:
            name = relative.name.removesuffix(relative.suffix)
            stem = name[: -len(suffix) - 1]
            return str(relative.with_name(stem + relative.suffix)), suffix.lower()
        return str(relative), self._owner(directory)

    def _directory_of(self, path: Path) -> tuple[str, Path] | None:
        """Return the most specific content directory holding `path`, and where it is."""
        best: tuple[str, Path] | None = None
        for directory, base in self._content_roots:
            if path.is_relative_to(base) and (best is None or len(directory) > len(best[0])):
                best = directory, base
        return best

    # Asked for every content file, several times a command: computed once per configuration.
    @functools.cached_property
    def _content_roots(self) -> tuple[tuple[str, Path], ...]:
        return tuple(
            (directory, normal_path(self.root / directory)) for directory in self._content_dirs()
        )

    @functools.cached_property
    def _codes(self) -> frozenset[str]:
        return frozenset(language.code for language in self.languages)

    def _owner(self, directory: str) -> str:
        """Return the language of a file without suffix in `directory`: the language whose
        own folder it is, or else the default language (Hugo v0.168)."""
        users = [
            language.code
            for language in self.enabled
            if language.content_dir == directory and language.own_content
        ]
        if len(users) == 1:
            return users[0]
        return self.default_language if self.default_language in users or not users else users[0]

    def _content_dirs(self) -> list[str]:
        return sorted({language.content_dir for language in self.enabled})

    def _content_dirs_text(self) -> str:
        return ", ".join(f"{directory}/" for directory in self._content_dirs())

    def _files(self) -> Iterator[tuple[Path, str]]:
        """Yield each Markdown file of the content directories with its language.

        A language's directory inside another's (`content/en` in `content`) belongs to that
        language alone; Hugo would also show its files as pages of the outer directory's.
        """
        directories = self._content_dirs()
        for directory in directories:
            base = normal_path(self.root / directory)
            inner = [
                normal_path(self.root / other)
                for other in directories
                if other != directory and normal_path(self.root / other).is_relative_to(base)
            ]
            if not base.is_dir():
                continue
            for path in base.rglob("*"):
                if (
                    path.suffix.lower() in POST_SUFFIXES
                    and path.is_file()
                    and not any(path.is_relative_to(other) for other in inner)
                ):
                    language = self.language_of(path)
                    if language is not None:
                        yield path, language


def normal_path(path: Path) -> Path:
    """Return `path` absolute with `.` and `..` resolved by name (symbolic links kept)."""
    return Path(os.path.normpath(path.absolute()))


def _suffix(name: str) -> str | None:
    """Return the language suffix candidate of a file name: `en` of `post.en.md`."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if "." not in stem:
        return None
    suffix = stem.rsplit(".", 1)[1]
    return suffix or None


def _looks_like_language(suffix: str) -> bool:
    """Tell whether a file name's suffix looks like a language tag (`en`, `pt-br`, `zh-Hans`):
    one of this shape that names no language of the site is most likely a mistake."""
    head, _, tail = suffix.partition("-")
    return (
        2 <= len(head) <= 3
        and head.isascii()
        and head.isalpha()
        and (not tail or all(part.isascii() and part.isalnum() for part in tail.split("-")))
    )


def _with_suffix(path: PurePosixPath, code: str) -> PurePosixPath:
    return path.with_name(f"{path.stem}.{code}{path.suffix}")
