"""Opus-MT's tokenization with SentencePiece alone, as transformers' MarianTokenizer does it.

Both backends tokenize through this module, so neither needs transformers (nor torch) to count
tokens, and the CTranslate2 backend needs neither to translate. What decides the ids is copied
from MarianTokenizer (transformers 5):

- the text is split at special and added tokens (`</s>`, `<unk>`, `<pad>`, ...), which keep
  their own ids; each piece between them loses a leading language code like `>>fr<<`, which
  becomes a token of its own, and is cut into pieces by `source.spm`;
- a piece maps to its id through `vocab.json` (Marian's ids are not SentencePiece's), a piece
  missing there to `<unk>`; `</s>` closes every input;
- decoding drops the special tokens, joins the pieces with `target.spm` and turns `▁` into
  spaces; `clean_up_tokenization_spaces` in tokenizer_config.json applies as there.

MarianTokenizer also sets up sacremoses' punctuation normaliser, but never calls it while
tokenizing, so it is not applied here either. (transformers 5 decodes with `source.spm` when
the vocabularies are shared; `target.spm` is the side Marian writes, and for Opus-MT models
both join pieces the same way.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sentencepiece

# Written in place of spaces by SentencePiece.
_SPACE = "▁"
# MarianTokenizer's defaults when tokenizer_config.json names none.
_SPECIAL_DEFAULTS = {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
_DEFAULT_MAX_LENGTH = 512
# transformers' `clean_up_tokenization`: the spaces its word tokenizers left before punctuation.
_CLEAN_UP = (
    (" .", "."),
    (" ?", "?"),
    (" !", "!"),
    (" ,", ","),
    (" ' ", "'"),
    (" n't", "n't"),
    (" 'm", "'m"),
    (" 's", "'s"),
    (" 've", "'ve"),
    (" 're", "'re"),
)


class MarianSentencePiece:
    """Turn text into an Opus-MT model's tokens and back, from the files of its folder."""

    def __init__(self, folder: Path) -> None:
        config = folder / "tokenizer_config.json"
        settings: dict[str, Any] = _read_json(config) if config.is_file() else {}
        self._source = _load_spm(folder / "source.spm")
        self._target = _load_spm(folder / "target.spm")
        self._ids: dict[str, int] = _read_json(folder / "vocab.json")
        target_vocab = self._ids
        if settings.get("separate_vocabs"):
            target_vocab = _read_json(folder / "target_vocab.json")
        names = {
            key: _content(settings.get(key)) or name for key, name in _SPECIAL_DEFAULTS.items()
        }
        self.eos, self.unk, self.pad = names["eos_token"], names["unk_token"], names["pad_token"]
        if missing := [name for name in names.values() if name not in self._ids]:
            raise ValueError(f"vocab.json lacks {', '.join(missing)}")
        added, self._special = _added_tokens(settings, self._ids, names.values())
        self._ids.update(added)
        self._pieces = {index: piece for piece, index in {**target_vocab, **added}.items()}
        self._special_ids = {self._ids[token] for token in self._special}
        # Longest first: where two tokens start at the same place, the longer one is meant.
        tokens = sorted(added, key=len, reverse=True)
        self._split = re.compile("(" + "|".join(map(re.escape, tokens)) + ")") if tokens else None
        self._clean_up = bool(settings.get("clean_up_tokenization_spaces", False))
        self.model_max_length = int(settings.get("model_max_length") or _DEFAULT_MAX_LENGTH)

    @property
    def eos_id(self) -> int:
        """Return the id of the token that closes every input."""
        return self._ids[self.eos]

    @property
    def pad_id(self) -> int:
        """Return the id of the padding token (Marian's decoder starts from it)."""
        return self._ids[self.pad]

    def tokens(self, text: str) -> list[str]:
        """Return `text` as the model's input tokens, `<unk>` for unknown ones, `</s>` last."""
        # re.split with a group: odd places hold the added tokens, even ones the text around.
        # (An added token's lstrip / rstrip would drop whitespace beside it, which
        # SentencePiece drops there anyway.)
        parts = self._split.split(text) if self._split else [text]
        tokens: list[str] = []
        for i, part in enumerate(parts):
            if i % 2:
                tokens.append(part)
            elif part:
                tokens.extend(self._encode(part))
        tokens.append(self.eos)
        return tokens

    def ids(self, text: str) -> list[int]:
        """Return the ids of `text`'s input tokens, `</s>` last."""
        return self.to_ids(self.tokens(text))

    def to_ids(self, tokens: Sequence[str]) -> list[int]:
        """Return the ids of input `tokens` as `tokens` returns them."""
        return [self._ids[token] for token in tokens]

    def count(self, text: str) -> int:
        """Return how many tokens `text` takes as input, `</s>` included."""
        return len(self.tokens(text))

    def decode(self, tokens: Sequence[str]) -> str:
        """Return the text of output `tokens`, special tokens left out."""
        pieces = [token for token in tokens if token not in self._special]
        text: str = self._target.decode_pieces(pieces)
        text = text.replace(_SPACE, " ").strip()
        if self._clean_up:
            for before, after in _CLEAN_UP:
                text = text.replace(before, after)
        return text

    def decode_ids(self, ids: Sequence[int]) -> str:
        """Return the text of output token `ids`, special tokens left out."""
        kept = [index for index in ids if index not in self._special_ids]
        return self.decode([self._pieces.get(index, self.unk) for index in kept])

    def _encode(self, text: str) -> list[str]:
        code: list[str] = []
        # A target language code opens the text of multilingual models: one token, not pieces.
        if text.startswith(">>") and (end := text.find("<<")) != -1:
            code, text = [text[: end + 2]], text[end + 2 :]
        pieces: list[str] = self._source.encode(text, out_type=str)
        return [token if token in self._ids else self.unk for token in code + pieces]


def _added_tokens(
    settings: dict[str, Any], vocab: dict[str, int], named: Iterable[str]
) -> tuple[dict[str, int], set[str]]:
    """Return the tokens the text is split at, with their ids, and which of them are special.

    Those are the named and extra special tokens, and any that tokenizer_config.json adds.
    """
    added: dict[str, int] = {}
    special: set[str] = set()
    for index, entry in (settings.get("added_tokens_decoder") or {}).items():
        added[entry["content"]] = int(index)
        if entry.get("special"):
            special.add(entry["content"])
    extra = settings.get("extra_special_tokens") or settings.get("additional_special_tokens") or []
    for token in [*named, *(_content(item) for item in extra)]:
        if token is not None and (token in added or token in vocab):
            added.setdefault(token, vocab[token])
            special.add(token)
    return added, special


def _content(value: Any) -> str | None:
    """Return a token named in tokenizer_config.json: a string, or a dict with its content."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else None


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _load_spm(path: Path) -> sentencepiece.SentencePieceProcessor:
    processor = sentencepiece.SentencePieceProcessor()
    if not processor.Load(str(path)):  # older releases return False instead of raising
        raise OSError(f"cannot load {path.name}")
    return processor
