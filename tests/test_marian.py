"""The MarianMT backend, run offline on a tiny random-weight model with the Opus-MT layout."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import huggingface_hub
import pytest
import torch
import transformers
from transformers import MarianMTModel, MarianTokenizer

from translate.errors import ConfigError, ModelError
from translate.translation.backends import Backend, BackendOptions, create_backend, opus
from translate.translation.backends.marian import MarianTranslator
from translate.translation.backends.signature import Signature

pytestmark = pytest.mark.slow

TEXTS = [
    "Die Straße führt über die Brücke.",
    "Klicke auf <g1>Speichern</g1>, dann <x1/>.",
    "Grüße aus München!",
]


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the weight digests each test computes out of the real user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "hugo-translate"


@pytest.fixture
def translator(tiny_model_dir: Path) -> MarianTranslator:
    """Return a fresh, unloaded translator for the tiny model on the CPU."""
    return MarianTranslator(BackendOptions(model=str(tiny_model_dir), device="cpu", beams=2))


def test_registry_builds_an_unloaded_marian_translator(tiny_model_dir: Path) -> None:
    translator = create_backend("marian", BackendOptions(model=str(tiny_model_dir)))
    assert isinstance(translator, MarianTranslator)
    assert isinstance(translator, Backend)
    assert not translator.loaded


def test_torch_computes_on_the_threads_the_process_may_use(
    translator: MarianTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torch counts every core of the machine; a process pinned to fewer would oversubscribe."""
    monkeypatch.delenv("OMP_NUM_THREADS")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(opus, "_cgroup_cpu_quota", lambda: None)
    torch.set_num_threads(1)
    translator.translate(["Hallo."])
    assert torch.get_num_threads() == 2  # conftest's teardown sets it back


def test_translate_returns_one_string_per_input(translator: MarianTranslator) -> None:
    outputs = translator.translate(TEXTS)
    assert len(outputs) == len(TEXTS)
    assert all(isinstance(text, str) and text for text in outputs)
    assert translator.loaded


def test_translations_equal_those_through_the_transformers_tokenizer(
    tiny_model_dir: Path,
) -> None:
    texts = [*TEXTS, "Schnee ☃ und </s> im Text.", " ".join(["Straße"] * 80)]
    ours = MarianTranslator(
        BackendOptions(model=str(tiny_model_dir), device="cpu", beams=2, batch_size=2)
    ).translate(texts)
    # The backend's translation before it tokenized by itself: MarianTokenizer's ids, padding
    # and decoding around the same model, with the same bounds.
    tokenizer = MarianTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)
    model = MarianMTModel.from_pretrained(tiny_model_dir, local_files_only=True).eval()
    theirs = []
    for start in range(0, len(texts), 2):
        batch = tokenizer(texts[start : start + 2], return_tensors="pt", padding=True)
        bounds = [min(2 * int(n) + 16, 511) for n in batch["attention_mask"].sum(dim=1)]
        with torch.inference_mode():
            output = model.generate(**batch, num_beams=2, max_length=max(bounds) + 1)
        rows = [row[:bound] for row, bound in zip(output.tolist(), bounds, strict=True)]
        theirs += [text.strip() for text in tokenizer.batch_decode(rows, skip_special_tokens=True)]
    assert ours == theirs
    assert len(set(ours)) > 1  # real, varied output, not one constant


def test_batch_keeps_the_input_order(tiny_model_dir: Path) -> None:
    # Greedy decoding: then a text's output does not depend on its batch, only on its order.
    greedy = MarianTranslator(BackendOptions(model=str(tiny_model_dir), device="cpu", beams=1))
    one_by_one = [greedy.translate([text])[0] for text in TEXTS]
    assert greedy.translate(TEXTS) == one_by_one
    assert greedy.translate(TEXTS[::-1]) == one_by_one[::-1]


def test_translation_is_deterministic(tiny_model_dir: Path, translator: MarianTranslator) -> None:
    again = MarianTranslator(BackendOptions(model=str(tiny_model_dir), device="cpu", beams=2))
    assert translator.translate(TEXTS) == again.translate(TEXTS)


def test_batches_smaller_than_the_input_keep_the_order(tiny_model_dir: Path) -> None:
    options = BackendOptions(model=str(tiny_model_dir), device="cpu", beams=1)
    whole = MarianTranslator(options).translate(TEXTS)
    chunked = MarianTranslator(
        BackendOptions(model=str(tiny_model_dir), device="cpu", beams=1, batch_size=1)
    ).translate(TEXTS)
    assert chunked == whole


def test_output_length_is_bounded_by_the_input(translator: MarianTranslator) -> None:
    # The tiny model's generation default allows 512 tokens; random weights rarely stop early.
    (output,) = translator.translate(["Hallo"])
    assert translator.count_tokens(output) <= 2 * translator.count_tokens("Hallo") + 16 + 1


def test_empty_input_loads_nothing(translator: MarianTranslator) -> None:
    assert translator.translate([]) == []
    assert not translator.loaded


def test_blank_texts_come_back_unchanged_without_loading(translator: MarianTranslator) -> None:
    assert translator.translate(["", "  "]) == ["", "  "]
    assert not translator.loaded


def test_tiny_model_loads_like_opus_mt(tiny_model_dir: Path) -> None:
    tokenizer = MarianTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)
    model = MarianMTModel.from_pretrained(tiny_model_dir, local_files_only=True)
    vocab = tokenizer.get_vocab()
    assert (vocab["</s>"], vocab["<unk>"], vocab["<pad>"]) == (0, 1, len(vocab) - 1)
    assert model.config.decoder_start_token_id == model.config.pad_token_id == vocab["<pad>"]
    # MarianTokenizer has no byte fallback: the pipeline's markers must not become <unk>.
    ids = tokenizer("<g1>Größe</g1> „Straße“ [1] (a_b) <x1/>")["input_ids"]
    assert tokenizer.unk_token_id not in ids


def test_token_counting_loads_no_weights(translator: MarianTranslator) -> None:
    assert translator.max_input_tokens == 512
    # Two pieces at least, plus the closing </s>.
    assert translator.count_tokens("Hallo Welt") >= 3
    assert not translator.loaded


def test_over_long_input_raises_instead_of_truncating(translator: MarianTranslator) -> None:
    long_text = " ".join(["Straße"] * 600)
    assert translator.count_tokens(long_text) > translator.max_input_tokens
    with pytest.raises(ValueError, match="over the model's limit of 512"):
        translator.translate(["Hallo", long_text])


def test_signature_digests_the_weights_without_loading_them(
    translator: MarianTranslator, tiny_model_dir: Path
) -> None:
    weights = (tiny_model_dir / "model.safetensors").read_bytes()
    signature = translator.signature()
    assert signature == {
        "backend": "marian",
        "model": str(tiny_model_dir),
        "weights": hashlib.sha256(weights).hexdigest()[:12],
        "beams": "2",
    }
    assert not translator.loaded
    assert Signature(signature).format() == (
        f"backend:marian|model:{tiny_model_dir}|weights:{signature['weights']}|beams:2"
    )


@pytest.mark.parametrize("name", ["identity", "pseudo"])
def test_backends_without_a_model_sign_with_their_name(name: str) -> None:
    backend = create_backend(name, BackendOptions())
    assert isinstance(backend, Backend)
    assert backend.signature() == {
        "backend": name,
        "model": "none",
        "weights": "none",
        "beams": "none",
    }
    assert backend.max_input_tokens is None


def test_weight_digest_is_cached_until_the_file_changes(
    tiny_model_dir: Path, tmp_path: Path, user_cache: Path
) -> None:
    model = shutil.copytree(tiny_model_dir, tmp_path / "model")
    weights = model / "model.safetensors"

    def signed() -> str:
        options = BackendOptions(model=str(model), device="cpu")
        return MarianTranslator(options).signature()["weights"]

    first = signed()
    cache = user_cache / "weight-digests.json"
    entries = json.loads(cache.read_text())
    assert entries[str(weights.resolve())]["sha256"][:12] == first
    # Mark the cached digest: a run that reads the cache instead of hashing returns the mark.
    entries[str(weights.resolve())]["sha256"] = "f" * 64
    cache.write_text(json.dumps(entries))
    assert signed() == "f" * 12
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert signed() == first  # touched: hashed again


def test_loading_prints_no_library_output(
    tiny_model_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # Undo what an earlier test's load switched off: the libraries' defaults print bars.
    transformers.utils.logging.set_verbosity_warning()
    transformers.utils.logging.enable_progress_bar()
    huggingface_hub.utils.enable_progress_bars()
    capfd.readouterr()
    MarianTranslator(BackendOptions(model=str(tiny_model_dir), device="cpu")).translate(["Hallo"])
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize("name", ["source.spm", "vocab.json", "model.safetensors"])
def test_incomplete_model_folder_names_the_missing_file(
    tiny_model_dir: Path, tmp_path: Path, name: str
) -> None:
    copy = shutil.copytree(tiny_model_dir, tmp_path / "model")
    (copy / name).unlink()
    translator = MarianTranslator(BackendOptions(model=str(copy), device="cpu"))
    with pytest.raises(ModelError) as caught:
        translator.translate(["Hallo"])
    message = str(caught.value)
    assert name in message
    assert str(copy) in message
    assert "copy the whole model folder" in message
    assert "\n" not in message


@pytest.mark.parametrize("name", ["source.spm", "vocab.json"])
def test_damaged_tokenizer_files_raise_model_error(
    tiny_model_dir: Path, tmp_path: Path, name: str
) -> None:
    copy = shutil.copytree(tiny_model_dir, tmp_path / "model")
    (copy / name).write_bytes(b"not what it should be")
    translator = MarianTranslator(BackendOptions(model=str(copy), device="cpu"))
    with pytest.raises(ModelError, match="cannot load the tokenizer") as caught:
        translator.count_tokens("Hallo")
    assert caught.value.path == copy


def test_damaged_weights_raise_model_error(tiny_model_dir: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(tiny_model_dir, tmp_path / "model")
    (copy / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError, match="cannot load the weights"):
        MarianTranslator(BackendOptions(model=str(copy), device="cpu")).translate(["Hallo"])


def test_missing_folder_is_reported_when_the_backend_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match="model folder not found") as caught:
        MarianTranslator(BackendOptions(model=str(missing)))
    assert caught.value.path == missing


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Switch hub look-ups off and point the Hugging Face cache at an empty folder."""
    cache = tmp_path / "hf" / "hub"
    cache.mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(cache.parent))
    # huggingface_hub reads HF_HOME once, at import: patch the folder it already chose.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    return cache


def _cache_snapshot(cache: Path, repo_id: str, model_dir: Path, files: list[str]) -> Path:
    """Lay `files` of `model_dir` out as the Hugging Face cache keeps a download of `repo_id`."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    revision = "0123456789abcdef0123456789abcdef01234567"
    snapshot = repo / "snapshots" / revision
    snapshot.mkdir(parents=True)
    for name in files:
        shutil.copy(model_dir / name, snapshot / name)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    return snapshot


def test_uncached_hub_model_offline_fails_fast_with_the_id(offline_hub: Path) -> None:
    translator = MarianTranslator(BackendOptions(model="Helsinki-NLP/opus-mt-xx-yy"))
    assert not translator.loaded  # construction looks nothing up
    with pytest.raises(ModelError) as caught:
        translator.translate(["Hallo"])
    message = str(caught.value)
    assert "'Helsinki-NLP/opus-mt-xx-yy'" in message
    assert "not in the Hugging Face cache" in message
    assert "HF_HUB_OFFLINE" in message
    assert "\n" not in message


def test_unreachable_hub_fails_at_once_without_a_look_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on port 9: a connection is refused at once, as where no network is.
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))

    def look_up(*args: object, **kwargs: object) -> str:
        raise AssertionError("the hub client was asked, and may wait minutes for an answer")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", look_up)
    translator = MarianTranslator(BackendOptions(device="cpu"))  # the de-en default
    with pytest.raises(ModelError) as caught:
        translator.translate(["Hallo"])
    message = str(caught.value)
    assert "'Helsinki-NLP/opus-mt-de-en'" in message
    assert "the hub cannot be reached" in message
    assert "--model /path/to/a/local/copy" in message  # what to do instead
    assert not translator.loaded


def test_cached_hub_model_loads_offline_and_signs_its_snapshot(
    offline_hub: Path, tiny_model_dir: Path
) -> None:
    files = [path.name for path in tiny_model_dir.iterdir()]
    snapshot = _cache_snapshot(offline_hub, "Helsinki-NLP/opus-mt-de-en", tiny_model_dir, files)
    translator = MarianTranslator(BackendOptions(device="cpu"))  # the de-en default
    assert len(translator.translate(TEXTS)) == len(TEXTS)
    signature = translator.signature()
    assert signature["model"] == "Helsinki-NLP/opus-mt-de-en"
    weights = (snapshot / "model.safetensors").read_bytes()
    assert signature["weights"] == hashlib.sha256(weights).hexdigest()[:12]


def test_cached_tokenizer_without_weights_counts_but_cannot_translate(
    offline_hub: Path, tiny_model_dir: Path
) -> None:
    files = ["config.json", "source.spm", "target.spm", "vocab.json"]
    _cache_snapshot(offline_hub, "Helsinki-NLP/opus-mt-de-en", tiny_model_dir, files)
    translator = MarianTranslator(BackendOptions(device="cpu"))
    assert translator.count_tokens("Hallo Welt") >= 3
    with pytest.raises(ModelError, match="not in the Hugging Face cache, and HF_HUB_OFFLINE"):
        translator.translate(["Hallo"])


def test_default_model_follows_the_language_pair() -> None:
    translator = MarianTranslator(BackendOptions(source="fr", target="de"))
    assert translator.model_name == "Helsinki-NLP/opus-mt-fr-de"


def test_unknown_device_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown device"):
        MarianTranslator(BackendOptions(device="tpu"))


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_a_gpu_raises_model_error(tiny_model_dir: Path) -> None:
    translator = MarianTranslator(BackendOptions(model=str(tiny_model_dir), device="cuda"))
    with pytest.raises(ModelError, match="no CUDA GPU"):
        translator.translate(["Hallo"])
    assert not translator.loaded
