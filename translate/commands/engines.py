"""The translator of each language pair of a run: made on first need (through a pivot where
the pair has one), named in every record, and let go before the next pair's is made."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from functools import partial

from translate.errors import TranslateError
from translate.hugo.settings import Settings
from translate.hugo.site import Project, Site
from translate.records.memory import TranslationMemory, build_memory, store_entries
from translate.records.store import RecordStore
from translate.translation.backends import Translator
from translate.translation.pivot import PivotTranslator

__all__ = [
    "Engine",
    "PairFactory",
    "TranslatorFactory",
    "detached",
    "pair_translator",
    "release_memory",
]

TranslatorFactory = Callable[[], Translator]
PairFactory = Callable[[Settings], Translator]


class Engine:
    """The translator, created on first need, and the signature it leaves in records."""

    def __init__(self, settings: Settings, make: TranslatorFactory) -> None:
        self.settings = settings
        self.make = make
        self.translator: Translator | None = None

    def get(self) -> Translator:
        """Return the translator, creating it now if no post needed one before."""
        if self.translator is None:
            self.translator = self.make()
        return self.translator

    def signature(self) -> str:
        """Return the signature of the engine as it stands (loaded or not)."""
        return self.settings.signature(self.translator).format()


def pair_translator(
    project: Project,
    pair: Settings,
    make_translator: PairFactory,
    caches: dict[str, dict[str, str]],
) -> TranslatorFactory:
    """Return what makes a pair's translator: its own, or its two hops composed."""
    hops = pair.hops()
    if hops is None:
        return partial(make_translator, pair)
    first, second = hops

    def make() -> Translator:
        # The first hop's memory: reviewed translations into the pivot language.
        store = RecordStore(Site(project.root, first.source, first.target, project.config))
        memory: list[TranslationMemory] = []

        def lookup(source: str) -> str | None:
            if not memory:
                memory.append(build_memory(store_entries(store)))
            return memory[0].block(source) or memory[0].sentence(source)

        return PivotTranslator(
            make_translator(first),
            make_translator(second),
            pivot=first.target,
            models=(
                first.model_for(first.source, first.target),
                second.model_for(second.source, second.target),
            ),
            known=caches.setdefault(first.pair_name, {}),
            memory=lookup,
        )

    return make


def detached(error: TranslateError) -> TranslateError:
    """Return `error` without tracebacks, so that it keeps no frame (and no model) alive."""
    seen: BaseException | None = error
    while seen is not None:
        seen.__traceback__ = None
        seen = seen.__cause__ or seen.__context__
    return error


def release_memory() -> None:
    """Free what a pair's translator held: objects, and a GPU's cached blocks.

    torch is asked only if something imported it: a run without a model never loads it.
    """
    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.cuda.empty_cache()
