"""Translation engines behind one tiny interface, looked up by name and imported lazily.

A translator is any object with ``translate(texts) -> list[str]``: one output per input, in
order. The registered backends are `Backend`s: they also count a text's tokens, know the
longest input their model takes and sign their output. Importing all engines is slow (torch,
ctranslate2), so the registry maps names to import paths and imports only the one chosen.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from translate.errors import ConfigError


@runtime_checkable
class Translator(Protocol):
    """Turns a list of source strings into a list of target strings, one for one."""

    def translate(self, texts: Sequence[str]) -> list[str]: ...


@runtime_checkable
class Backend(Translator, Protocol):
    """A translator that also measures texts as its model does and says how it translates.

    On Python 3.11, `isinstance(x, Backend)` reads `max_input_tokens`, which may resolve
    the model's folder (not its weights); 3.12 only looks the names up.
    """

    @property
    def max_input_tokens(self) -> int | None:
        """The longest input, in tokens, the model takes; None for no limit."""
        ...

    def count_tokens(self, text: str) -> int:
        """Return how many tokens `text` takes as the model's input."""
        ...

    def signature(self) -> dict[str, str]:
        """Return what decides the output: backend, model, weights digest, settings.

        At least the keys `backend`, `model`, `weights` and `beams` ("none" where one does
        not apply); computed from files, without loading the model.
        """
        ...


@dataclass(frozen=True)
class BackendOptions:
    """Everything a backend may need to set itself up; each takes what applies to it."""

    source: str = "de"
    target: str = "en"
    model: str | None = None  # Hugging Face id or local folder; None = the pair's default
    device: str = "auto"  # auto | cpu | cuda
    batch_size: int = 16
    beams: int = 4
    compute_type: str = "auto"  # CTranslate2 only
    cache_dir: str | None = None  # where converted models are kept (CTranslate2)
    # Decoding room per text: output_factor x its input tokens + output_slack. Translations
    # run longer than their source (de -> en rarely by more than 1.5x); the bound stops random
    # or broken weights from generating to the model's limit.
    output_factor: float = 2.0
    output_slack: int = 16
    # Decode exactly to the bound, never stopping at </s>: for benchmarks with random weights,
    # which stop at random, so that every engine does the same work.
    exact_length: bool = False
    # Told, in a line, of slow one-time work the user would otherwise wait through unawares
    # (converting a model for CTranslate2).
    notify: Callable[[str], None] | None = field(default=None, compare=False)
    # Whether hints should name this pair's model under `[models]` in translate.toml rather
    # than by `--model`: in a run of several pairs, which `--model` cannot serve, or where
    # `[models]` names it already (it wins over the flag).
    model_in_settings: bool = False

    def output_bound(self, input_tokens: int, ceiling: int) -> int:
        """Return how many tokens a text of `input_tokens` may decode into, at most `ceiling`."""
        return min(int(self.output_factor * input_tokens) + self.output_slack, ceiling)


# name -> "module:factory"; a factory takes BackendOptions and returns a Backend.
_REGISTRY: dict[str, str] = {
    "marian": "translate.translation.backends.marian:MarianTranslator",
    "ctranslate2": "translate.translation.backends.ctranslate2:CTranslate2Translator",
    "identity": "translate.translation.backends.simple:IdentityTranslator",
    "pseudo": "translate.translation.backends.simple:PseudoTranslator",
}


def default_backend() -> str:
    """Return the engine of a run that names none: CTranslate2 where it is installed.

    It runs the same models as transformers, several times faster on a CPU (see
    docs/speed.md); without it, transformers does the work. Found without importing it.
    """
    return "ctranslate2" if importlib.util.find_spec("ctranslate2") is not None else "marian"


def backend_names() -> list[str]:
    """Return the names `create_backend` accepts."""
    return sorted(_REGISTRY)


def create_backend(name: str, options: BackendOptions) -> Backend:
    """Build the backend registered under `name`, importing its module only now."""
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise ConfigError(
            f"unknown backend {name!r}", hint=f"choose one of: {', '.join(backend_names())}"
        ) from None
    module_name, _, factory_name = target.partition(":")
    factory = getattr(importlib.import_module(module_name), factory_name)
    backend: Backend = factory(options)
    return backend


def default_model(source: str, target: str) -> str:
    """Return the Helsinki-NLP Opus-MT model id for a language pair."""
    return f"Helsinki-NLP/opus-mt-{source}-{target}"
