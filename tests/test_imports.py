"""Nothing heavy is imported before it is needed.

Commands that translate nothing never import torch, transformers or ctranslate2, and a wrong
model is reported before they are imported. Each command runs in a fresh interpreter, which
then reports the modules it imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from translate.translation.backends import default_backend

HEAVY = ("torch", "transformers", "ctranslate2")

# Runs the command line as `translate ARGS...` would, then writes its exit code and the
# names of the modules it imported to the file named last.
_CLI = """
import json, sys
args, report = json.loads(sys.argv[1]), sys.argv[2]
sys.argv = ["translate", *args]
from translate.cli import main
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
with open(report, "w", encoding="utf-8") as file:
    json.dump({"code": code, "modules": sorted(sys.modules)}, file)
"""


class Ran:
    """What one command did: its exit code, its output and the heavy modules it imported."""

    def __init__(self, code: int, output: str, modules: list[str]) -> None:
        self.code = code
        self.output = output
        self.heavy = [name for name in HEAVY if name in modules]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Return a copy of this repository's site: one post, translated and recorded."""
    root = tmp_path / "site"
    for name in ("content", "glossary", "translation-memory"):
        shutil.copytree(ROOT / name, root / name)
    return root


@pytest.fixture
def untranslated(site: Path) -> Path:
    """Return the site without its translations: `run` has a post to translate."""
    shutil.rmtree(site / "content" / "en")
    shutil.rmtree(site / "translation-memory")
    (site / "content" / "en").mkdir()
    return site


def translate(site: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
    """Run `translate ARGS` in `site` in a fresh interpreter, offline unless `env` says not."""
    report = site.parent / "report.json"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "HF_HOME": str(site.parent / "hf-home"),
        "XDG_CACHE_HOME": str(site.parent / "user-cache"),
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    environment = {key: value for key, value in environment.items() if value}
    done = subprocess.run(
        [sys.executable, "-c", _CLI, json.dumps(args), str(report)],
        cwd=site,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # the wrapper itself must not fail
    result = json.loads(report.read_text(encoding="utf-8"))
    return Ran(result["code"], done.stdout + done.stderr, result["modules"])


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["status"],
        ["check"],
        ["learn"],
        ["run"],
        ["run", "--backend", "ctranslate2"],
        ["run", "--backend", "marian", "--model", "/no/such/model"],
    ],
    ids=" ".join,
)
def test_commands_that_translate_nothing_import_no_engine(site: Path, args: list[str]) -> None:
    ran = translate(site, *args)
    assert ran.code == 0, ran.output
    assert ran.heavy == []
    if args[0] == "run":
        assert "1 skipped" in ran.output  # the post is up to date: nothing to translate


@pytest.mark.parametrize("backend", ["marian", "ctranslate2"])
@pytest.mark.parametrize("model", ["/no/such/model", "./models/opus-mt-de-en", "~/no-model"])
def test_missing_model_folder_is_reported_before_any_engine_is_imported(
    untranslated: Path, backend: str, model: str
) -> None:
    ran = translate(untranslated, "run", "--backend", backend, "--model", model)
    assert ran.code == 1
    assert "model folder not found" in ran.output
    assert "check the --model path" in ran.output
    assert ran.heavy == []
    assert not any((untranslated / "content" / "en").iterdir())


def test_unreachable_hub_is_reported_before_any_engine_is_imported(untranslated: Path) -> None:
    # Online mode, an empty Hugging Face cache, and a hub address that refuses connections
    # (nothing listens on port 9): as on a machine without network.
    env = {"HF_HUB_OFFLINE": "", "HF_ENDPOINT": "http://127.0.0.1:9"}
    ran = translate(untranslated, "run", env=env)
    assert ran.code == 1
    assert "cannot load model 'Helsinki-NLP/opus-mt-de-en'" in ran.output
    assert "the hub cannot be reached" in ran.output
    assert "--model /path/to/a/local/copy" in ran.output
    # The default engine, CTranslate2 where installed, imports it (a fraction of a second)
    # when it is made; torch and transformers never.
    assert ran.heavy == (["ctranslate2"] if default_backend() == "ctranslate2" else [])


def test_uncached_model_offline_is_reported_before_any_engine_is_imported(
    untranslated: Path,
) -> None:
    ran = translate(untranslated, "run", "--backend", "ctranslate2")
    assert ran.code == 1
    assert "not in the Hugging Face cache, and HF_HUB_OFFLINE is set" in ran.output
    # This backend imports CTranslate2 (a fraction of a second) to check device and
    # quantization when it is made; torch and transformers only a conversion needs.
    assert ran.heavy == ["ctranslate2"]
