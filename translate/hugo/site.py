"""A Hugo site on disk: its languages, where each language's posts live, and reading them.

Where posts live comes from the site's Hugo configuration (`translate.hugo.config`): by
content directory (`content/de/post/x.md` -> `content/en/post/x.md`) or by file name
(`content/post/x.de.md` -> `content/post/x.en.md`; a file without a language suffix is the
default language's). A site without a Hugo configuration, or with one that names no
languages, keeps the default layout: `content/<language>/`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from translate.errors import ConfigError, PostError, SiteError, TranslateError
from translate.files import read_text, relative_path
from translate.hugo.config import POST_SUFFIXES, HugoConfig, load_hugo_config
from translate.hugo.exclude import PostFilter
from translate.hugo.leftovers import leftovers, summary
from translate.hugo.markup import HUGO_SHORTCODES, shortcode_templates
from translate.hugo.settings import CONFIG_FILE, Settings
from translate.hugo.theme_strings import table_warnings
from translate.hugo.untranslated import untranslated_warnings
from translate.markdown.front_matter import split_front_matter
from translate.markdown.shortcodes import MARKDOWN_SHORTCODES

__all__ = [
    "POST_SUFFIXES",
    "Project",
    "Site",
    "expand_folders",
    "given_folder",
    "given_paths",
    "open_project",
    "read_post",
]


@dataclass(frozen=True)
class Site:
    """One language pair of a site: the source language's posts and their translations."""

    root: Path
    source: str
    target: str
    config: HugoConfig
    # language -> translationKey -> post, read when a post's sibling is not where the
    # layout puts it.
    _keys: dict[str, dict[str, Path]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )
    # Source posts left untranslated (`exclude`, `skip_drafts`): never discovered.
    skip: PostFilter = field(default_factory=PostFilter)

    @classmethod
    def open(cls, root: Path, source: str, target: str, *, content_dir: str = "content") -> Site:
        """Return the pair `source` -> `target` of the site at `root`, as its config says."""
        config, _ = site_config(root, [source, target], content_dir)
        return cls(root, source, target, config)

    @property
    def layout(self) -> str:
        """Return how the site keeps translations: `dir` or `file` (Hugo's two ways)."""
        return self.config.layout

    @property
    def source_root(self) -> Path:
        """Return the content folder holding the source-language posts."""
        return self.root / self.config.language(self.source).content_dir

    @property
    def target_root(self) -> Path:
        """Return the content folder the translations go to."""
        return self.root / self.config.language(self.target).content_dir

    def posts(self, only: Sequence[Path] = ()) -> list[Path]:
        """Return the source posts, sorted; `only` limits them to the files given.

        A folder in `only` stands for its page bundle's `index.md`, or for every source
        post below it.
        """
        if only:
            self.check_layout()
            chosen: list[Path] = []
            for path in only:
                folder = given_folder(path, self.root)
                chosen += [self._inside(path)] if folder is None else self._posts_in(folder)
            return list(dict.fromkeys(chosen))
        return self.discover()[0]

    def _posts_in(self, folder: Path) -> list[Path]:
        resolved = folder.resolve()
        below = [post for post in self.discover()[0] if post.resolve().is_relative_to(resolved)]
        # A leaf bundle: its index is the page, the folder's other files are its resources.
        bundle = [
            post
            for post in below
            if post.parent.resolve() == resolved and post.name.split(".")[0] == "index"
        ]
        if bundle:
            return bundle
        if not below:
            raise SiteError(
                f"no {self.source} posts in this folder",
                path=folder,
                hint=f"name a folder or post under {self.show(self.source_root)}/",
            )
        return below

    def discover(self) -> tuple[list[Path], list[Path]]:
        """Return the source posts, sorted, and the links to posts outside the source folder.

        A post that is a symbolic link counts only if it points into the source folder: the
        rule that applies to posts named on the command line. Links that point elsewhere
        (outside the site, say) are returned apart, for a warning, and never read.
        """
        self.check_layout()
        inside = self.source_root.resolve()
        posts: list[Path] = []
        outside: list[Path] = []
        for path in self.config.posts(self.source):
            if self.skip.excludes(path, self.source_root, read_post):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                outside.append(path)
            else:
                posts.append(path)
        return posts, outside

    def translations(self) -> list[Path]:
        """Return the target language's posts, sorted (translations and orphans alike)."""
        return self.config.posts(self.target)

    def check_layout(self) -> None:
        """Raise SiteError, explaining the expected layout, if the source folder is missing."""
        if not self.source_root.is_dir():
            where = self.show(self.source_root)
            raise SiteError(
                f"no {where}/ folder",
                path=self.root,
                hint=f"run in a Hugo site root or pass --site; {self.source} posts are "
                f"expected under {where}/ ({self.describe()})",
            )

    def describe(self) -> str:
        """Say where the configuration came from, for hints."""
        return self.config.describe()

    def _inside(self, path: Path) -> Path:
        post, is_source = self.locate(path)
        if not is_source:
            raise SiteError(
                "this is a translation, not a source post",
                path=path,
                hint=f"name its {self.source} source post instead",
            )
        return post

    def locate(self, path: Path) -> tuple[Path, bool]:
        """Return `path` as a post of either language, and whether it is a source post.

        `path` may be absolute, relative to the current folder or to the site root. A
        symbolic link counts only where it points into its language's content folder.
        """
        candidates = given_paths(path, self.root)
        if not any(candidate.is_file() for candidate in candidates):
            raise SiteError("no such file", path=path, hint="check the path of the post")
        for candidate in candidates:
            post = Path(os.path.normpath(candidate.absolute()))
            language = self.config.language_of(post)
            if (
                language in (self.source, self.target)
                and post.suffix.lower() in POST_SUFFIXES
                and post.is_file()
                and self._contains(language, post)
            ):
                return post, language == self.source
        raise SiteError(
            "not a post of this site",
            path=path,
            hint=f"name a Markdown file of language {self.source} or {self.target} under "
            f"{self.show(self.source_root)}/ or {self.show(self.target_root)}/",
        )

    def _contains(self, language: str, path: Path) -> bool:
        """Tell whether `path`, its symbolic links followed, is in `language`'s content folder."""
        folder = (self.root / self.config.language(language).content_dir).resolve()
        return path.resolve().is_relative_to(folder)

    def sibling(self, post: Path) -> Path:
        """Return the path of the translation of a source post (existing or to be written).

        Hugo links a page to its translations by path, or by `translationKey` when the page
        sets one: a translation with the same key under another name is the sibling too.
        """
        return self._linked(post, self.target)

    def target_of(self, post: Path, sibling: Path | None = None) -> Path:
        """Return the translation of a source post, to read or write: its `sibling` (given,
        if the caller found it already).

        Raise PostError when a symbolic link (the file, or a folder on its way) leads
        outside the target language's content folder: the tool never writes there, and
        never takes the text it finds there for a reviewed translation.
        """
        target = sibling if sibling is not None else self.sibling(post)
        if target.exists() and not target.resolve().is_file():
            return target  # a device or a FIFO: the reader refuses it, saying what it is
        if not self._contains(self.target, target):
            raise PostError(
                f"a symbolic link leads this translation outside "
                f"{self.show(self.target_root)}/ (to {target.resolve()}); not read or written",
                path=self.show(target),
                hint="replace the link by a folder or file of the site",
            )
        return target

    def source_of(self, translation: Path) -> Path:
        """Return the path the source post of a translation has (or would have)."""
        return self._linked(translation, self.source)

    def _linked(self, post: Path, language: str) -> Path:
        path = self.config.sibling(post, language)
        if path.exists():
            return path
        key = translation_key(post)
        if key is None:
            return path
        if language not in self._keys:
            index: dict[str, Path] = {}
            for other in self.config.posts(language):
                index.setdefault(translation_key(other) or "", other)
            self._keys[language] = index
        return self._keys[language].get(key, path)

    def key(self, post: Path) -> str:
        """Return what names a post in either layout: its path in its content folder without
        a language suffix (`post/x/index.md` for `content/de/post/x/index.md` and for
        `content/post/x/index.de.md`). Records are kept under it."""
        return self.config.page_key(post)

    def page(self, post: Path) -> str:
        """Return the Hugo page a post is: `post/x` for `post/x.md` and `post/x/index.md`."""
        key = PurePosixPath(self.key(post))
        if key.stem in ("index", "_index"):
            return str(key.parent)
        return str(key.with_suffix(""))

    def show(self, path: Path) -> str:
        """Return `path` relative to the site root, for messages."""
        return relative_path(path, self.root)


def given_paths(path: Path, root: Path) -> list[Path]:
    """Return where a path a person typed may be: as given (from the current folder), then
    from the site root."""
    return [path] if path.is_absolute() else [path, root / path]


def given_folder(path: Path, root: Path) -> Path | None:
    """Return the folder a path a person typed names (see `given_paths`), if it names one."""
    return next((candidate for candidate in given_paths(path, root) if candidate.is_dir()), None)


def expand_folders(paths: Sequence[Path], root: Path) -> list[tuple[Path, bool]]:
    """Return the paths given (from here or from the site root), each folder replaced by
    the Markdown files below it, with whether it came from a folder: a folder's file that
    is no post is none of the caller's business, a file named that is no post is an error."""
    expanded: list[tuple[Path, bool]] = []
    for path in paths:
        folder = given_folder(path, root)
        if folder is None:
            expanded.append((path, False))
            continue
        files = sorted(
            found
            for found in folder.rglob("*")
            if found.suffix.lower() in POST_SUFFIXES and found.is_file()
        )
        expanded += [(found, True) for found in files]
    return expanded


def translation_key(post: Path) -> str | None:
    """Return a post's `translationKey` (any case, as Hugo reads keys), or None."""
    try:
        text = read_post(post)
        if "translationkey" not in text.lower():
            return None  # most posts: no need to parse the front matter
        front_matter, _ = split_front_matter(text)
        data = front_matter.data()
    except (TranslateError, ValueError):
        return None  # the post's own problem, reported where it is read
    if not isinstance(data, dict):
        return None
    for name, value in data.items():
        if str(name).lower() == "translationkey" and isinstance(value, (str, int)):
            return str(value)
    return None


def site_config(
    root: Path, languages: Sequence[str], content_dir: str = "content"
) -> tuple[HugoConfig, HugoConfig | None]:
    """Return the layout to work with and the site's Hugo configuration as read (or None).

    A configuration that names no languages describes a single-language Hugo site: the
    default layout for `languages` (the first is the source) applies, as without one.
    """
    root = root.absolute()  # content paths are taken relative to it (see `language_of`)
    hugo = load_hugo_config(root)
    if hugo is not None and hugo.origin("languages") is not None:
        return hugo, hugo
    codes = list(dict.fromkeys(languages))
    return HugoConfig.fallback(root, codes, content_dir=content_dir), hugo


@dataclass(frozen=True)
class Project:
    """A site and one run's languages: the source, the targets, each pair's settings."""

    root: Path
    settings: Settings  # source and targets resolved
    config: HugoConfig  # the layout: the site's Hugo configuration, or the default one
    hugo: HugoConfig | None = None  # the Hugo configuration as read, if any

    @property
    def configured(self) -> bool:
        """Tell whether the languages come from the site's Hugo configuration."""
        return self.config is self.hugo

    @property
    def targets(self) -> tuple[str, ...]:
        """Return the languages this run translates into."""
        return self.settings.targets

    def pairs(self) -> list[Settings]:
        """Return each language pair's settings, direct pairs first."""
        path = self.root / CONFIG_FILE
        return self.settings.pairs(path if path.is_file() else None)

    def site(self, pair: Settings) -> Site:
        """Return the site as one pair sees it."""
        skip = PostFilter(pair.exclude, pair.skip_drafts)
        return Site(self.root, pair.source, pair.target, self.config, skip=skip)

    def describe(self) -> str | None:
        """Say which Hugo configuration files are used (and which ignored), if any are."""
        if self.hugo is None:
            return None
        line = self.hugo.describe()
        if self.hugo.ignored:
            ignored = ", ".join(self.hugo.show(path) for path in self.hugo.ignored)
            line += f" ({ignored} ignored, as Hugo does)"
        return line

    def warnings(self) -> list[str]:
        """Return what about the site's languages a user should know before a run."""
        found: list[str] = []
        if self.hugo is not None and not self.configured:
            found.append(
                f"{self.hugo.show(self.hugo.files[-1])} names no languages, so Hugo builds one; "
                f"translating {self.config.content_dir}/<language>/ as for a site without "
                "Hugo configuration"
            )
        default = self.config.default_language
        for path, suffix in self.config.unknown_suffixes():
            found.append(
                f"{self.config.show(path)}: {suffix!r} is not a language of this site; Hugo "
                f"makes it a page of the default language ({default}) named with it"
            )
        found += table_warnings(self.config, self.settings.source, self.targets)
        found += untranslated_warnings(self.config, self.settings.source, self.targets)
        return found + self._reading_warnings() + self._leftover_warnings()

    def _leftover_warnings(self) -> list[str]:
        """Say which front matter keys and shortcodes keep source-language prose."""
        source, target = self.settings.source, self.targets[0]
        site = self.site(replace(self.settings, target=target, targets=(target,)))
        if not site.source_root.is_dir():
            return []
        knows, markdown = shortcode_knowledge(self.root, self.hugo, self.settings)
        found = []
        for post in site.discover()[0]:
            try:
                text = read_post(post)
            except TranslateError:
                continue  # the run reports it with the post
            keys = self.settings.translatable_keys
            for leftover in leftovers(text, (source, target), keys, knows, markdown):
                found.append((str(post), leftover))
        return summary(found, source)

    def _reading_warnings(self) -> list[str]:
        """Say what of the site is read without Hugo, or not translated at all."""
        hugo = self.hugo
        if hugo is None:
            return []
        found: list[str] = []
        if hugo.hugo_failure:
            found.append(
                f"Hugo could not read the site ({hugo.hugo_failure}); reading its "
                "configuration files without Hugo"
            )
        for name in hugo.missing_modules:
            found.append(
                f"theme or module {name!r} is neither in _vendor/ nor in the themes folder: "
                "its shortcodes and i18n tables are not read (with Hugo installed they are)"
            )
        if not self.configured:
            return found
        for language, folder in self.config.outside_content():
            found.append(f"content for {language.code} lives outside the site: {folder}")
        for module, mount in self.config.unread_content():
            whose = "the site" if module.is_project else module.path
            languages = f" for {', '.join(mount.languages)}" if mount.languages else ""
            found.append(
                f"{self.config.show(mount.source)} is mounted into {mount.target}/{languages} "
                f"by {whose}: its pages are not translated"
            )
        return found


def shortcode_knowledge(
    root: Path, hugo: HugoConfig | None, settings: Settings
) -> tuple[frozenset[str] | None, frozenset[str]]:
    """Return the shortcodes the site has a template for (its own, its themes', Hugo's;
    None without Hugo configuration: no theme to look in) and those read as Markdown."""
    templates = shortcode_templates(root, hugo)
    knows = frozenset(templates.files) | HUGO_SHORTCODES if hugo is not None else None
    markdown = templates.markdown | frozenset(settings.markdown_shortcodes) | MARKDOWN_SHORTCODES
    return knows, markdown


def open_project(root: Path, settings: Settings) -> Project:
    """Resolve a run's languages against the site at `root`.

    With Hugo configuration, the source must be an enabled language, and the targets are
    those given (each enabled) or else every enabled language but the source. Without,
    the targets are those given or else `settings.target`. Raise ConfigError naming the
    site's languages for a language it does not configure or has disabled.
    """
    given = settings.targets or (settings.target,)
    config, hugo = site_config(root, [settings.source, *given], settings.content_dir)
    if config is hugo:
        source = config.language(settings.source).code
        if settings.targets:
            targets = tuple(language.code for language in config.language_codes(given))
        else:
            targets = tuple(lang.code for lang in config.enabled if lang.code != source)
        if not targets:
            raise ConfigError(
                f"the site has no language to translate {source} into",
                path=config.files[-1],
                hint="add a language to the site's configuration",
            )
    else:
        source, targets = settings.source, given
    if source in targets:
        raise ConfigError(f"source and target language are both {source!r}")
    target = targets[0] if len(targets) == 1 else settings.target
    resolved = replace(settings, source=source, targets=targets, target=target)
    return Project(root, resolved, config, hugo)


def read_post(path: Path) -> str:
    """Read a post as UTF-8 text, keeping its line endings and a leading BOM.

    Only a regular file within the size limit is read (`translate.files.read_text`).
    """
    return read_text(path, error=PostError)
