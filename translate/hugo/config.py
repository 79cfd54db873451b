"""A Hugo site's configuration, read the way Hugo reads it, and where each language's posts are.

Hugo (v0.168, `config/allconfig/load.go` and `config/configLoader.go`) takes the first of
`hugo.toml`, `hugo.yaml`, `hugo.yml`, `hugo.json`, `config.toml`, `config.yaml`,
`config.yml`, `config.json` at the site root and ignores the others. Then it merges the
configuration directory over it: every file of `config/_default/`, then of
`config/<environment>/`, in file-name order, each one over the ones before, maps merged key by
key. In that directory `hugo.*` and `config.*` hold top-level keys, any other file the key
of its name (`languages.toml` is `languages`, `params.toml` is `params`), and a file named
for a language (`params.de.toml`, `menus.en.yaml`) that key of `languages.<lang>`. Keys are
case-insensitive: Hugo lowercases them all.

Languages come in Hugo's order: by weight, a language without one last, then by code.
`defaultContentLanguage` is the one set, or else `en` if configured, or else the first
language. A page's language is its file name's suffix when that names a configured language
(`post.en.md`, case-insensitive), or else the language of the content directory it is in:
a language's own `contentDir`, or, for the directory several languages share, the default
language. A suffix that names no configured language (`post.xx.md`) is part of the page's
name: Hugo makes it a page `post.xx` of the default language. A suffix naming a disabled
language keeps the file out of the site.

Not read: themes' and modules' configuration, module mounts, `HUGO_*` environment
variables and command-line flags. They rarely concern languages; a site that moves its
content with mounts is not understood.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from translate.errors import ConfigError, SiteError

ROOT_NAMES = ("hugo", "config")
EXTENSIONS = ("toml", "yaml", "yml", "json")
DEFAULT_CONTENT_DIR = "content"
DEFAULT_I18N_DIR = "i18n"
POST_SUFFIXES = (".md", ".markdown")
# What a file name's language suffix looks like (`en`, `pt-br`, `zh-hans`): a suffix of
# this shape that names no language of the site is most likely a mistake.
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", re.IGNORECASE)

Layout = Literal["dir", "file"]


@dataclass(frozen=True)
class Language:
    """One entry of the site's `languages`, with its content directory resolved."""

    code: str  # the key under `languages`, lowercased as Hugo does
    content_dir: str  # relative to the site root: the language's own, or the site's
    disabled: bool = False
    language_code: str | None = None  # `locale`, or the older `languageCode`
    language_name: str | None = None  # `label`, or the older `languageName`
    weight: int = 0


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

    @classmethod
    def fallback(
        cls, root: Path, languages: Iterable[str], *, content_dir: str = DEFAULT_CONTENT_DIR
    ) -> HugoConfig:
        """Return the layout of a site without Hugo configuration: `content/<lang>/`.

        The first language is the default one.
        """
        codes = [code.lower() for code in languages]
        return cls(
            root=root,
            files=(),
            ignored=(),
            default_language=codes[0],
            languages=tuple(Language(code, f"{content_dir}/{code}") for code in codes),
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
        return "using " + ", ".join(self.show(path) for path in self.files)

    def show(self, path: Path) -> str:
        """Return `path` relative to the site root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

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
        the language's directory, `x.en.md` next to the post); otherwise the language's own
        directory gets `x.md` and a shared one `x.en.md` (`x.md` for the default language).
        """
        target = self.language(language)
        key = PurePosixPath(self.page_key(post))
        directory = self.root / target.content_dir
        plain = directory / key
        suffixed = directory / _with_suffix(key, target.code)
        beside = post.parent / _with_suffix(PurePosixPath(key.name), target.code)
        owned = self._owner(target.content_dir) == target.code
        candidates = [plain, suffixed, beside] if owned else [suffixed, beside]
        for candidate in candidates:
            if candidate.is_file() and self.language_of(candidate) == target.code:
                return candidate
        return plain if owned else suffixed

    def unknown_suffixes(self) -> list[tuple[Path, str]]:
        """Return the content files whose suffix looks like a language the site lacks.

        Hugo makes `post.xx.md` a page `post.xx` of the default language; a reviewer most
        likely meant a language, so callers should say so.
        """
        codes = {language.code for language in self.languages}
        found: list[tuple[Path, str]] = []
        for path, _ in self._files():
            suffix = _suffix(path.name)
            if suffix and _LANGUAGE_TAG.fullmatch(suffix) and suffix.lower() not in codes:
                found.append((path, suffix))
        return found

    def _place(self, path: Path) -> tuple[str, str] | None:
        """Return (page key, language) of a content file, or None outside the content dirs."""
        absolute = (path if path.is_absolute() else self.root / path).absolute()
        directory = self._directory_of(absolute)
        if directory is None:
            return None
        inside = absolute.relative_to((self.root / directory).absolute())
        relative = PurePosixPath(inside.as_posix())
        suffix = _suffix(relative.name)
        codes = {language.code for language in self.languages}
        if suffix is not None and suffix.lower() in codes:
            name = relative.name.removesuffix(relative.suffix)
            stem = name[: -len(suffix) - 1]
            return str(relative.with_name(stem + relative.suffix)), suffix.lower()
        return str(relative), self._owner(directory)

    def _directory_of(self, path: Path) -> str | None:
        """Return the most specific content directory holding `path`."""
        best: str | None = None
        for directory in self._content_dirs():
            if path.is_relative_to((self.root / directory).absolute()) and (
                best is None or len(directory) > len(best)
            ):
                best = directory
        return best

    def _owner(self, directory: str) -> str:
        """Return the language of a file without suffix in `directory`."""
        users = [language.code for language in self.enabled if language.content_dir == directory]
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
            base = self.root / directory
            inner = [
                self.root / other
                for other in directories
                if other != directory and (self.root / other).is_relative_to(base)
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


def _suffix(name: str) -> str | None:
    """Return the language suffix candidate of a file name: `en` of `post.en.md`."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if "." not in stem:
        return None
    suffix = stem.rsplit(".", 1)[1]
    return suffix or None


def _with_suffix(path: PurePosixPath, code: str) -> PurePosixPath:
    return path.with_name(f"{path.stem}.{code}{path.suffix}")


# --- reading ------------------------------------------------------------------------------


def load_hugo_config(site: Path, *, environment: str = "production") -> HugoConfig | None:
    """Read the configuration of the Hugo site at `site` the way Hugo does.

    Return None when the site has no Hugo configuration at all: the caller then keeps its
    own defaults (`content/<lang>/`, see `HugoConfig.fallback`). `environment` picks
    `config/<environment>/` as `hugo` does (`production`; `hugo server` uses
    `development`). Raise ConfigError, with file and line, for a file that does not parse
    and for languages Hugo would refuse.
    """
    present = [
        site / f"{name}.{extension}"
        for name in ROOT_NAMES
        for extension in EXTENSIONS
        if (site / f"{name}.{extension}").is_file()
    ]
    merged: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    files: list[Path] = []
    if present:
        _merge(merged, _lower(read_data(present[0])), present[0], origins)
        files.append(present[0])
    # Hugo takes the directory from its --configDir flag, never from a file.
    config_dir = site / "config"
    for directory in (config_dir / "_default", config_dir / environment):
        for path in _config_files(directory):
            _merge(merged, _wrap(path, _lower(read_data(path))), path, origins)
            files.append(path)
    if not files:
        return None
    return _build(site, merged, tuple(files), tuple(present[1:]), origins)


def _config_files(directory: Path) -> list[Path]:
    """Return a config directory's files as Hugo walks them: recursively, by name."""
    if not directory.is_dir():
        return []
    found: list[Path] = []
    for path in sorted(directory.iterdir(), key=lambda item: item.name):
        if path.is_dir():
            found += _config_files(path)
        elif path.suffix.lower().lstrip(".") in EXTENSIONS:
            found.append(path)
    return found


def _wrap(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Place a config directory file's content under the key its name stands for."""
    name = path.name.rsplit(".", 1)[0].lower()
    if name in ROOT_NAMES:
        return data
    key, _, language = name.partition(".")
    # A file may wrap its content in its own key (`cascade.yaml` with `cascade: [...]`).
    value: Any = data[key] if len(data) == 1 and key in data else data
    if not language:
        return {key: value}
    if key in ("menu", "menus"):
        return {"languages": {language: {"menus": value}}}
    if key == "params":
        return {"languages": {language: {"params": value}}}
    return {"languages": {language: value}}


def _lower(value: Any) -> Any:
    """Lowercase every map key, recursively, as Hugo does."""
    if isinstance(value, Mapping):
        return {str(key).lower(): _lower(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower(item) for item in value]
    return value


def _merge(
    target: dict[str, Any],
    source: Mapping[str, Any],
    path: Path,
    origins: dict[str, Path],
    prefix: str = "",
) -> None:
    """Merge `source` over `target`: maps key by key, anything else replaced."""
    for key, value in source.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value, path, origins, f"{dotted}.")
            continue
        target[key] = dict(value) if isinstance(value, Mapping) else value
        for name in [name for name in origins if name.startswith(f"{dotted}.")]:
            del origins[name]
        _record(value, path, origins, dotted)


def _record(value: Any, path: Path, origins: dict[str, Path], dotted: str) -> None:
    origins[dotted] = path
    if isinstance(value, Mapping):
        for key, item in value.items():
            _record(item, path, origins, f"{dotted}.{key}")


def _build(
    site: Path,
    data: Mapping[str, Any],
    files: tuple[Path, ...],
    ignored: tuple[Path, ...],
    origins: dict[str, Path],
) -> HugoConfig:
    """Resolve languages, the default one and content directories as Hugo does."""
    content_dir = _string(data, "contentdir", DEFAULT_CONTENT_DIR, origins)
    configured = data.get("languages") or {}
    if not isinstance(configured, Mapping):
        raise ConfigError(
            "languages must be a map of language codes", path=origins.get("languages")
        )
    default = _string(data, "defaultcontentlanguage", "", origins).lower()
    if not configured:
        configured = {default or "en": {}}
    disabled_list = data.get("disablelanguages") or []
    disabled = {str(code).lower() for code in disabled_list}
    languages = []
    for code, settings in configured.items():
        if not isinstance(settings, Mapping):
            raise ConfigError(
                f"languages.{code} must be a map", path=origins.get(f"languages.{code}")
            )
        languages.append(_language(code, settings, content_dir, code in disabled, origins))
    languages.sort(key=lambda language: (language.weight == 0, language.weight, language.code))
    enabled = [language for language in languages if not language.disabled]
    where = origins.get("defaultcontentlanguage")
    if default and default not in {language.code for language in languages}:
        raise ConfigError(
            f"defaultContentLanguage {default!r} is not among the languages",
            path=where,
            hint="add it to languages or choose one of "
            + ", ".join(language.code for language in enabled),
        )
    if default and default not in {language.code for language in enabled}:
        raise ConfigError(f"the default language {default!r} is disabled", path=where)
    if not enabled:
        raise ConfigError("every language of the site is disabled", path=files[-1])
    if not default:
        default = "en" if any(language.code == "en" for language in enabled) else enabled[0].code
    # Hugo's order for the default language: its own locale, the site's locale, its own
    # languageCode, the site's languageCode.
    own = configured.get(default, {})
    for locale in (
        own.get("locale"),
        data.get("locale"),
        own.get("languagecode"),
        data.get("languagecode"),
    ):
        if locale:
            languages = [
                replace(language, language_code=str(locale))
                if language.code == default
                else language
                for language in languages
            ]
            break
    return HugoConfig(
        root=site,
        files=files,
        ignored=ignored,
        default_language=default,
        languages=tuple(languages),
        default_in_subdir=bool(data.get("defaultcontentlanguageinsubdir", False)),
        content_dir=content_dir,
        i18n_dir=_string(data, "i18ndir", DEFAULT_I18N_DIR, origins),
        origins=dict(origins),
        markup=_mapping(data.get("markup")),
        enable_emoji=bool(data.get("enableemoji", False)),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _language(
    code: str,
    settings: Mapping[str, Any],
    content_dir: str,
    disabled: bool,
    origins: Mapping[str, Path],
) -> Language:
    prefix = f"languages.{code}."
    weight = settings.get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, int):
        raise ConfigError(
            f"languages.{code}.weight must be a whole number, not {weight!r}",
            path=origins.get(prefix + "weight"),
        )
    locale = settings.get("locale") or settings.get("languagecode")
    name = settings.get("label") or settings.get("languagename")
    return Language(
        code=code.lower(),
        content_dir=_string(settings, "contentdir", content_dir, origins, prefix),
        disabled=disabled or bool(settings.get("disabled", False)),
        language_code=str(locale) if locale else None,
        language_name=str(name) if name else None,
        weight=weight,
    )


def _string(
    data: Mapping[str, Any],
    key: str,
    default: str,
    origins: Mapping[str, Path],
    prefix: str = "",
) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(
            f"{prefix}{key} must be a string, not {value!r}", path=origins.get(prefix + key)
        )
    return PurePosixPath(value.replace("\\", "/")).as_posix() if key.endswith("dir") else value


def read_data(path: Path) -> dict[str, Any]:
    """Read a TOML, YAML or JSON file (by its extension) into plain values.

    Raise ConfigError with the file and line of a syntax error.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8", path=path, hint="save the file as UTF-8") from None
    data = parse_data(text, path.suffix.lower().lstrip("."), path)
    return data


def parse_data(text: str, fmt: str, path: Path) -> dict[str, Any]:
    """Parse TOML, YAML or JSON text that must hold a map; errors name `path` and the line."""
    try:
        if fmt == "toml":
            data: Any = tomllib.loads(text)
        elif fmt in ("yaml", "yml"):
            data = YAML(typ="safe", pure=True).load(text)
        elif fmt == "json":
            data = json.loads(text)
        else:
            raise ConfigError(f"unknown format {fmt!r}", path=path)
    except (tomllib.TOMLDecodeError, MarkedYAMLError, json.JSONDecodeError) as error:
        raise syntax_error(error, path, fmt) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"expected a map of keys, not {type(data).__name__}", path=path, line=1)
    return data


def syntax_error(error: Exception, path: Path, fmt: str) -> ConfigError:
    """Return a ConfigError with the line of a TOML, YAML or JSON parser's error."""
    line: int | None = None
    message = str(error)
    if isinstance(error, json.JSONDecodeError):
        line, message = error.lineno, error.msg
    elif isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = error.problem or error.context or message
    else:
        # tomllib and tomlkit say "... (at line 3, column 7)" or "... at line 3 col 7".
        found = re.search(r"line (\d+)", message)
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(?at line \d+,? col(?:umn)? \d+\)?", "", message)
    return ConfigError(
        f"invalid {fmt.upper().replace('YML', 'YAML')}: {message}",
        path=path,
        line=line,
        hint="fix the syntax; `hugo config` shows how Hugo reads it",
    )
