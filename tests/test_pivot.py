"""A pair without a direct model goes through a third language: de -> en -> fr."""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from pathlib import Path

import pytest
from test_multilingual import copy_site, invoke

from translate.commands.run import run_project
from translate.hugo.settings import Settings
from translate.hugo.site import open_project
from translate.translation.backends.signature import Signature
from translate.translation.pivot import PivotTranslator

POST = """---
title: Neues Projekt
---

Der erste Absatz nennt [die Partner](https://example.org/partner) und `make test`.

Der zweite Absatz schließt ab.
"""
PIVOTED = Settings(backend="pseudo", targets=("fr", "en"), pivots={"de-fr": "en"})


class Tagging:
    """Translate by prefixing the target language: `en:Text`, then `fr:en:Text`."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.seen: list[str] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.seen.extend(texts)
        return [f"{self.target}:{text}" for text in texts]


class Factory:
    """Make a `Tagging` translator per direct pair and remember each one made."""

    def __init__(self) -> None:
        self.made: list[tuple[str, Tagging]] = []

    def __call__(self, pair: Settings) -> Tagging:
        translator = Tagging(pair.target)
        self.made.append((pair.pair_name, translator))
        return translator

    def seen(self, index: int) -> list[str]:
        return self.made[index][1].seen


def german_site(tmp_path: Path) -> Path:
    post = tmp_path / "content/de/post/projekt.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST, encoding="utf-8")
    return tmp_path


def record_header(site: Path, pair: str) -> dict[str, str]:
    text = (site / f"translation-memory/{pair}/records/post/projekt.md.jsonl").read_text("utf-8")
    header: dict[str, str] = json.loads(text.splitlines()[0])
    return header


# --- the translator ---------------------------------------------------------------------------


def test_the_pivot_translates_through_both_hops_and_keeps_what_the_first_knows() -> None:
    first, second = Tagging("en"), Tagging("fr")
    known = {"Hallo": "Hello, reviewed"}
    pivot = PivotTranslator(first, second, pivot="en", models=("a", "b"), known=known)

    assert pivot.translate(["Hallo", "Welt", "Welt"]) == [
        "fr:Hello, reviewed",
        "fr:en:Welt",
        "fr:en:Welt",
    ]
    assert first.seen == ["Welt"]
    assert known["Welt"] == "en:Welt"  # shared: the next text "Welt" costs no first hop
    assert pivot.translate(["Welt"]) == ["fr:en:Welt"]
    assert first.seen == ["Welt"]


def test_the_first_hop_takes_whole_texts_from_the_memory_but_never_markup() -> None:
    memory = {"Guten Tag": "Good day", "<g1>Fett</g1>": "<g1>Bold</g1>", "Kursiv": "*Italic*"}
    first = Tagging("en")
    pivot = PivotTranslator(first, Tagging("fr"), pivot="en", models=("a", "b"), memory=memory.get)

    assert pivot.translate(["Guten Tag", "<g1>Fett</g1>", "Kursiv"]) == [
        "fr:Good day",
        "fr:en:<g1>Fett</g1>",
        "fr:en:Kursiv",
    ]
    assert pivot.reused == 1


def test_a_pivot_text_too_long_for_the_second_model_goes_in_parts() -> None:
    class Short(Tagging):
        max_input_tokens = 3

        def count_tokens(self, text: str) -> int:
            return len(text.split())

    second = Short("fr")
    pivot = PivotTranslator(Tagging("en"), second, pivot="en", models=("a", "b"))

    assert pivot.translate(["eins zwei drei vier fünf"]) == ["fr:en:eins zwei fr:drei vier fünf"]
    assert second.seen == ["en:eins zwei", "drei vier fünf"]


def test_the_signature_names_the_pivot_and_both_models() -> None:
    class Signed(Tagging):
        def signature(self) -> dict[str, str]:
            return {"engine": "transformers", "device": "cpu", "revision": self.target}

    pivot = PivotTranslator(Signed("en"), Signed("fr"), pivot="en", models=("m1", "m1"))

    assert pivot.signature() == {
        "pivot": "en",
        "model": "m1+m1",
        "engine": "transformers",
        "device": "cpu",
        "revision": "en+fr",
    }


# --- a run ------------------------------------------------------------------------------------


def test_a_pivoted_pair_reuses_the_first_hop_of_the_same_run(tmp_path: Path) -> None:
    site = german_site(tmp_path)
    factory = Factory()

    report = run_project(open_project(site, PIVOTED), factory)

    assert report.ok
    assert [(r.target, r.pivot) for r in report.pairs] == [("en", None), ("fr", "en")]
    assert [name for name, _ in factory.made] == ["de-en", "de-en", "en-fr"]
    assert factory.seen(1) == []  # every first hop came from the de -> en pair's run
    assert factory.seen(2) and all(text.startswith("en:") for text in factory.seen(2))
    french = (site / "content/fr/post/projekt.md").read_text(encoding="utf-8")
    assert "title: fr:en:Neues Projekt\n" in french
    assert (
        "fr:en:Der erste Absatz nennt [die Partner](https://example.org/partner) und `make test`."
        in french
    )
    header = record_header(site, "de-fr")
    fields = Signature.parse(str(header["engine"])).fields
    assert (fields["backend"], fields["pivot"], fields["model"]) == (
        "pseudo",
        "en",
        "Helsinki-NLP/opus-mt-de-en+Helsinki-NLP/opus-mt-en-fr",
    )


def test_a_pivoted_pair_reuses_the_first_hops_reviewed_memory(tmp_path: Path) -> None:
    site = german_site(tmp_path)
    run_project(open_project(site, Settings(backend="pseudo", targets=("en",))), Factory())
    english = site / "content/en/post/projekt.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("en:Neues Projekt", "New project, reviewed"), "utf-8")
    assert invoke(site, "learn", "--to", "en")[0] == 0  # as CI does after a merge
    factory = Factory()

    settings = Settings(backend="pseudo", targets=("fr",), pivot="en")
    report = run_project(open_project(site, settings), factory)

    assert report.ok
    assert [name for name, _ in factory.made] == ["de-en", "en-fr"]
    assert "Neues Projekt" not in factory.seen(0)
    french = (site / "content/fr/post/projekt.md").read_text(encoding="utf-8")
    assert "title: fr:New project, reviewed\n" in french


def test_only_one_pairs_translator_is_alive_at_a_time(tmp_path: Path) -> None:
    site = german_site(tmp_path)
    alive: list[weakref.ref[Tagging]] = []
    overlaps: list[str] = []

    def make(pair: Settings) -> Tagging:
        # A pivot's two hops are made together; any older translator must be gone.
        earlier = alive[:-1] if pair.source == "en" else alive
        overlaps.extend(pair.pair_name for ref in earlier if ref() is not None)
        translator = Tagging(pair.target)
        alive.append(weakref.ref(translator))
        return translator

    report = run_project(open_project(site, PIVOTED), make)

    assert report.ok and len(alive) == 3
    assert overlaps == []


def test_a_pair_can_be_pivoted_for_all_pairs_but_those_with_a_model(tmp_path: Path) -> None:
    settings = Settings(
        backend="pseudo", targets=("en", "fr", "it"), pivot="en", models={"de-it": "x"}
    )

    pairs = {pair.target: pair.pivot for pair in settings.pairs()}

    assert pairs == {"en": None, "fr": "en", "it": None}
    # A model given for the one pair of a run is a direct model: no pivot.
    [pair] = Settings(targets=("fr",), target="fr", pivot="en", model="x").pairs()
    assert (pair.pivot, pair.model) == (None, "x")


@pytest.mark.slow
def test_tiny_marian_models_pivot_a_whole_site(tmp_path: Path, tiny_model_dir: Path) -> None:
    site = copy_site(tmp_path, "dir")
    (site / "translate.toml").write_text(
        f'backend = "marian"\nbeams = 1\npivot = "en"\n[models]\n"de-en" = "{tiny_model_dir}"\n'
        f'"en-fr" = "{tiny_model_dir}"\n',
        encoding="utf-8",
    )

    code, out, err = invoke(site, "run")

    assert code == 0, err
    assert "de → fr (via en):" in out.splitlines()
    assert out.splitlines()[-1] == "Total: 8 written, 0 updated, 0 skipped, 0 failed."
    french = (site / "content/fr/post/forschungstag/index.md").read_text(encoding="utf-8")
    # Random weights garble the prose; what is protected comes through both hops.
    assert "(https://example.org/daten/pegel.csv)" in french
    assert "](pegel.png)" in french and "**" in french
    assert "`arbeitsgruppe-kueste`" in (site / "content/fr/post/jahresbericht.md").read_text(
        encoding="utf-8"
    )
    fields = dict(
        part.split(":", 1)
        for part in json.loads(
            (site / "translation-memory/de-fr/records/post/forschungstag/index.md.jsonl")
            .read_text(encoding="utf-8")
            .splitlines()[0]
        )["engine"].split("|")
    )
    assert fields["pivot"] == "en"
    assert fields["model"] == f"{tiny_model_dir}+{tiny_model_dir}"
    assert "{{ .Count }}" in (site / "i18n/fr.toml").read_text(encoding="utf-8")
    # A second run finds everything up to date.
    code, out, _ = invoke(site, "run")
    assert code == 0
    assert out.splitlines()[-1] == "Total: 0 written, 0 updated, 8 skipped, 0 failed."
