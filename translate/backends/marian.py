"""MarianMT (Opus-MT) models through Hugging Face transformers, loaded on first use.

`model` is a Hugging Face id or a local folder. A hub id is resolved to a folder in the
Hugging Face cache first, downloading only what PyTorch needs (opus-mt repos also carry
TensorFlow, Flax and Rust weights of ~300 MB each); both kinds are then loaded from a folder
with network access off, so a load either works offline or fails at once with a `ModelError`.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import huggingface_hub
import torch
import transformers
from huggingface_hub.errors import (
    GatedRepoError,
    HFValidationError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
)
from safetensors import SafetensorError
from transformers import MarianMTModel, MarianTokenizer

from translate.backends import BackendOptions, default_model
from translate.errors import ConfigError, ModelError

# What MarianTokenizer and MarianConfig read; a folder without one of them cannot load.
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
# PyTorch weights in order of preference: safetensors loads faster and runs no pickle code.
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# Small files worth fetching with the required ones: the tokenizer's language settings and
# the generation defaults (Marian bans <pad> as an output through `bad_words_ids`).
_OPTIONAL_FILES = ("tokenizer_config.json", "generation_config.json")

# "org/name" or "name": anything else that is not an existing folder is a mistyped path.
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")
_DEVICE = re.compile(r"auto|cpu|cuda(:\d+)?")
# What damaged model files raise while loading: a truncated pickle or safetensors header, bad
# JSON, a corrupt SentencePiece model, tensors of the wrong shape.
_LOAD_ERRORS = (OSError, ValueError, RuntimeError, pickle.UnpicklingError, SafetensorError)


class MarianTranslator:
    """Translate with a MarianMT model, loading it when there is first something to translate."""

    def __init__(self, options: BackendOptions) -> None:
        if not _DEVICE.fullmatch(options.device):
            raise ConfigError(f"unknown device {options.device!r}", hint="use auto, cpu or cuda")
        if options.batch_size < 1 or options.beams < 1:
            raise ConfigError("batch size and beam count must be at least 1")
        self.options = options
        self.model_name = options.model or default_model(options.source, options.target)
        self._folder: Path | None = None
        self._tokenizer: MarianTokenizer | None = None
        self._model: MarianMTModel | None = None
        self._device: str | None = None
        self._max_input_tokens: int | None = None

    @property
    def loaded(self) -> bool:
        """Whether the model weights are in memory."""
        return self._model is not None

    @property
    def max_input_tokens(self) -> int:
        """Return the longest input, in tokens with the closing </s>, the model accepts."""
        if self._max_input_tokens is None:
            config = transformers.MarianConfig.from_pretrained(
                self.model_folder(weights=False), local_files_only=True
            )
            self._max_input_tokens = min(
                config.max_position_embeddings, self.tokenizer().model_max_length
            )
        return self._max_input_tokens

    def count_tokens(self, text: str) -> int:
        """Return how many tokens `text` takes as input, loading the tokenizer but no weights."""
        # verbose=False: over-long texts are what the caller counts to find; no warning.
        return len(self.tokenizer()(text, verbose=False)["input_ids"])

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return one translation per text, in order; blank texts come back unchanged."""
        results = list(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        tokenizer, _ = self._load()
        encoded: list[list[int]] = tokenizer([texts[i] for i in todo], verbose=False)["input_ids"]
        # Marian silently drops what lies past its position limit; the pipeline splits long
        # segments before they get here, so an over-long one is a bug to surface, not to hide.
        limit = self.max_input_tokens
        for i, ids in zip(todo, encoded, strict=True):
            if len(ids) > limit:
                raise ValueError(
                    f"text {i} is {len(ids)} tokens long, over the model's limit of {limit}: "
                    f"{texts[i][:40]!r}…"
                )
        size = self.options.batch_size
        for start in range(0, len(todo), size):
            chunk = encoded[start : start + size]
            for i, translation in zip(
                todo[start : start + size], self._generate(chunk), strict=True
            ):
                results[i] = translation
        return results

    def signature(self) -> dict[str, str]:
        """Return what decides the output, for the record kept with each translation.

        The revision is known once the model has been resolved (after `count_tokens` or the
        first translation); before that, or for a folder outside the cache, it is "unknown".
        """
        return {
            "engine": "transformers",
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "model": self.model_name,
            "revision": _snapshot_revision(self._folder) if self._folder else "unknown",
            "device": self._device or self.options.device,
            "beams": str(self.options.beams),
        }

    def _generate(self, chunk: list[list[int]]) -> list[str]:
        tokenizer, model = self._load()
        batch = tokenizer.pad({"input_ids": chunk}, return_tensors="pt").to(model.device)
        # The decoder shares the encoder's position limit and starts from one <pad> token.
        ceiling = self.max_input_tokens - 1
        bounds = [self.options.output_bound(len(ids), ceiling) for ids in chunk]
        # For encoder-decoder models max_length counts decoder tokens, start included; setting
        # it rather than max_new_tokens overrides the model's default (512) instead of warning
        # that both are set. min_length counts the same way and bans </s> until then.
        length = max(bounds) + 1
        exact = {"min_length": length} if self.options.exact_length else {}
        with torch.inference_mode():
            output = model.generate(
                **batch, num_beams=self.options.beams, max_length=length, **exact
            )
        # Each row to its own bound, so that a runaway output does not depend on which longer
        # texts shared its batch. A row generated alone would end in the </s> that Marian's
        # forced_eos_token_id puts in the last place: keep the start token and bound - 1 more.
        rows = [row[:bound] for row, bound in zip(output.tolist(), bounds, strict=True)]
        return [text.strip() for text in tokenizer.batch_decode(rows, skip_special_tokens=True)]

    def _load(self) -> tuple[MarianTokenizer, MarianMTModel]:
        if self._model is None:
            device = self._resolve_device()
            # Weights first: fetching them may move the folder to a newer snapshot, and the
            # tokenizer should come from the same one.
            folder = self.model_folder(weights=True)
            self.tokenizer()
            try:
                model = MarianMTModel.from_pretrained(folder, local_files_only=True)
            except _LOAD_ERRORS as err:
                raise ModelError(
                    f"cannot load the weights of model {self.model_name!r}: {_first_line(err)}",
                    path=folder,
                    hint="the copy may be incomplete or damaged; fetch the model folder again",
                ) from err
            # float32 on GPUs too: Opus-MT models are small, and Marian-trained weights are
            # known to overflow in float16. (The cast: transformers types its `to` override
            # as an unbound function.)
            cast("torch.nn.Module", model).to(device)
            model.eval()
            self._device = device
            self._model = model
        assert self._tokenizer is not None  # loaded before the model
        return self._tokenizer, self._model

    def tokenizer(self) -> MarianTokenizer:
        """Return the tokenizer, loading it (but no weights) on first use."""
        if self._tokenizer is None:
            folder = self.model_folder(weights=False)
            try:
                self._tokenizer = MarianTokenizer.from_pretrained(folder, local_files_only=True)
            except _LOAD_ERRORS as err:
                raise ModelError(
                    f"cannot load the tokenizer of model {self.model_name!r}: {_first_line(err)}",
                    path=folder,
                    hint="the copy may be incomplete or damaged; fetch the model folder again",
                ) from err
        return self._tokenizer

    def _resolve_device(self) -> str:
        device = self.options.device
        if device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ModelError(
                f"device {device!r} was asked for, but PyTorch finds no CUDA GPU",
                hint="use --device cpu, or install a CUDA build of torch",
            )
        return device

    def model_folder(self, *, weights: bool) -> Path:
        """Return a folder with the model's config and tokenizer, and its weights if asked."""
        local = _local_folder(self.model_name)
        if local is not None:
            if missing := _missing(local, weights=weights):
                raise _incomplete_folder(local, missing, self.options)
            self._folder = local
            return local
        if self._folder is None:
            self._folder = _cached_snapshot(self.model_name) or _download(
                self.model_name, [*REQUIRED_FILES, *_OPTIONAL_FILES]
            )
        if weights and _missing(self._folder, weights=True):
            # Only the first weight file the repo has: fetching both would double the download.
            for name in WEIGHT_FILES:
                self._folder = _download(self.model_name, [*REQUIRED_FILES, *_OPTIONAL_FILES, name])
                if not _missing(self._folder, weights=True):
                    break
        if missing := _missing(self._folder, weights=weights):
            raise ModelError(
                f"model {self.model_name!r} lacks {', '.join(missing)}",
                path=self._folder,
                hint="choose a MarianMT model (PyTorch weights), e.g. Helsinki-NLP/opus-mt-de-en",
            )
        return self._folder


def _local_folder(model: str) -> Path | None:
    """Return `model` as a folder, None if it names a hub model, or fail if it is a bad path."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelError("a model must be a folder, not a file", path=path)
    if model.startswith((".", "/", "~")) or not _HUB_ID.fullmatch(model):
        raise ModelError("model folder not found", path=path, hint="check the --model path")
    return None


def _missing(folder: Path, *, weights: bool) -> list[str]:
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if weights and not any((folder / name).is_file() for name in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    return missing


def _incomplete_folder(folder: Path, missing: list[str], options: BackendOptions) -> ModelError:
    cached = default_model(options.source, options.target).replace("/", "--")
    return ModelError(
        f"not a complete MarianMT model folder: missing {', '.join(missing)}",
        path=folder,
        hint=(
            "copy the whole model folder, e.g. from "
            f"~/.cache/huggingface/hub/models--{cached}/snapshots/<revision>/"
        ),
    )


def _cached_snapshot(repo_id: str) -> Path | None:
    """Return the cache snapshot holding `repo_id`'s config and tokenizer, without a look-up.

    Trying the cache first lets a cached model load with no network access at all, where the
    hub's own look-ups would retry for minutes when it cannot be reached.
    """
    folders: set[Path] = set()
    for name in REQUIRED_FILES:
        try:
            found = huggingface_hub.try_to_load_from_cache(repo_id, name)
        except HFValidationError as err:
            raise _not_a_model(repo_id) from err
        if not isinstance(found, str):  # None, or a marker that the repo lacks the file
            return None
        folders.add(Path(found).parent)
    return folders.pop() if len(folders) == 1 else None


def _download(repo_id: str, files: list[str]) -> Path:
    """Return the snapshot folder of `repo_id` after downloading those of `files` it has."""
    if _hub_offline():
        raise _unreachable(repo_id)
    try:
        # Only the repo look-up touches the network before the download; it is not retried, so
        # an unreachable hub fails within a second.
        return Path(huggingface_hub.snapshot_download(repo_id, allow_patterns=files))
    except HFValidationError as err:
        raise _not_a_model(repo_id) from err
    except GatedRepoError as err:  # before its base class, RepositoryNotFoundError
        raise ModelError(
            f"model {repo_id!r} is gated: the hub refuses the download",
            hint="accept its terms on huggingface.co and log in with `hf auth login`",
        ) from err
    except RepositoryNotFoundError as err:
        raise ModelError(
            f"there is no model {repo_id!r} on the Hugging Face hub",
            hint="check the id and the language pair; Opus-MT ids look like "
            "Helsinki-NLP/opus-mt-de-en",
        ) from err
    except (LocalEntryNotFoundError, OfflineModeIsEnabled) as err:
        raise _unreachable(repo_id) from err
    except OSError as err:  # other HTTP errors, and a full or read-only cache
        raise ModelError(
            f"cannot download model {repo_id!r}: {_first_line(err)}",
            hint="try again later, or pass --model /path/to/a/local/copy",
        ) from err


def _unreachable(repo_id: str) -> ModelError:
    offline = _hub_offline()
    reason = "HF_HUB_OFFLINE is set" if offline else "the hub cannot be reached"
    connect = "unset HF_HUB_OFFLINE and connect" if offline else "connect"
    hint = f"{connect} once to download it (~300 MB), or pass --model /path/to/a/local/copy"
    if not offline:
        hint += "; set HF_HUB_OFFLINE=1 to skip network look-ups"
    return ModelError(
        f"cannot load model {repo_id!r}: it is not a local folder, not in the Hugging Face "
        f"cache, and {reason}",
        hint=hint,
    )


def _not_a_model(model: str) -> ModelError:
    return ModelError(
        f"{model!r} is neither a model folder nor a Hugging Face model id",
        hint="pass an id like Helsinki-NLP/opus-mt-de-en or the path of a model folder",
    )


def _hub_offline() -> bool:
    """Return whether hub look-ups are switched off, reading the variables now.

    huggingface_hub reads HF_HUB_OFFLINE once, at import; reading it again lets a caller that
    sets it later (a test, an embedding program) still keep every look-up off the network.
    """
    now = (os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or "").upper()
    return huggingface_hub.constants.HF_HUB_OFFLINE or now in {"1", "ON", "YES", "TRUE"}


def _snapshot_revision(folder: Path) -> str:
    """Return the commit a cache snapshot folder holds (its name), or "unknown"."""
    if folder.parent.name == "snapshots" and re.fullmatch(r"[0-9a-f]{40}", folder.name):
        return folder.name
    return "unknown"


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
