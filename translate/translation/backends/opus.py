"""Opus-MT (MarianMT) model folders: find one, read its tokenizer and limits, digest its weights.

What the two model backends share, and none of it imports torch, transformers or ctranslate2:
a mistyped `--model` path is reported at once, and counting tokens or translating with an
already converted CTranslate2 model needs neither library.

`model` is a Hugging Face id or a local folder. A hub id is resolved to a folder in the
Hugging Face cache first, downloading only what PyTorch needs (opus-mt repos also carry
TensorFlow, Flax and Rust weights of ~300 MB each); a cached model then loads with no network
access, and an unreachable hub fails within seconds with a `ModelError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import huggingface_hub
from huggingface_hub.errors import (
    GatedRepoError,
    HFValidationError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
)
from huggingface_hub.utils.tqdm import disable_progress_bars

from translate.errors import ConfigError, ModelError
from translate.translation.backends import BackendOptions, default_model
from translate.translation.backends.tokenizer import MarianSentencePiece

# What the tokenizer and the model's config need; a folder without one of them cannot load.
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
# PyTorch weights in order of preference: safetensors loads faster and runs no pickle code.
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# Small files worth fetching with the required ones: the tokenizer's settings, the generation
# defaults (Marian bans <pad> as an output through `bad_words_ids`), and the target side's
# vocabulary of models that keep two.
_OPTIONAL_FILES = ("tokenizer_config.json", "generation_config.json", "target_vocab.json")
# MarianConfig's default when config.json does not say.
_DEFAULT_POSITIONS = 1024

# "org/name" or "name": anything else that is not an existing folder is a mistyped path.
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")
_DEVICE = re.compile(r"auto|cpu|cuda(:\d+)?")
# How long a download may wait to learn that the hub cannot be reached. The hub client itself
# waits for the system's connect timeout (minutes where a firewall drops packets).
_REACH_TIMEOUT_S = 3.0
# Digests of weight files, keyed by path, size and modification time: hashed once.
_DIGESTS_FILE = "weight-digests.json"


class OpusModel:
    """One Opus-MT model: its folder, found or fetched on first use, its tokenizer and limits."""

    def __init__(self, options: BackendOptions) -> None:
        if not _DEVICE.fullmatch(options.device):
            raise ConfigError(f"unknown device {options.device!r}", hint="use auto, cpu or cuda")
        if options.batch_size < 1 or options.beams < 1:
            raise ConfigError("batch size and beam count must be at least 1")
        self.options = options
        self.name = options.model or default_model(options.source, options.target)
        # A path that does not exist fails here, before a backend imports its engine.
        self._local = _local_folder(self.name, options)
        self._folder: Path | None = None
        self._tokenizer: MarianSentencePiece | None = None
        self._max_input_tokens: int | None = None

    @property
    def max_input_tokens(self) -> int:
        """Return the longest input, in tokens with the closing </s>, the model accepts."""
        if self._max_input_tokens is None:
            folder = self.folder(weights=False)
            config = _read_json(folder / "config.json", self.name)
            positions = int(config.get("max_position_embeddings") or _DEFAULT_POSITIONS)
            self._max_input_tokens = min(positions, self.tokenizer().model_max_length)
        return self._max_input_tokens

    def count_tokens(self, text: str) -> int:
        """Return how many tokens `text` takes as input, loading the tokenizer but no weights."""
        return self.tokenizer().count(text)

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        """Return each text's input tokens; raise ValueError for one over the model's limit.

        Marian silently drops what lies past its position limit; the pipeline splits long
        segments before they get here, so an over-long one is a bug to surface, not to hide.
        """
        tokenizer, limit = self.tokenizer(), self.max_input_tokens
        encoded = [tokenizer.tokens(text) for text in texts]
        for n, (text, tokens) in enumerate(zip(texts, encoded, strict=True)):
            if len(tokens) > limit:
                raise ValueError(
                    f"text {n} is {len(tokens)} tokens long, over the model's limit of {limit}: "
                    f"{text[:40]!r}…"
                )
        return encoded

    def tokenizer(self) -> MarianSentencePiece:
        """Return the tokenizer, loading it (but no weights) on first use."""
        if self._tokenizer is None:
            folder = self.folder(weights=False)
            try:
                self._tokenizer = MarianSentencePiece(folder)
            except (OSError, ValueError, KeyError, RuntimeError) as err:
                raise ModelError(
                    f"cannot load the tokenizer of model {self.name!r}: {first_line(err)}",
                    path=folder,
                    hint="the copy may be incomplete or damaged; fetch the model folder again",
                ) from err
        return self._tokenizer

    def folder(self, *, weights: bool) -> Path:
        """Return a folder with the model's config and tokenizer, and its weights if asked."""
        if self._local is not None:
            if missing := _missing(self._local, weights=weights):
                raise _incomplete_folder(self._local, missing, self.options)
            return self._local
        if self._folder is None:
            self._folder = _cached_snapshot(self.name) or _download(
                self.name, [*REQUIRED_FILES, *_OPTIONAL_FILES], self.options
            )
        if weights and _missing(self._folder, weights=True):
            # Only the first weight file the repo has: fetching both would double the download.
            for name in WEIGHT_FILES:
                files = [*REQUIRED_FILES, *_OPTIONAL_FILES, name]
                self._folder = _download(self.name, files, self.options)
                if not _missing(self._folder, weights=True):
                    break
        if missing := _missing(self._folder, weights=weights):
            raise ModelError(
                f"model {self.name!r} lacks {', '.join(missing)}",
                path=self._folder,
                hint="choose a MarianMT model (PyTorch weights), e.g. Helsinki-NLP/opus-mt-de-en",
            )
        return self._folder

    def weights_file(self) -> Path:
        """Return the file of the model's PyTorch weights, fetching it if need be."""
        folder = self.folder(weights=True)
        return next(folder / name for name in WEIGHT_FILES if (folder / name).is_file())

    def weights_digest(self) -> str:
        """Return the sha256 of the weight file's bytes (hashed once per version of the file)."""
        return file_digest(self.weights_file())


def file_digest(path: Path) -> str:
    """Return the sha256 of `path`'s bytes, from the user's cache while the file is unchanged.

    The key is the path, size and modification time, so a 300 MB model is read once, not
    on every run; a copy that is replaced or touched is hashed again.
    """
    stat = path.stat()
    key = str(path.resolve())
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    cache = user_cache_dir() / _DIGESTS_FILE
    digests = _read_digests(cache)
    known = digests.get(key)
    if isinstance(known, dict) and {k: known.get(k) for k in stamp} == stamp:
        return str(known["sha256"])
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    digests[key] = {**stamp, "sha256": digest}
    _write_digests(cache, digests)
    return digest


def cpu_threads() -> int:
    """Return the threads a model should compute with on a CPU: never more than it may use.

    `OMP_NUM_THREADS` when it is set (PyTorch follows it by itself; CTranslate2 only through
    its `intra_threads` argument, which otherwise overrides it); else the cores this process
    may run on (its affinity, as `taskset` or a container's cpuset sets it), fewer if a cgroup
    CPU quota allows less. `os.cpu_count()` counts every core of the machine: threads beyond
    those this process gets only wait for each other.
    """
    setting = os.environ.get("OMP_NUM_THREADS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # macOS, Windows: no affinity to ask
        cores = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(cores, quota)) if quota is not None else max(1, cores)


def _cgroup_cpu_quota(path: Path = Path("/sys/fs/cgroup/cpu.max")) -> int | None:
    """Return the CPUs a cgroup v2 quota allows this process (`docker run --cpus 2`), if any.

    The file holds `<quota> <period>` in microseconds, or `max <period>` for no limit.
    """
    try:
        quota, period = path.read_text(encoding="ascii").split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max" or not quota.isdigit() or not period.isdigit() or int(period) == 0:
        return None
    return max(1, -(-int(quota) // int(period)))  # rounded up: 1.5 CPUs may keep 2 busy


def user_cache_dir() -> Path:
    """Return the folder for this tool's caches: $XDG_CACHE_HOME/hugo-translate."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hugo-translate"


def quiet_libraries() -> None:
    """Silence the progress bars and advice the model libraries print on their own.

    The command line shows one progress display of its own; "Loading weights" bars and
    generation hints from transformers would break into it. Called where a backend loads.
    """
    disable_progress_bars()
    transformers = sys.modules.get("transformers")
    if transformers is not None:
        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()


def first_line(err: BaseException) -> str:
    """Return the first line of an exception's message, or its type's name."""
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def _read_digests(cache: Path) -> dict[str, Any]:
    try:
        digests = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or damaged: hashing again is the cure
        return {}
    return digests if isinstance(digests, dict) else {}


def _write_digests(cache: Path, digests: dict[str, Any]) -> None:
    """Replace the digest cache atomically; a cache that cannot be written is only slower."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".digests-", dir=cache.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(digests, file, indent=1, sort_keys=True)
        os.replace(temporary, cache)
    except OSError:
        pass


def _read_json(path: Path, model: str) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(
            f"cannot read the {path.name} of model {model!r}: {first_line(err)}",
            path=path,
            hint="the copy may be incomplete or damaged; fetch the model folder again",
        ) from err
    return value if isinstance(value, dict) else {}


def _local_folder(model: str, options: BackendOptions) -> Path | None:
    """Return `model` as a folder, None if it names a hub model, or fail if it is a bad path."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelError("a model must be a folder, not a file", path=path)
    if model.startswith((".", "/", "~")) or not _HUB_ID.fullmatch(model):
        if options.model_in_settings:
            name = f"{options.source}-{options.target}"
            hint = f'check the path of "{name}" under [models] in translate.toml'
        else:
            hint = "check the --model path"
        raise ModelError("model folder not found", path=path, hint=hint)
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


def _download(repo_id: str, files: list[str], options: BackendOptions) -> Path:
    """Return the snapshot folder of `repo_id` after downloading those of `files` it has."""
    if _hub_offline() or not _hub_reachable():
        raise _unreachable(repo_id, options)
    quiet_libraries()
    try:
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
        raise _unreachable(repo_id, options) from err
    except OSError as err:  # other HTTP errors, and a full or read-only cache
        raise ModelError(
            f"cannot download model {repo_id!r}: {first_line(err)}",
            hint=f"try again later, or {_local_copy(options)}",
        ) from err


def _hub_reachable() -> bool:
    """Return whether a connection to the hub (or the proxy to it) opens within seconds.

    The name look-up runs in a thread of its own: a resolver that cannot reach its server
    blocks for as long as the system lets it, and the answer is needed now.
    """
    endpoint = urlsplit(huggingface_hub.constants.ENDPOINT)
    proxy = urllib.request.getproxies().get(endpoint.scheme or "https")
    if proxy and not urllib.request.proxy_bypass(endpoint.hostname or ""):
        endpoint = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    opened: list[bool] = []

    def connect() -> None:
        try:
            socket.create_connection((endpoint.hostname, port), timeout=_REACH_TIMEOUT_S).close()
            opened.append(True)
        except OSError:
            pass

    attempt = threading.Thread(target=connect, daemon=True)
    attempt.start()
    attempt.join(_REACH_TIMEOUT_S)
    return bool(opened)


def _local_copy(options: BackendOptions) -> str:
    """Say how to point this pair at a model folder: the way its model can be named."""
    if options.model_in_settings:
        name = f"{options.source}-{options.target}"
        return f'name a local copy in translate.toml: [models] "{name}" = "/path/to/a/local/copy"'
    return "pass --model /path/to/a/local/copy"


def _unreachable(repo_id: str, options: BackendOptions) -> ModelError:
    offline = _hub_offline()
    reason = "HF_HUB_OFFLINE is set" if offline else "the hub cannot be reached"
    connect = "unset HF_HUB_OFFLINE and connect" if offline else "connect"
    hint = f"{connect} once to download it (~300 MB), or {_local_copy(options)}"
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
