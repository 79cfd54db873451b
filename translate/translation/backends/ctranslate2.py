"""MarianMT (Opus-MT) models through CTranslate2: the same models, converted once, run faster.

The model is found and tokenized exactly as the transformers backend does it
(`translate.translation.backends.opus`, SentencePiece alone); only decoding runs in
CTranslate2, so a converted model translates without torch and transformers, which only the
conversion needs. The Hugging Face folder is converted on first use into a cache folder keyed
by the model's identity and the quantization, so a changed model is converted again and an
unchanged one is reused. Conversion writes into a temporary folder that is renamed into place:
a crash never leaves a half-converted model behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from translate.errors import ConfigError, ModelError
from translate.translation.backends import BackendOptions
from translate.translation.backends.marian import import_transformers
from translate.translation.backends.opus import (
    WEIGHT_FILES,
    OpusModel,
    cpu_threads,
    first_line,
    quiet_libraries,
    user_cache_dir,
)

_INSTALL_HINT = "pip install 'hugo-translate[ctranslate2]'"
# Written last into a converted folder: its presence marks a complete conversion.
_SOURCE_FILE = "hugo-translate-source.json"
# Quantization on the device when compute_type is "auto": int8 weights are ~4x smaller and
# fastest on CPUs; on GPUs the int8 matrices multiply in float16.
_AUTO_COMPUTE = {"cpu": "int8", "cuda": "int8_float16"}


def _ctranslate2() -> ModuleType:
    """Import CTranslate2 only when this backend is used, with an install hint if it is absent."""
    try:
        import ctranslate2
    except ImportError as err:
        raise ModelError(
            "the ctranslate2 backend needs the ctranslate2 package", hint=_INSTALL_HINT
        ) from err
    module: ModuleType = ctranslate2  # untyped: the annotation keeps Any out
    return module


class CTranslate2Translator:
    """Translate with a MarianMT model converted to CTranslate2, loading it on first use."""

    def __init__(self, options: BackendOptions) -> None:
        self.model = OpusModel(options)  # checks the options, and a --model path
        self._ct2 = _ctranslate2()
        self.options = options
        self.model_name = self.model.name
        self.device, self.device_index = self._resolve_device()
        self.compute_type = self._resolve_compute_type()
        self._translator: Any = None
        self._converted: Path | None = None

    @property
    def loaded(self) -> bool:
        """Whether the converted model is in memory."""
        return self._translator is not None

    @property
    def max_input_tokens(self) -> int:
        """Return the longest input, in tokens with the closing </s>, the model accepts."""
        return self.model.max_input_tokens

    def count_tokens(self, text: str) -> int:
        """Return how many tokens `text` takes as input, loading the tokenizer but no weights."""
        return self.model.count_tokens(text)

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return one translation per text, in order; blank texts come back unchanged."""
        results = list(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        translator = self._load()
        encoded = self.model.encode([texts[i] for i in todo])
        # Random or broken weights would otherwise decode to the model's length limit.
        limit = self.max_input_tokens
        bounds = [self.options.output_bound(len(tokens), limit - 1) for tokens in encoded]
        length = max(bounds)
        output = translator.translate_batch(
            encoded,
            beam_size=self.options.beams,
            max_batch_size=self.options.batch_size,
            max_decoding_length=length,
            min_decoding_length=length if self.options.exact_length else 1,  # 1: its default
        )
        # Each row to its own bound, so that a runaway output does not depend on its batch.
        tokenizer = self.model.tokenizer()
        for i, result, bound in zip(todo, output, bounds, strict=True):
            results[i] = tokenizer.decode(result.hypotheses[0][:bound])
        return results

    def signature(self) -> dict[str, str]:
        """Return what decides the output: engine, model, a digest of the weights, settings.

        The digest covers the source weights and the quantization, which changes them.
        Computed from the files, without loading or converting anything.
        """
        weights = f"{self.model.weights_digest()} {self.compute_type}"
        return {
            "backend": "ctranslate2",
            "model": self.model_name,
            "weights": hashlib.sha256(weights.encode()).hexdigest()[:12],
            "compute_type": self.compute_type,
            "beams": str(self.options.beams),
        }

    def converted_folder(self) -> Path:
        """Return the CTranslate2 copy of the model, converting it first if none is cached."""
        if self._converted is None:
            source = self.model.folder(weights=True)
            fingerprint = _fingerprint(source, self.compute_type)
            slug = re.sub(r"[^\w.-]+", "-", self.model_name).strip("-")[-40:]
            target = _cache_root(self.options) / f"{slug}-{fingerprint[:16]}"
            if not (target / _SOURCE_FILE).is_file():
                notify = self.options.notify or (lambda line: None)
                notify(
                    f"Converting {self.model_name} for CTranslate2 ({self.compute_type}), "
                    f"once: it is kept in {target}"
                )
                started = time.monotonic()
                self._convert(source, target, fingerprint)
                notify(f"Converted in {time.monotonic() - started:.0f} s")
            self._converted = target
        return self._converted

    def _convert(self, source: Path, target: Path, fingerprint: str) -> None:
        # The converter loads the model with transformers: only this step needs it and torch.
        import_transformers("converting a model for CTranslate2 (once per model)")
        quiet_libraries()
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".converting-", dir=target.parent))
        try:
            try:
                converter = self._ct2.converters.TransformersConverter(str(source))
                converter.convert(str(temporary), quantization=self.compute_type, force=True)
            except Exception as err:  # the converter's failures have no common type
                raise ModelError(
                    f"cannot convert model {self.model_name!r} to CTranslate2: {first_line(err)}",
                    path=source,
                    hint="use a MarianMT model folder, or the marian backend",
                ) from err
            record = {
                "model": self.model_name,
                "source": str(source.resolve()),
                "fingerprint": fingerprint,
                "quantization": self.compute_type,
                "ctranslate2": self._ct2.__version__,
            }
            (temporary / _SOURCE_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")
            if target.exists():  # an older, incomplete copy, or another process won the race
                if (target / _SOURCE_FILE).is_file():
                    return
                shutil.rmtree(target)
            os.replace(temporary, target)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def _load(self) -> Any:
        if self._translator is None:
            folder = self.converted_folder()
            try:
                self._translator = self._ct2.Translator(
                    str(folder),
                    device=self.device,
                    device_index=self.device_index,
                    compute_type=self.compute_type,
                    intra_threads=cpu_threads(),
                )
            except (RuntimeError, ValueError, OSError) as err:
                raise ModelError(
                    f"cannot load the converted model {self.model_name!r}: {err}",
                    path=folder,
                    hint="delete this folder to convert the model again",
                ) from err
        return self._translator

    def _resolve_device(self) -> tuple[str, int]:
        device, _, index = self.options.device.partition(":")
        gpus = self._ct2.get_cuda_device_count()
        if device == "auto":
            return ("cuda" if gpus > 0 else "cpu"), 0
        if device == "cuda" and gpus == 0:
            raise ModelError(
                f"device {self.options.device!r} was asked for, but CTranslate2 finds no CUDA GPU",
                hint="use --device cpu, or install a CUDA build of ctranslate2",
            )
        return device, int(index or 0)

    def _resolve_compute_type(self) -> str:
        compute_type = self.options.compute_type
        if compute_type == "auto":
            return _AUTO_COMPUTE[self.device]
        supported = sorted(self._ct2.get_supported_compute_types(self.device))
        if compute_type not in supported:
            raise ConfigError(
                f"compute type {compute_type!r} is not supported on {self.device}",
                hint=f"use auto or one of: {', '.join(supported)}",
            )
        return compute_type


def _cache_root(options: BackendOptions) -> Path:
    if options.cache_dir:
        return Path(options.cache_dir).expanduser()
    return user_cache_dir() / "ctranslate2"


def _fingerprint(folder: Path, quantization: str) -> str:
    """Return a digest of what makes a conversion stale: the folder, its files, quantization."""
    weights = next(name for name in WEIGHT_FILES if (folder / name).is_file())
    files = {}
    for name in ("config.json", weights):
        stat = (folder / name).stat()
        files[name] = [stat.st_size, stat.st_mtime_ns]
    identity = {"folder": str(folder.resolve()), "files": files, "quantization": quantization}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
