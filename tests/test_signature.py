"""The engine's signature: one stable line per translation, read back and compared."""

from __future__ import annotations

import pytest

from translate.translation.backends.signature import Signature


def test_signature_line_is_stable_and_reads_back() -> None:
    fields = {
        "version": "0.2.0",
        "beams": "4",
        "glossary": "9f8e7d6c",
        "model": "/models/a|b 100%",
        "weights": "1a2b3c4d5e6f",
        "backend": "marian",
        "device": "cpu",
    }
    line = Signature(fields).format()
    assert line == (
        "backend:marian|model:/models/a%7Cb 100%25|weights:1a2b3c4d5e6f|beams:4"
        "|glossary:9f8e7d6c|version:0.2.0|device:cpu"
    )
    assert Signature(dict(reversed(fields.items()))).format() == line
    assert Signature.parse(line).fields == fields
    with pytest.raises(ValueError, match="field"):
        Signature({"a:b": "c"}).format()


def test_a_version_1_record_names_backend_and_model_with_a_space() -> None:
    old = Signature.parse("marian Helsinki-NLP/opus-mt-de-en")
    assert old.fields == {"backend": "marian", "model": "Helsinki-NLP/opus-mt-de-en"}


def marian(model: str, weights: str = "unknown") -> Signature:
    return Signature({"backend": "marian", "model": model, "weights": weights})


def test_another_model_or_other_weights_are_an_older_model() -> None:
    assert marian("lab/model-2024").other_model(marian("lab/model-2025"))
    assert marian("m", "aaaa").other_model(marian("m", "bbbb"))
    assert not marian("m", "aaaa").other_model(marian("m", "unknown"))
    assert not marian("m", "aaaa").other_model(marian("m", "aaaa"))
    # Found in the field: one local model folder, typed from two folders, is one model.
    assert not marian("../../models/m", "aaaa").other_model(marian("models/m", "aaaa"))
    assert marian("../../models/m", "aaaa").other_model(marian("models/m", "bbbb"))


@pytest.mark.parametrize("backend", ["pseudo", "identity"])
def test_a_translation_made_without_a_model_is_no_older_model(backend: str) -> None:
    made = Signature({"backend": backend, "model": "none", "weights": "none"})
    assert not made.other_model(marian("Helsinki-NLP/opus-mt-de-en"))
    assert not marian("x").other_model(made)
    assert made.describe() == backend
    assert marian("x").describe() == "marian x"
