"""A real MarianMT model with random weights garbles every sentence; nothing protected breaks.

The model is loaded from a folder through `from_pretrained`, the same path users take
with `--model PATH`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, SEED, fixture_posts, post_id
from test_pipeline import _without
from typer.testing import CliRunner

from translate.cli import app
from translate.markdown.front_matter import split_front_matter
from translate.translation.backends import BackendOptions, Translator
from translate.translation.backends.marian import MarianTranslator
from translate.translation.glossary import Glossary
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.proving import render_post
from translate.translation.verify import verify_post

GLOSSARY = Glossary.load(ROOT / "glossary", "de", "en")


def translate_fixture_posts(translator: Translator) -> dict[Path, tuple[str, str]]:
    """Translate all test posts in one run, as `translate run` does: (source, output)."""
    sources = {path: path.read_text(encoding="utf-8") for path in fixture_posts()}
    posts = {
        path: prepare_post(text, language="de", glossary=GLOSSARY, name=str(path))
        for path, text in sources.items()
    }
    translate_posts(list(posts.values()), translator, batch_size=8)
    return {path: (sources[path], render_post(post)) for path, post in posts.items()}


@pytest.fixture(scope="module")
def translated(tiny_model_dir: Path) -> dict[Path, tuple[str, str]]:
    """Translate the test posts with the transformers backend."""
    translator = MarianTranslator(BackendOptions(model=str(tiny_model_dir), device="cpu", beams=1))
    return translate_fixture_posts(translator)


@pytest.mark.parametrize("path", fixture_posts(), ids=post_id)
def test_random_weights_keep_structure_links_code_and_names(
    translated: dict[Path, tuple[str, str]], path: Path
) -> None:
    source, output = translated[path]
    assert verify_post(source, output, GLOSSARY) == []
    assert output != source


@pytest.mark.parametrize("path", fixture_posts(), ids=post_id)
def test_random_weights_leave_untranslatable_front_matter_alone(
    translated: dict[Path, tuple[str, str]], path: Path
) -> None:
    source, output = translated[path]
    before, after = split_front_matter(source)[0], split_front_matter(output)[0]
    translatable = {field.path for field in before.fields()}
    old = {f.path: f.value for f in before.fields(["**"]) if f.path not in translatable}
    new = {f.path: f.value for f in after.fields(["**"]) if f.path not in translatable}
    assert old == new
    assert _without(before.data(), translatable) == _without(after.data(), translatable)
    comments = [line for line in before.text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.text.splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize("path", fixture_posts(), ids=post_id)
def test_random_weights_leave_no_marker_behind(
    translated: dict[Path, tuple[str, str]], path: Path
) -> None:
    source, output = translated[path]
    for pattern in (r"</?g\d+>", r"<x\d+/>", r"[<>]/?[gx]\d"):
        assert len(re.findall(pattern, output)) == len(re.findall(pattern, source))


def test_seed_urls_come_out_once_each_in_order(translated: dict[Path, tuple[str, str]]) -> None:
    source, output = translated[SEED]
    urls = re.findall(r"\]\((https?://[^)]+)\)", source)
    assert re.findall(r"\]\((https?://[^)]+)\)", output) == urls
    for name in ("AI.STARTUP.HUB", "BMWi", "MLE", "Hamburg Innovation GmbH"):
        assert output.count(name) == source.count(name), name


def test_cli_translates_a_site_with_a_local_model_folder(site: Path, tiny_model_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", "--site", str(site), "--model", str(tiny_model_dir), "--device", "cpu"]
    )
    assert result.exit_code == 0, result.output
    target = site / "content" / "en" / "post" / "ai-startup-hub" / "index.md"
    source = site / "content" / "de" / "post" / "ai-startup-hub" / "index.md"
    assert verify_post(source.read_text(), target.read_text(), GLOSSARY) == []
    assert "1 written, 0 updated, 0 skipped, 0 failed." in result.output
