"""The benchmark script runs end to end on a tiny model and a few posts, so that it cannot rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

import pytest

# The benchmark lives beside the package, not in it: import it from the repository root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench import Spec, format_table, main  # noqa: E402
from benchmarks.corpus import generate, write_site  # noqa: E402

pytest.importorskip("ctranslate2")


@pytest.mark.slow
def test_tiny_run_reports_every_configuration(tmp_path: Path) -> None:
    output = tmp_path / "result.json"
    settings = ["--posts", "4", "--memory-posts", "0", "--naive-sample", "3", "--threads", "1"]
    before = _library_settings(os.environ)
    main(["--tiny", "--in-process", *settings, "--output", str(output)])
    assert _library_settings(os.environ) == before  # its quiet settings end with it
    summary = json.loads(output.read_text("utf-8"))
    rows = {row["name"]: row for row in summary["rows"]}
    assert list(rows) == ["naive", "marian_pipeline", "ct2_pipeline", "ceiling"]
    for row in rows.values():
        assert row["seconds"] > 0 and row["target_tokens"] > 0 and row["segments"] > 0
    # The ceiling and the naive baseline do exactly the work the ctranslate2 pipeline did.
    sent = rows["ct2_pipeline"]["details"]["distinct_segments"]
    assert rows["ceiling"]["segments"] == rows["naive"]["segments"] == sent
    assert rows["ceiling"]["target_tokens"] == rows["naive"]["target_tokens"]
    assert rows["naive"]["details"]["sample_segments"] == 3
    assert rows["ct2_pipeline"]["details"]["outcomes"] == {"written": 4}
    assert summary["rerun"]["skipped"] == 4 and not summary["rerun"]["model_loaded"]
    assert {target["met"] for target in summary["targets"].values()} <= {True, False}
    for cold in summary["cold_start"].values():
        assert 0 <= cold["piece_by_piece_seconds"] <= cold["translate_seconds"] < cold["seconds"]
    assert "| 3 pipeline, ctranslate2 backend |" in format_table(summary)


def test_a_model_folder_of_ones_own_gets_its_cold_start_timed_alone(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work, output = tmp_path / "work", tmp_path / "cold.json"
    settings = ["--posts", "2", "--cold-runs", "1", "--threads", "1", "--in-process"]
    paths = ["--workdir", str(work), "--output", str(output)]
    main(["--model", str(tiny_model_dir), *settings, *paths])
    summary = json.loads(output.read_text("utf-8"))
    assert set(summary["cold_start"]) == {"marian", "ctranslate2"}
    for cold in summary["cold_start"].values():
        assert cold["load_seconds"] > 0
        assert 0 <= cold["piece_by_piece_seconds"] <= cold["translate_seconds"] < cold["seconds"]
    assert summary["settings"]["model"] == str(tiny_model_dir)
    assert "rows" not in summary  # no throughput rows: they need fixed output lengths
    assert (work / "corpus").is_dir() and not (work / "model").exists()  # nothing built
    printed = capsys.readouterr().out
    assert "- cold start, `translate run` on one new post" in printed
    assert f"- model: {tiny_model_dir} (its own weights" in printed


def test_a_model_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="not a model folder"):
        main(["--model", str(tmp_path), "--output", str(tmp_path / "cold.json")])
    assert not (tmp_path / "cold.json").exists()


def test_a_child_process_measures_from_its_spec_file(tmp_path: Path) -> None:
    """The entry point the parent starts each measurement through (here: the re-run)."""
    write_site(tmp_path / "corpus", 3)
    # All cores: a measurement pins its process to `threads` cores, and this is pytest's.
    cores = os.cpu_count() or 1
    spec = Spec("rerun", str(tmp_path), posts=3, batch_size=4, beams=1, threads=cores, seed=0)
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(asdict(spec)), "utf-8")
    main(["--child", str(spec_file), str(tmp_path / "result.json")])
    result = json.loads((tmp_path / "result.json").read_text("utf-8"))
    assert result["first_run_outcomes"] == {"written": 3}
    assert result["skipped"] == 3 and result["model_loaded"] is False
    assert result["peak_rss_mb"] > 0


def _library_settings(environment: Mapping[str, str]) -> dict[str, str]:
    """Return the variables the model libraries read: those the benchmark quietens them with."""
    return {k: v for k, v in environment.items() if k.startswith(("HF_", "TRANSFORMERS_"))}


def test_importing_the_benchmark_sets_no_library_variable() -> None:
    code = "import benchmarks.bench, os, json; print(json.dumps(dict(os.environ)))"
    environment = {k: v for k, v in os.environ.items() if k not in _library_settings(os.environ)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert _library_settings(json.loads(done.stdout)) == {}


def test_corpus_is_varied_and_reproducible() -> None:
    posts = generate(40, seed=1)
    assert generate(40, seed=1) == posts
    texts = [text for _, text in posts]
    assert len(set(texts)) == len(texts)
    assert any(text.startswith("+++") for text in texts)  # TOML front matter as well as YAML
    assert any(text.startswith("---") for text in texts)
