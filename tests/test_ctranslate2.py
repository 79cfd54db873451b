"""The CTranslate2 backend: converts the tiny model once, caches it, keeps posts intact."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_model_pipeline import (
    test_random_weights_keep_structure_links_code_and_names,
    test_random_weights_leave_no_marker_behind,
    test_random_weights_leave_untranslatable_front_matter_alone,
    test_seed_urls_come_out_once_each_in_order,
    translate_fixture_posts,
)

from translate.backends import BackendOptions, create_backend
from translate.backends.ctranslate2 import CTranslate2Translator
from translate.errors import ConfigError

pytest.importorskip("ctranslate2")


def _translator(model: Path, cache: Path, **options: object) -> CTranslate2Translator:
    settings = {"model": str(model), "device": "cpu", "beams": 1, "cache_dir": str(cache)}
    return CTranslate2Translator(BackendOptions(**{**settings, **options}))  # type: ignore[arg-type]


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
    first = _translator(tiny_model_dir, tmp_path)
    first.translate(["Hallo Welt."])
    second = _translator(tiny_model_dir, tmp_path)
    second.translate(["Hallo Welt."])
    assert len(counted) == 1
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


def test_unsupported_compute_type_is_a_config_error(tiny_model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="float16") as info:
        _translator(tiny_model_dir, tmp_path, compute_type="float16")
    assert info.value.hint is not None and "int8" in info.value.hint


def test_signature_names_the_engine_and_settings(tiny_model_dir: Path, tmp_path: Path) -> None:
    signature = _translator(tiny_model_dir, tmp_path).signature()
    assert signature["engine"] == "ctranslate2"
    assert signature["compute_type"] == "int8"
    assert signature["device"] == "cpu"
    assert signature["model"] == str(tiny_model_dir)


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
