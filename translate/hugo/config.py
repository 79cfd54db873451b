"""A Hugo site's configuration as Hugo reads it: asked of Hugo, or read without it.

When the `hugo` binary is at hand, Hugo itself says what it reads (`hugo_binary`): the merged
configuration and every module's mounts. Otherwise the site's files are read the way Hugo
reads them (`config_files`). Either way the result is one `HugoConfig` (`layout`): the
languages, the default one, each language's content folder, the modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from translate.errors import ConfigError
from translate.hugo.config_files import (
    EXTENSIONS,
    find_modules,
    local_replacements,
    project_mounts,
    read_config_files,
    read_data,
)
from translate.hugo.hugo_binary import HugoAnswer, Module, ask_hugo, find_hugo
from translate.hugo.languages import language_code
from translate.hugo.layout import (
    DEFAULT_CONTENT_DIR,
    DEFAULT_I18N_DIR,
    POST_SUFFIXES,
    HugoConfig,
    Language,
    normal_path,
)

__all__ = [
    "DEFAULT_CONTENT_DIR",
    "DEFAULT_I18N_DIR",
    "EXTENSIONS",
    "POST_SUFFIXES",
    "HugoConfig",
    "Language",
    "load_hugo_config",
    "read_data",
]


# --- reading ------------------------------------------------------------------------------


def load_hugo_config(
    site: Path, *, environment: str = "production", hugo: Path | bool = True
) -> HugoConfig | None:
    """Read the configuration of the Hugo site at `site` the way Hugo does.

    With `hugo` (True: the installed binary, see `find_hugo`; or a binary's path), Hugo
    itself is asked; when it cannot read the site, or with `hugo=False`, the site's files
    are read without it. Return None when the site has no Hugo configuration at all: the
    caller then keeps its own defaults (`content/<lang>/`, see `HugoConfig.fallback`).
    `environment` picks `config/<environment>/` as `hugo` does (`production`; `hugo
    server` uses `development`). Raise ConfigError, with file and line, for a file that
    does not parse and for languages Hugo would refuse.
    """
    site = site.absolute()
    files = read_config_files(site, environment)
    if files is None:
        return None
    binary = find_hugo() if hugo is True else (hugo or None)
    failure = ""
    if binary is not None:
        try:
            answer = ask_hugo(
                site,
                binary,
                environment=environment,
                files=files.files,
                replacements=local_replacements(site),
            )
        except ConfigError as error:
            failure = error.message
        else:
            return _from_hugo(
                site, answer, files.data, tuple(files.files), files.ignored, files.origins
            )
    config = _build(site, files.data, tuple(files.files), tuple(files.ignored), files.origins)
    enabled = [(language.code, _own_dir(files.data, language.code)) for language in config.enabled]
    modules, missing = find_modules(site, files.data, project_mounts(site, files.data, enabled))
    return replace(_with_mounts(config, modules), missing_modules=missing, hugo_failure=failure)


def _own_dir(data: Mapping[str, Any], code: str) -> str | None:
    languages = data.get("languages")
    settings = languages.get(code) if isinstance(languages, Mapping) else None
    value = settings.get("contentdir") if isinstance(settings, Mapping) else None
    return value if isinstance(value, str) and value else None


def _from_hugo(
    site: Path,
    answer: HugoAnswer,
    data: Mapping[str, Any],
    files: tuple[Path, ...],
    ignored: Iterable[Path],
    origins: dict[str, Path],
) -> HugoConfig:
    """Build the configuration from what Hugo said; the files name where keys were set."""
    config = _build(site, answer.config, files, tuple(ignored), origins)
    # Hugo's own `contentDir` is the default language's; the site's is the files'.
    content_dir = _string(data, "contentdir", DEFAULT_CONTENT_DIR, origins)
    config = replace(
        config,
        content_dir=content_dir,
        languages=tuple(
            language if language.own_content else replace(language, content_dir=content_dir)
            for language in config.languages
        ),
    )
    return replace(_with_mounts(config, answer.modules), read_by=f"Hugo {answer.version}")


def _with_mounts(config: HugoConfig, modules: tuple[Module, ...]) -> HugoConfig:
    """Give each enabled language the content folder the project mounts for it."""
    project = modules[0] if modules else None
    content = [m for m in project.mounts if m.target == "content"] if project else []
    languages = []
    for language in config.languages:
        own = next((m for m in content if m.languages == (language.code,)), None)
        shared = next((m for m in content if not m.languages), None)
        chosen = own or next((m for m in content if language.code in m.languages), shared)
        if chosen is None or language.disabled:
            languages.append(language)
            continue
        languages.append(
            replace(
                language,
                content_dir=_relative(config.root, chosen.source),
                own_content=bool(chosen.languages),
            )
        )
    return replace(config, languages=tuple(languages), modules=modules)


def _relative(root: Path, path: Path) -> str:
    """Return a folder relative to the site root if it is inside, else absolute (posix)."""
    normal = normal_path(path)
    try:
        return normal.relative_to(normal_path(root)).as_posix() or "."
    except ValueError:
        return normal.as_posix()


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
    if default:
        language_code(
            default, what="defaultContentLanguage", path=origins.get("defaultcontentlanguage")
        )
    if not configured:
        configured = {default or "en": {}}
    disabled_list = data.get("disablelanguages") or []
    disabled = {str(code).lower() for code in disabled_list}
    languages = []
    for code, settings in configured.items():
        where = origins.get(f"languages.{str(code).lower()}") or origins.get("languages")
        checked = language_code(code, what="the key of languages", path=where)
        if not isinstance(settings, Mapping):
            raise ConfigError(f"languages.{code} must be a map", path=where)
        languages.append(_language(checked, settings, content_dir, checked in disabled, origins))
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
        base_url=str(data.get("baseurl") or ""),
        ugly_urls=data.get("uglyurls") is True,
        permalinks=_permalink_sections(_mapping(data.get("permalinks"))),
    )


def _permalink_sections(permalinks: Mapping[str, Any]) -> frozenset[str]:
    """Return the sections whose pages `permalinks` gives URLs of their own.

    Hugo takes `permalinks.<section>` and, since v0.115, `permalinks.page.<section>` (and
    `section`, `term`, `taxonomy` for list pages, which are no posts' URLs here).
    """
    sections = {str(key).lower() for key, value in permalinks.items() if isinstance(value, str)}
    page = permalinks.get("page")
    if isinstance(page, Mapping):
        sections |= {str(key).lower() for key in page}
    return frozenset(sections)


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
    own = _string(settings, "contentdir", "", origins, prefix)
    return Language(
        code=code,
        content_dir=own or content_dir,
        disabled=disabled or bool(settings.get("disabled", False)),
        language_code=str(locale) if locale else None,
        language_name=str(name) if name else None,
        weight=weight,
        own_content=bool(own),
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
    return (
        PurePosixPath(value.replace("\\", "/")).as_posix()
        if key.endswith("dir") and value
        else value
    )
