"""Build a random-weight MarianMT model offline, in the Opus-MT folder layout.

The benchmark needs the cost of the real opus-mt-de-en, not its translations: the same layer
count, widths and vocabulary size (the output projection over 58101 pieces is a large part of
every decoding step), with random weights. The Hugging Face hub is not needed. The
SentencePiece model is trained on the benchmark's own corpus, so that texts split into pieces
about as finely as with the real one; vocab.json is then padded with unused entries up to the
real vocabulary size, as the model's embeddings and output projection must be.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sentencepiece
import torch
from transformers import GenerationConfig, MarianConfig, MarianMTModel


@dataclass(frozen=True)
class Shape:
    """The sizes that decide a MarianMT model's cost."""

    layers: int  # encoder and decoder each
    d_model: int
    heads: int
    ffn: int
    vocab: int | None  # None: just the SentencePiece pieces, no padding
    pieces: int  # SentencePiece pieces to train (a target; a small corpus may give fewer)


# Helsinki-NLP/opus-mt-de-en's config.json: 6 + 6 layers, d_model 512, 8 heads, FFN 2048,
# vocab_size 58101, embeddings shared by encoder, decoder and output projection.
OPUS_MT = Shape(layers=6, d_model=512, heads=8, ffn=2048, vocab=58101, pieces=4000)
# For the smoke test: builds and runs in seconds.
TINY = Shape(layers=2, d_model=32, heads=4, ffn=64, vocab=None, pieces=600)


def build_marian(directory: Path, lines: Sequence[str], shape: Shape, seed: int = 0) -> Path:
    """Write a random-weight MarianMT model of `shape` into `directory`, trained on `lines`."""
    directory.mkdir(parents=True, exist_ok=True)
    spm_model = _train_sentencepiece(lines, shape.pieces)
    # Opus-MT ships one file per side; a joint vocabulary makes them the same model.
    (directory / "source.spm").write_bytes(spm_model)
    (directory / "target.spm").write_bytes(spm_model)
    vocab = _marian_vocab(spm_model, shape.vocab)
    (directory / "vocab.json").write_text(
        json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8"
    )
    (directory / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "de", "target_lang": "en"}), encoding="utf-8"
    )
    pad_id, eos_id = vocab["<pad>"], vocab["</s>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        # Opus-MT conventions: decoding starts from <pad>, and </s> doubles as bos.
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        bos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    # opus-mt-de-en's generation_config.json: <pad> banned as an output, up to 512 tokens.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        eos_token_id=eos_id,
        forced_eos_token_id=eos_id,
        pad_token_id=pad_id,
        max_length=512,
        num_beams=4,
    )
    model.save_pretrained(directory)
    return directory


def _train_sentencepiece(lines: Sequence[str], pieces: int) -> bytes:
    """Return a unigram SentencePiece model trained on `lines`, the same on every run."""
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=pieces,
        hard_vocab_limit=False,
        # MarianTokenizer has no byte fallback: a character missing here would become <unk>.
        character_coverage=1.0,
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        minloglevel=2,
    )
    return model.getvalue()


def _marian_vocab(spm_model: bytes, size: int | None) -> dict[str, int]:
    """Map pieces to ids as Opus-MT's vocab.json does: </s>=0, <unk>=1, <pad> last.

    With a `size`, unused entries fill the gap before <pad>; SentencePiece never produces them,
    but a random model predicts them, as a real one may predict any of its 58101 pieces.
    """
    processor = sentencepiece.SentencePieceProcessor(model_proto=spm_model)
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(processor.get_piece_size()):
        if not (processor.is_control(i) or processor.is_unknown(i)):
            vocab.setdefault(processor.id_to_piece(i), len(vocab))
    if size is not None:
        if size <= len(vocab):
            raise ValueError(f"vocabulary of {size} is smaller than the {len(vocab) + 1} pieces")
        for i in range(size - 1 - len(vocab)):
            vocab[f"<unused{i}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab
