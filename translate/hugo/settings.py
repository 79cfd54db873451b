"""Settings: defaults, then the site's `translate.toml`, then command-line flags.

One run translates from one source language into one or more targets. Each language pair
gets its own `Settings` (`Settings.pair`): its target, its model, and the language it goes
through when it has no direct model (its pivot).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from translate.errors import ConfigError
from translate.files import MAX_FILE_SIZE, read_data
from translate.hugo.config import load_hugo_config
from translate.hugo.languages import language_code
from translate.hugo.markup import markdown_options
from translate.markdown.front_matter import DEFAULT_TRANSLATABLE_KEYS
from translate.markdown.options import ReadingOptions
from translate.translation.backends import backend_names, default_backend, default_model
from translate.translation.backends.signature import MODELLESS_BACKENDS, Signature

CONFIG_FILE = "translate.toml"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, in one place.

    `source` and `target` are one language pair; `targets` are the languages a run
    translates into (empty: every enabled language of the site's Hugo configuration but
    the source, or `target` for a site without one).
    """

    source: str = "de"
    target: str = "en"
    targets: tuple[str, ...] = ()
    # CTranslate2 where it is installed, else transformers ("marian").
    backend: str = field(default_factory=default_backend)
    # The model of the one pair a run translates; None: `models`, else Helsinki-NLP/opus-mt-...
    model: str | None = None
    # Per pair ("de-fr" -> Hugging Face id or folder).
    models: Mapping[str, str] = field(default_factory=dict, hash=False)
    # A language to translate through where a pair has no direct model: for every pair
    # without one of its own in `models` (`pivot`), or for the pairs named (`pivots`).
    pivot: str | None = None
    pivots: Mapping[str, str] = field(default_factory=dict, hash=False)
    device: str = "auto"
    batch_size: int = 16
    beams: int = 4
    compute_type: str = "auto"  # CTranslate2: int8 on a CPU, int8_float16 on a GPU
    translatable_keys: tuple[str, ...] = DEFAULT_TRANSLATABLE_KEYS
    content_dir: str = "content"  # only for a site without Hugo configuration
    glossary_dir: str = "glossary"
    # `{{< >}}` pairs whose content is Markdown prose to translate, beyond those whose
    # template in the site says so (`.Inner | markdownify`) and Hugo's `details`.
    markdown_shortcodes: tuple[str, ...] = ()
    # Translate the text of raw HTML blocks (tags, attributes but alt and title, and code kept).
    translate_html: bool = True
    # Source posts to leave untranslated: globs relative to the source language's content
    # folder (`drafts/**`, `legal/*.md`), and posts whose front matter says `draft: true`.
    exclude: tuple[str, ...] = ()
    skip_drafts: bool = False
    # A front matter key set (to true) on translations that still hold machine text nobody
    # reviewed, and removed once every block is reviewed or approved; None: no label.
    machine_translated_key: str | None = None
    # Bytes: a larger post, record, table or glossary is refused unread (files.read_text).
    max_file_size: int = MAX_FILE_SIZE
    # A link to a page of the source language leads to its translation, once there is one.
    follow_links: bool = True

    @property
    def pair_name(self) -> str:
        """Return this pair as the memory folder and `[models]` name it: `de-fr`."""
        return pair_name(self.source, self.target)

    def reading(self, site: Path) -> ReadingOptions:
        """Return how the site's posts are read: its Hugo configuration and these settings."""
        markdown = markdown_options(site, self.markdown_shortcodes)
        markdown = replace(markdown, html_text=self.translate_html)
        own = (self.machine_translated_key,) if self.machine_translated_key else ()
        return ReadingOptions(self.translatable_keys, markdown, own)

    def signature(self, translator: object | None = None) -> Signature:
        """Return the signature of this pair's engine, as records keep it.

        A loaded engine describes itself (`signature()`: model, weights, decoding settings);
        one that was never loaded is described from the settings, its weights "unknown".
        """
        from translate import __version__

        describe = getattr(translator, "signature", None)
        fields: dict[str, str] = {"backend": self.backend}
        if callable(describe):
            fields.update({str(k): str(v) for k, v in describe().items()})
        elif self.backend in MODELLESS_BACKENDS:
            fields.update(model="none", weights="none")
        else:
            hops = self.hops()
            if hops is not None:
                fields["pivot"] = hops[0].target
            models = [hop.model or "" for hop in hops] if hops else [self.model or ""]
            fields.update(
                model="+".join(models) or default_model(self.source, self.target),
                weights="unknown",
                beams=str(self.beams),
                compute_type=self.compute_type,
            )
        return Signature.of(fields, version=__version__)

    def model_for(self, source: str, target: str) -> str:
        """Return the model of a direct pair: `models`, this pair's `model`, or Opus-MT's."""
        named = self.models.get(pair_name(source, target))
        if named:
            return named
        if self.model and (source, target) == (self.source, self.target):
            return self.model
        return default_model(source, target)

    def pivot_for(self, target: str) -> str | None:
        """Return the language the pair source -> `target` goes through, or None (direct)."""
        name = pair_name(self.source, target)
        if name in self.pivots:
            return self.pivots[name]
        direct = name in self.models or (self.model is not None and self.targets == (target,))
        if self.pivot in (None, self.source, target) or direct:
            return None
        return self.pivot

    def hops(self) -> tuple[Settings, Settings] | None:
        """Return this pair's two direct hops when it goes through a pivot, else None."""
        if self.pivot is None:
            return None
        first = replace(self, target=self.pivot, targets=(self.pivot,), pivot=None, pivots={})
        second = replace(first, source=self.pivot, target=self.target, targets=(self.target,))
        return (
            replace(first, model=self.model_for(self.source, self.pivot)),
            replace(second, model=self.model_for(self.pivot, self.target)),
        )

    def pair(self, target: str) -> Settings:
        """Return the settings of the pair source -> `target`, its model and pivot resolved."""
        pivot = self.pivot_for(target)
        model = None if pivot else self.models.get(pair_name(self.source, target), self.model)
        return replace(self, target=target, targets=(target,), model=model, pivot=pivot)

    def pairs(self, path: Path | None = None) -> list[Settings]:
        """Return the settings of every pair of the run: direct ones first, then pivoted.

        A direct pair's run leaves translations its pivoted pairs reuse. `targets` must be
        resolved. Raise ConfigError (naming `path`) for one `model` given to several pairs,
        or a pair given both a model and a pivot.
        """
        if self.model and len(self.targets) > 1:
            names = ", ".join(pair_name(self.source, target) for target in self.targets)
            raise ConfigError(
                f"one model ({self.model}) for {len(self.targets)} language pairs ({names})",
                path=path,
                hint='name each pair\'s model under [models] in translate.toml ("de-fr" = '
                '"..."), or translate one language with --to',
            )
        for name, pivot in self.pivots.items():
            if name in self.models or (self.model and name == self.pair_name):
                raise ConfigError(
                    f"{name} has both a model and a pivot ({pivot})",
                    path=path,
                    hint=f"remove one of them from [models] and [pivot] for {name}",
                )
            if name.startswith(f"{pivot}-") or name.endswith(f"-{pivot}"):
                raise ConfigError(
                    f"the pivot of {name} is one of its own languages",
                    path=path,
                    hint=f"remove {name} from [pivot]",
                )
        pairs = [self.pair(target) for target in self.targets]
        return sorted(pairs, key=lambda pair: pair.pivot is not None)


def pair_name(source: str, target: str) -> str:
    """Return a language pair's name: `de-fr`."""
    return f"{source}-{target}"


def parse_languages(value: str) -> tuple[str, ...]:
    """Return the language codes of a comma-separated list (`--to en,fr`), lowercased."""
    codes = tuple(code.strip().lower() for code in value.split(","))
    if not all(codes):
        raise ConfigError(
            f"{value!r} is not a list of language codes", hint="separate codes by commas: en,fr"
        )
    return tuple(dict.fromkeys(language_code(code) for code in codes))


_TYPES: dict[str, type] = {
    "source": str,
    "target": str,
    "targets": list,
    "backend": str,
    "model": str,
    "models": dict,
    "pivot": str,
    "device": str,
    "batch_size": int,
    "beams": int,
    "compute_type": str,
    "translatable_keys": list,
    "translatable_shortcode_params": dict,
    "content_dir": str,
    "glossary_dir": str,
    "markdown_shortcodes": list,
    "translate_html": bool,
    "exclude": list,
    "skip_drafts": bool,
    "machine_translated_key": str,
    "max_file_size": int,
    "follow_links": bool,
}
_DEVICES = ("auto", "cpu", "cuda")
# A `[models]` or `[pivot]` key: two language codes joined by a hyphen ("de-fr", "de-pt-br").
_PAIR = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*-[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


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
    file's values. Without a source language in either, the source is the Hugo site's
    `defaultContentLanguage` (when its configuration names languages), else `de`.
    """
    path = site / CONFIG_FILE
    values = _read(path) if path.is_file() else {}
    _models_from_site(values, site)
    params = values.pop("translatable_shortcode_params", None)
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    if "targets" in given and "target" not in given and len(given["targets"]) == 1:
        given["target"] = given["targets"][0]
    merged = {**values, **given}
    if "source" not in merged:
        hugo = load_hugo_config(site)
        if hugo is not None and (hugo.origin("languages") or hugo.origin("defaultcontentlanguage")):
            merged["source"] = hugo.default_language
    settings = replace(Settings(), **merged)
    if params is not None:
        keys = _with_shortcode_params(settings.translatable_keys, params, path)
        settings = replace(settings, translatable_keys=keys)
    # Name the file only if it exists: the bad value may come from a flag.
    _check(settings, path if path.is_file() else None)
    return settings


def _models_from_site(values: dict[str, Any], site: Path) -> None:
    """Take a model folder `translate.toml` names by a relative path from the site root, as
    the file is read wherever the command runs; a name that is no folder there (a hub
    model, `Helsinki-NLP/opus-mt-de-en`) stays as it is."""

    def resolved(model: str) -> str:
        folder = site / model  # an absolute path (or `~/…`, for the backend) stays as it is
        return str(folder) if not model.startswith("~") and folder.is_dir() else model

    if isinstance(values.get("model"), str):
        values["model"] = resolved(values["model"])
    if isinstance(values.get("models"), Mapping):
        values["models"] = {pair: resolved(model) for pair, model in values["models"].items()}


def _read(path: Path) -> dict[str, Any]:
    data = read_data(path, error=ConfigError)
    section: dict[str, Any] = data.get("translate", data)
    known = {field.name for field in fields(Settings)} - {"pivots"}
    known.add("translatable_shortcode_params")
    values: dict[str, Any] = {}
    for key, value in section.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(
                f"unknown setting {key!r}",
                path=path,
                hint=f"known settings: {', '.join(sorted(known))}",
            )
        if name == "pivot" and isinstance(value, dict):
            values["pivots"] = _pairs(key, value, path)
            continue
        expected = _TYPES[name]
        # A TOML boolean is an int to Python: only a bool setting takes one.
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(
                f"{key} must be a {_kind(expected)}, not {type(value).__name__}", path=path
            )
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key} must be a list of strings", path=path)
        checked: Any = value  # of the type checked above, which mypy cannot follow
        if name == "models":
            values[name] = _pairs(key, checked, path)
        elif name == "targets":
            values[name] = parse_languages(",".join(checked)) if checked else ()
        elif name in ("source", "target", "pivot"):
            values[name] = checked.strip().lower()
        else:
            values[name] = tuple(checked) if isinstance(checked, list) else checked
    if "target" in values and "targets" in values:
        raise ConfigError(
            "both target and targets are set", path=path, hint="keep targets = [...] only"
        )
    if "target" in values:
        values["targets"] = (values["target"],)
    return values


def _kind(expected: type) -> str:
    names = {"dict": "table", "list": "list", "str": "string", "int": "whole number"}
    return {**names, "bool": "boolean (true or false)"}.get(expected.__name__, expected.__name__)


def _pairs(key: str, table: Mapping[str, Any], path: Path) -> dict[str, str]:
    """Read a table of language pairs (`"de-fr" = "..."`), such as `[models]` or `[pivot]`."""
    found: dict[str, str] = {}
    for name, value in table.items():
        pair = name.strip().lower()
        if not _PAIR.fullmatch(pair):
            raise ConfigError(
                f"[{key}] key {name!r} is not a language pair",
                path=path,
                hint='name a pair as source-target: "de-fr"',
            )
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"[{key}] {name!r} must be a non-empty string", path=path)
        found[pair] = value.strip() if key == "models" else value.strip().lower()
    return found


def _check(settings: Settings, path: Path | None) -> None:
    # Codes become folder and file names: never a path of their own (`--to ../x`).
    pivots = (*settings.pivots.values(), *([settings.pivot] if settings.pivot else []))
    for code in (settings.source, settings.target, *settings.targets, *pivots):
        language_code(code, path=path)
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
    if settings.max_file_size < 1:
        raise ConfigError(
            "max_file_size must be a number of bytes, at least 1",
            path=path,
            hint=f"the default is {MAX_FILE_SIZE:_} (50 MB)",
        )
    # Without targets, the site decides them (open_project checks the source is not one).
    if settings.source in settings.targets:
        raise ConfigError(f"source and target language are both {settings.source!r}", path=path)
