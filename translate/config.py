"""Settings: defaults, then the site's `translate.toml`, then command-line flags."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from translate.backends import backend_names
from translate.errors import ConfigError
from translate.front_matter import DEFAULT_TRANSLATABLE_KEYS

CONFIG_FILE = "translate.toml"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, in one place."""

    source: str = "de"
    target: str = "en"
    backend: str = "marian"
    model: str | None = None  # None: Helsinki-NLP/opus-mt-{source}-{target}
    device: str = "auto"
    batch_size: int = 16
    beams: int = 4
    compute_type: str = "auto"  # CTranslate2: int8 on a CPU, int8_float16 on a GPU
    translatable_keys: tuple[str, ...] = DEFAULT_TRANSLATABLE_KEYS
    content_dir: str = "content"
    glossary_dir: str = "glossary"
    # `{{< >}}` pairs whose content is Markdown prose to translate, beyond those whose
    # template in the site says so (`.Inner | markdownify`) and Hugo's `details`.
    markdown_shortcodes: tuple[str, ...] = ()


_TYPES: dict[str, type] = {
    "source": str,
    "target": str,
    "backend": str,
    "model": str,
    "device": str,
    "batch_size": int,
    "beams": int,
    "compute_type": str,
    "translatable_keys": list,
    "translatable_shortcode_params": dict,
    "content_dir": str,
    "glossary_dir": str,
    "markdown_shortcodes": list,
}
_DEVICES = ("auto", "cpu", "cuda")


def _with_shortcode_params(
    keys: tuple[str, ...], params: Mapping[str, Any], path: Path
) -> tuple[str, ...]:
    """Merge `translatable_shortcode_params` into the translatable keys (`{{name}}.param`).

    A shortcode named there takes exactly the parameters listed (an empty list: none);
    the others keep their defaults. Positional parameters are given by index.
    """
    entries: list[str] = []
    for name, listed in params.items():
        if not isinstance(listed, list) or not all(
            isinstance(item, (str, int)) and not isinstance(item, bool) for item in listed
        ):
            raise ConfigError(
                f"translatable_shortcode_params.{name} must be a list of parameter names "
                "or positions",
                path=path,
                hint='e.g. translatable_shortcode_params = { callout = ["title"], quote = [0] }',
            )
        entries += [f"{{{{{name}}}}}.{item}" for item in listed]
    kept = [key for key in keys if not any(key.startswith(f"{{{{{name}}}}}.") for name in params)]
    return (*kept, *entries)


def load_settings(site: Path, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Return the settings for `site`: its `translate.toml` (if any) under `overrides`.

    Overrides whose value is None are ignored, so unset command-line flags keep the
    file's values.
    """
    settings = Settings()
    path = site / CONFIG_FILE
    if path.is_file():
        values = _read(path)
        params = values.pop("translatable_shortcode_params", None)
        settings = replace(settings, **values)
        if params is not None:
            keys = _with_shortcode_params(settings.translatable_keys, params, path)
            settings = replace(settings, translatable_keys=keys)
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    settings = replace(settings, **given)
    # Name the file only if it exists: the bad value may come from a flag.
    _check(settings, path if path.is_file() else None)
    return settings


def _read(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        raise ConfigError(
            f"invalid TOML: {getattr(error, 'msg', error)}", path=path, line=line
        ) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8", path=path, hint="save the file as UTF-8") from None
    section = data.get("translate", data)
    known = {field.name for field in fields(Settings)} | {"translatable_shortcode_params"}
    values: dict[str, Any] = {}
    for key, value in section.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(
                f"unknown setting {key!r}",
                path=path,
                hint=f"known settings: {', '.join(sorted(known))}",
            )
        expected = _TYPES[name]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(
                f"{key} must be a {expected.__name__}, not {type(value).__name__}", path=path
            )
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key} must be a list of strings", path=path)
        values[name] = tuple(value) if isinstance(value, list) else value
    return values


def _check(settings: Settings, path: Path | None) -> None:
    if settings.backend not in backend_names():
        raise ConfigError(
            f"unknown backend {settings.backend!r}",
            path=path,
            hint=f"choose one of: {', '.join(backend_names())}",
        )
    if settings.device not in _DEVICES:
        raise ConfigError(
            f"unknown device {settings.device!r}", path=path, hint="use auto, cpu or cuda"
        )
    if settings.batch_size < 1 or settings.beams < 1:
        raise ConfigError("batch size and beams must be at least 1", path=path)
    if settings.source == settings.target:
        raise ConfigError(f"source and target language are both {settings.source!r}", path=path)
