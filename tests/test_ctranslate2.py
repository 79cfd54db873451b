"""The CTranslate2 backend: converts the tiny model once, caches it, keeps posts intact.

It tokenizes with SentencePiece alone; the tests hold it to transformers' MarianTokenizer, id
for id and translation for translation, and run it where torch and transformers are missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_model_pipeline import (
    test_random_weights_keep_structure_links_code_and_names,
    test_random_weights_leave_no_marker_behind,
    test_random_weights_leave_untranslatable_front_matter_alone,
    test_seed_urls_come_out_once_each_in_order,
    translate_fixture_posts,
)
from transformers import MarianTokenizer

from translate.errors import ConfigError
from translate.translation.backends import Backend, BackendOptions, create_backend, opus
from translate.translation.backends.ctranslate2 import CTranslate2Translator
from translate.translation.backends.opus import cpu_threads
from translate.translation.backends.tokenizer import MarianSentencePiece

ctranslate2 = pytest.importorskip("ctranslate2")

# What the pipeline sends a model: prose with umlauts and typographic quotes, its inline
# markers, special tokens and language codes typed as text, characters no piece covers
# (they become <unk>), odd whitespace, and texts close to the model's input limit.
TEXTS = [
    "Die Straße führt über die Brücke.",
    "Grüße aus München! Öl, Übel, Ärger, süß.",
    "Klicke auf <g1>Speichern</g1>, dann <x1/>.",
    "<g1>x</g1><g2><x3/></g2>",
    "Er sagte: „Das ist schön.“ – ‚Ja‘ … (siehe [1])",
    "Schnee ☃, Emoji 🙂, CJK 漢字 und Ǆ: ungekannt.",
    ">>en<< Hallo Welt",
    "Text mit </s> und <unk> und <pad> darin.",
    "  Leerzeichen\tund\nZeilenumbrüche  ",
    "1.024 Byte, 98 %, 5 €, 14:30 Uhr, +49 30 123456",
    "https://example.com/pfad?x=1&y=2 und info@example.org",
    " ".join(["Straße"] * 120),
    "Übung macht den Meister. " * 30,
]
# Characters of the tiny model's corpus and a few it never saw, for generated texts.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß0123456789 .,;:!?-–„“‚‘<>/…☃漢\t\n"
)


def _translator(model: Path, cache: Path, **options: object) -> CTranslate2Translator:
    settings = {"model": str(model), "device": "cpu", "beams": 1, "cache_dir": str(cache)}
    return CTranslate2Translator(BackendOptions(**{**settings, **options}))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the weight digests each test computes out of the real user cache."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(scope="module")
def cache(ct2_cache: Path) -> Path:
    """Share one conversion of the tiny model among the tests that only translate."""
    return ct2_cache


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each conversion the backend starts (the source folders converted)."""
    import ctranslate2.converters

    calls: list[str] = []
    original = ctranslate2.converters.TransformersConverter

    def converter(model: str, *args: object, **kwargs: object) -> object:
        calls.append(model)
        return original(model, *args, **kwargs)

    monkeypatch.setattr(ctranslate2.converters, "TransformersConverter", converter)
    return calls


def test_translates_one_output_per_input_in_order(tiny_model_dir: Path, cache: Path) -> None:
    translator = create_backend(
        "ctranslate2", BackendOptions(model=str(tiny_model_dir), device="cpu", cache_dir=str(cache))
    )
    assert isinstance(translator, Backend)
    texts = ["Die Straße führt über die Brücke.", "", "Grüße aus München!", "   "]
    output = translator.translate(texts)
    assert len(output) == len(texts)
    assert output[1] == "" and output[3] == "   "
    assert all(isinstance(text, str) and len(text) < 200 for text in output)
    assert translator.translate(texts[:1]) == output[:1]  # deterministic, batch-independent


def test_nothing_to_translate_loads_nothing(tiny_model_dir: Path, tmp_path: Path) -> None:
    translator = _translator(tiny_model_dir, tmp_path)
    assert translator.translate([]) == []
    assert translator.translate(["", " \n"]) == ["", " \n"]
    assert not translator.loaded
    assert not any(tmp_path.iterdir())


def test_conversion_is_cached_and_recorded(
    tiny_model_dir: Path, tmp_path: Path, counted: list[str]
) -> None:
    said: list[str] = []
    first = _translator(tiny_model_dir, tmp_path, notify=said.append)
    first.translate(["Hallo Welt."])
    second = _translator(tiny_model_dir, tmp_path, notify=said.append)
    second.translate(["Hallo Welt."])
    assert len(counted) == 1
    # One line before the wait, one after; nothing when the conversion is found.
    assert said[0].startswith(f"Converting {tiny_model_dir} for CTranslate2 (int8), once: ")
    assert said[0].endswith(str(first.converted_folder()))
    assert said[1].startswith("Converted in ") and len(said) == 2
    assert first.converted_folder() == second.converted_folder()
    assert [p.name for p in tmp_path.iterdir()] == [first.converted_folder().name]  # no temp left
    record = (first.converted_folder() / "hugo-translate-source.json").read_text()
    assert str(tiny_model_dir.resolve()) in record and '"quantization": "int8"' in record


def test_a_changed_model_is_converted_again(
    tiny_model_dir: Path, tmp_path: Path, counted: list[str]
) -> None:
    model = shutil.copytree(tiny_model_dir, tmp_path / "model")
    cache = tmp_path / "cache"
    before = _translator(model, cache).converted_folder()
    config = model / "config.json"
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = _translator(model, cache).converted_folder()
    assert after != before
    assert len(counted) == 2
    assert _translator(model, cache, compute_type="float32").converted_folder() not in {
        before,
        after,
    }


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("3", 3), (" 1 ", 1), *[(unusable, "cores") for unusable in ("", "0", "x")]],
)
def test_decoding_threads_follow_omp_num_threads_as_torch_does(
    monkeypatch: pytest.MonkeyPatch, setting: str, expected: int | str
) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", setting)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4}, raising=False)
    monkeypatch.setattr(opus, "_cgroup_cpu_quota", lambda: None)
    assert cpu_threads() == (5 if expected == "cores" else expected)


def test_without_omp_num_threads_only_the_cores_the_process_may_use_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process pinned to 2 of 64 cores (taskset, a cpuset) decodes on 2 threads, not 64."""
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {4, 5}, raising=False)
    monkeypatch.setattr(opus, "_cgroup_cpu_quota", lambda: None)
    assert cpu_threads() == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(opus, "_cgroup_cpu_quota", lambda: 3)  # docker run --cpus 2.5
    assert cpu_threads() == 3


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [("max 100000\n", None), ("250000 100000\n", 3), ("50000 100000\n", 1), ("", None)],
)
def test_a_cgroup_quota_is_read_in_whole_cpus_rounded_up(
    tmp_path: Path, cpu_max: str, expected: int | None
) -> None:
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max, encoding="ascii")
    assert opus._cgroup_cpu_quota(path) == expected
    assert opus._cgroup_cpu_quota(tmp_path / "missing") is None


def test_the_engine_is_created_with_those_threads(
    tiny_model_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    created: list[dict[str, object]] = []
    real = ctranslate2.Translator

    def engine(*args: object, **kwargs: object) -> object:
        created.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", engine)
    _translator(tiny_model_dir, cache).translate(["Hallo Welt."])
    assert [options["intra_threads"] for options in created] == [1]


def test_unsupported_compute_type_is_a_config_error(tiny_model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="float16") as info:
        _translator(tiny_model_dir, tmp_path, compute_type="float16")
    assert info.value.hint is not None and "int8" in info.value.hint


def test_signature_digests_the_source_weights_and_quantization(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    converted = tmp_path / "converted"
    signature = _translator(tiny_model_dir, converted).signature()
    weights = hashlib.sha256((tiny_model_dir / "model.safetensors").read_bytes()).hexdigest()
    assert signature == {
        "backend": "ctranslate2",
        "model": str(tiny_model_dir),
        "weights": hashlib.sha256(f"{weights} int8".encode()).hexdigest()[:12],
        "compute_type": "int8",
        "beams": "1",
    }
    float32 = _translator(tiny_model_dir, converted, compute_type="float32").signature()
    assert float32["weights"] != signature["weights"]
    assert not converted.exists()  # signing converts nothing


# --- the SentencePiece tokenizer against transformers' MarianTokenizer --------------------


@pytest.fixture(scope="module")
def reference(tiny_model_dir: Path) -> MarianTokenizer:
    """Return transformers' tokenizer for the tiny model: what the ids must equal."""
    return MarianTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)


@pytest.fixture(scope="module")
def pieces(tiny_model_dir: Path) -> MarianSentencePiece:
    """Return this package's tokenizer for the tiny model."""
    return MarianSentencePiece(tiny_model_dir)


@pytest.mark.parametrize("text", TEXTS)
def test_tokenizer_gives_marian_tokenizers_ids(
    reference: MarianTokenizer, pieces: MarianSentencePiece, text: str
) -> None:
    expected = reference(text, verbose=False)["input_ids"]
    assert pieces.ids(text) == expected
    assert pieces.count(text) == len(expected)
    assert pieces.tokens(text) == reference.convert_ids_to_tokens(expected)


def test_unknown_characters_become_unk(pieces: MarianSentencePiece) -> None:
    tokens = pieces.tokens("Schnee ☃")
    assert "<unk>" in tokens and tokens[-1] == "</s>"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_tokenizer_gives_marian_tokenizers_ids_for_any_text(
    reference: MarianTokenizer, pieces: MarianSentencePiece, text: str
) -> None:
    assert pieces.ids(text) == reference(text, verbose=False)["input_ids"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=477), max_size=40))
def test_tokenizer_decodes_as_marian_tokenizer(
    reference: MarianTokenizer, pieces: MarianSentencePiece, ids: list[int]
) -> None:
    assert pieces.decode_ids(ids) == reference.decode(ids, skip_special_tokens=True)
    tokens = reference.convert_ids_to_tokens(ids)
    assert pieces.decode(tokens) == reference.decode(ids, skip_special_tokens=True)


@pytest.mark.parametrize(
    "config",
    [
        {"clean_up_tokenization_spaces": True, "model_max_length": 128},
        # A token added after training: the text is split at it, and it decodes as itself.
        {"added_tokens_decoder": {"478": {"content": "<x1/>", "special": False}}},
        # A piece of the vocabulary declared special: the text is split at it, decoding drops it.
        {"extra_special_tokens": ["ie"]},
    ],
    ids=["clean-up", "added-token", "extra-special-token"],
)
def test_tokenizer_follows_the_folders_tokenizer_config(
    tiny_model_dir: Path, tmp_path: Path, config: dict[str, object]
) -> None:
    folder = shutil.copytree(tiny_model_dir, tmp_path / "model")
    settings = {"source_lang": "de", "target_lang": "en", **config}
    (folder / "tokenizer_config.json").write_text(json.dumps(settings), encoding="utf-8")
    reference = MarianTokenizer.from_pretrained(folder, local_files_only=True)
    pieces = MarianSentencePiece(folder)
    assert pieces.model_max_length == reference.model_max_length
    for text in [*TEXTS, "a </s> b <unk> c", "Ja , gut . Wirklich ?"]:
        ids = reference(text, verbose=False)["input_ids"]
        assert pieces.ids(text) == ids, text
        assert pieces.decode_ids(ids) == reference.decode(ids, skip_special_tokens=True), text


def test_translations_equal_those_through_the_transformers_tokenizer(
    tiny_model_dir: Path, cache: Path, reference: MarianTokenizer
) -> None:
    backend = _translator(tiny_model_dir, cache, batch_size=4)
    ours = backend.translate(TEXTS)
    # The backend's translation before it tokenized by itself: MarianTokenizer around the
    # same converted model, with the same settings.
    engine = ctranslate2.Translator(
        str(backend.converted_folder()),
        device="cpu",
        compute_type=backend.compute_type,
        intra_threads=cpu_threads(),
    )
    encoded = reference(TEXTS, verbose=False)["input_ids"]
    bounds = [backend.options.output_bound(len(ids), 511) for ids in encoded]
    output = engine.translate_batch(
        [reference.convert_ids_to_tokens(ids) for ids in encoded],
        beam_size=1,
        max_batch_size=4,
        max_decoding_length=max(bounds),
    )
    rows = [
        reference.convert_tokens_to_ids(result.hypotheses[0][:bound])
        for result, bound in zip(output, bounds, strict=True)
    ]
    theirs = [text.strip() for text in reference.batch_decode(rows, skip_special_tokens=True)]
    assert ours == theirs
    assert len(set(ours)) > 1  # real, varied output, not one constant


# --- without torch and transformers ---------------------------------------------------------

# Runs the backend in a fresh interpreter in which torch and transformers cannot be imported,
# as after `pip install 'hugo-translate[ctranslate2]'` without them.
_WITHOUT_TORCH = """
import json, sys
sys.modules["torch"] = None
sys.modules["transformers"] = None
from translate.translation.backends import BackendOptions, create_backend
from translate.errors import ModelError
model, cache, texts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
options = BackendOptions(model=model, device="cpu", beams=1, cache_dir=cache)
try:
    backend = create_backend("ctranslate2", options)
    result = {"translations": backend.translate(texts), "signature": backend.signature()}
except ModelError as error:
    result = {"error": str(error)}
result["loaded"] = sorted(m for m in ("torch", "transformers") if sys.modules.get(m))
print(json.dumps(result))
"""


def _without_torch(model: Path, cache: Path, texts: list[str]) -> dict[str, object]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_TORCH, str(model), str(cache), json.dumps(texts)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_converted_model_translates_without_torch_and_transformers(
    tiny_model_dir: Path, cache: Path
) -> None:
    backend = _translator(tiny_model_dir, cache)
    expected = backend.translate(TEXTS)  # converts, if no other test did
    result = _without_torch(tiny_model_dir, cache, TEXTS)
    assert result == {"translations": expected, "signature": backend.signature(), "loaded": []}


def test_conversion_without_transformers_says_what_to_install(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    result = _without_torch(tiny_model_dir, tmp_path / "empty-cache", ["Hallo"])
    error = str(result["error"])
    assert "converting a model for CTranslate2" in error
    assert "needs torch and transformers" in error
    assert "pip install transformers torch" in error
    assert not (tmp_path / "empty-cache").exists() or not any((tmp_path / "empty-cache").iterdir())


@pytest.fixture(scope="module")
def translated(tiny_model_dir: Path, cache: Path) -> dict[Path, tuple[str, str]]:
    """Translate the test posts with CTranslate2, for the shared structural tests."""
    return translate_fixture_posts(_translator(tiny_model_dir, cache))


# The same structural tests as the transformers backend, run against the fixture above.
__all__ = [
    "test_random_weights_keep_structure_links_code_and_names",
    "test_random_weights_leave_no_marker_behind",
    "test_random_weights_leave_untranslatable_front_matter_alone",
    "test_seed_urls_come_out_once_each_in_order",
]
