"""MarianMT (Opus-MT) models through Hugging Face transformers, loaded on first use.

The model folder is found, and texts are tokenized, without torch or transformers
(`translate.translation.backends.opus`); both are imported only when the weights load, so a wrong
`--model` or an unreachable hub is reported at once.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from translate.errors import ModelError
from translate.translation.backends import BackendOptions
from translate.translation.backends.opus import (
    OpusModel,
    cpu_threads,
    first_line,
    quiet_libraries,
)

# How to install what the marian backend and a conversion for CTranslate2 need.
TORCH_HINT = "pip install transformers torch (for the CPU build of torch, see the README)"


class MarianTranslator:
    """Translate with a MarianMT model, loading it when there is first something to translate."""

    def __init__(self, options: BackendOptions) -> None:
        self.model = OpusModel(options)  # checks the options, and a --model path
        self.options = options
        self.model_name = self.model.name
        self._torch: ModuleType | None = None
        self._model: Any = None  # a transformers MarianMTModel

    @property
    def loaded(self) -> bool:
        """Whether the model weights are in memory."""
        return self._model is not None

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
        self._load()
        tokenizer = self.model.tokenizer()
        encoded = [
            tokenizer.to_ids(tokens) for tokens in self.model.encode([texts[i] for i in todo])
        ]
        size = self.options.batch_size
        for start in range(0, len(todo), size):
            chunk = encoded[start : start + size]
            for i, translation in zip(
                todo[start : start + size], self._generate(chunk), strict=True
            ):
                results[i] = translation
        return results

    def signature(self) -> dict[str, str]:
        """Return what decides the output: engine, model, a digest of its weights, beams.

        Computed from the files, without loading the weights (they may be downloaded).
        """
        return {
            "backend": "marian",
            "model": self.model_name,
            "weights": self.model.weights_digest()[:12],
            "beams": str(self.options.beams),
        }

    def _generate(self, chunk: list[list[int]]) -> list[str]:
        torch, model = self._torch, self._model
        assert torch is not None and model is not None  # loaded by translate()
        tokenizer = self.model.tokenizer()
        # Padded on the right, as MarianTokenizer pads, and masked.
        width = max(len(ids) for ids in chunk)
        padding = [width - len(ids) for ids in chunk]
        input_ids = [
            ids + [tokenizer.pad_id] * pad for ids, pad in zip(chunk, padding, strict=True)
        ]
        mask = [[1] * len(ids) + [0] * pad for ids, pad in zip(chunk, padding, strict=True)]
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
                input_ids=torch.tensor(input_ids, device=model.device),
                attention_mask=torch.tensor(mask, device=model.device),
                num_beams=self.options.beams,
                max_length=length,
                **exact,
            )
        # Each row to its own bound, so that a runaway output does not depend on which longer
        # texts shared its batch. A row generated alone would end in the </s> that Marian's
        # forced_eos_token_id puts in the last place: keep the start token and bound - 1 more.
        rows = [row[:bound] for row, bound in zip(output.tolist(), bounds, strict=True)]
        return [tokenizer.decode_ids(row) for row in rows]

    def _load(self) -> None:
        if self._model is not None:
            return
        # The files first, torch last: a missing folder or an unreachable hub fails at once.
        folder = self.model.folder(weights=True)
        self.model.tokenizer()
        torch, transformers = import_transformers("the marian backend")
        device = self._resolve_device(torch)
        if device == "cpu":
            # torch's own default counts the machine's cores, not those this process may use:
            # on a shared or limited machine its threads would wait for each other.
            torch.set_num_threads(cpu_threads())
        quiet_libraries()
        from safetensors import SafetensorError

        # What damaged model files raise while loading: a truncated pickle or safetensors
        # header, bad JSON, tensors of the wrong shape.
        load_errors = (OSError, ValueError, RuntimeError, pickle.UnpicklingError, SafetensorError)
        try:
            model = transformers.MarianMTModel.from_pretrained(folder, local_files_only=True)
        except load_errors as err:
            raise ModelError(
                f"cannot load the weights of model {self.model_name!r}: {first_line(err)}",
                path=folder,
                hint="the copy may be incomplete or damaged; fetch the model folder again",
            ) from err
        # float32 on GPUs too: Opus-MT models are small, and Marian-trained weights are
        # known to overflow in float16.
        model.to(device)
        model.eval()
        self._torch, self._model = torch, model

    def _resolve_device(self, torch: ModuleType) -> str:
        device = self.options.device
        if device == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ModelError(
                f"device {device!r} was asked for, but PyTorch finds no CUDA GPU",
                hint="use --device cpu, or install a CUDA build of torch",
            )
        return device


def import_transformers(purpose: str) -> tuple[ModuleType, ModuleType]:
    """Import torch and transformers now, or fail with an install hint naming `purpose`."""
    try:
        import torch
        import transformers
    except ImportError as err:
        raise ModelError(
            f"{purpose} needs torch and transformers, which are not installed", hint=TORCH_HINT
        ) from err
    return torch, transformers
