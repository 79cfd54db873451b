"""Record what the tool does to the fixture corpus, to prove a refactor changed nothing for users.

    python tests/golden_run.py OUT_DIR     (from the repository root, with .venv active)

Builds one site per engine (identity, pseudo, the tiny random-weight model on a sample) from the
corpus posts, the CommonMark examples and the varied test posts, and runs the commands a user
runs: `run`, a reviewer's edit, `run` again after a source change, `learn`, `status --json`,
`check --format json`, `memory export`. OUT_DIR receives every file the tool wrote (posts,
records, memory) and each command's exit code and output. Two such folders made before and
after a change are compared with `diff -r`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from conftest import FIXTURES, MODEL_CACHE, fixture_posts  # noqa: E402
from corpus_gen import CORPUS, commonmark_examples, corpus_posts  # noqa: E402
from hugo_judge import write_site_config  # noqa: E402

from translate.cli import app  # noqa: E402


def build_site(root: Path, paths: list[tuple[str, str]]) -> Path:
    """Write a site with the corpus glossary and the German posts given as (path, text)."""
    write_site_config(root)
    (root / "translate.toml").write_text(
        "translatable_shortcode_params = { kbd = [0] }\n", encoding="utf-8"
    )
    for path, text in paths:
        target = root / "content" / "de" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    (root / "content" / "en").mkdir(parents=True, exist_ok=True)
    shutil.copytree(CORPUS / "glossary", root / "glossary")
    return root


def command(log: list[dict[str, object]], site: Path, *args: str) -> None:
    """Run one command line in-process and log its exit code and output, site paths hidden."""
    head = 2 if args[0] == "memory" else 1
    result = CliRunner().invoke(app, [*args[:head], "--site", str(site), *args[head:]])
    output = result.output.replace(str(site), "<site>")
    log.append({"args": list(args), "exit": result.exit_code, "output": output})


def session(site: Path, engine: list[str]) -> list[dict[str, object]]:
    """Run a user's session on `site` with the engine options given."""
    log: list[dict[str, object]] = []
    command(log, site, "run", *engine)
    command(log, site, "run", *engine)  # again: nothing to do
    # A reviewer corrects the last line of prose of the first English posts.
    english = sorted((site / "content" / "en").rglob("*.md"))
    for post in english[:5]:
        lines = post.read_text(encoding="utf-8").split("\n")
        for n in reversed(range(len(lines))):
            if lines[n][:1].isalpha():
                lines[n] = "Reviewed: " + lines[n]
                break
        post.write_text("\n".join(lines), encoding="utf-8")
    # The German changes: one sentence appended to a paragraph of the first German posts.
    german = sorted((site / "content" / "de").rglob("*.md"))
    for post in german[:8]:
        text = post.read_text(encoding="utf-8")
        post.write_text(text.rstrip("\n") + "\n\nEin neuer Absatz am Ende.\n", encoding="utf-8")
    command(log, site, "run", *engine)
    command(log, site, "learn")
    command(log, site, "status", "--json")
    command(log, site, "check", "--format", "json")
    command(log, site, "memory", "export", str(site / "memory.tmx"))
    return log


def main(out: Path) -> None:
    """Write the golden run into `out` (which must not exist)."""
    out.mkdir(parents=True)
    posts = [(post.path, post.text) for post in corpus_posts()]
    examples = [(post.path, post.text) for post in commonmark_examples()]
    varied = [
        (
            f"varied/{path.relative_to(FIXTURES).as_posix().replace('.de.md', '.md')}",
            path.read_text(encoding="utf-8"),
        )
        for path in fixture_posts()
        if path.is_relative_to(FIXTURES)
    ]
    from tiny_model import cached_tiny_marian

    model = cached_tiny_marian(MODEL_CACHE)
    engines = {
        "identity": (posts + examples + varied, ["--backend", "identity"]),
        "pseudo": (posts + examples + varied, ["--backend", "pseudo"]),
        "marian": (
            posts[::40] + varied,
            ["--backend", "marian", "--model", str(model), "--beams", "1"],
        ),
    }
    work = out.parent / (out.name + ".work")
    shutil.rmtree(work, ignore_errors=True)
    for name, (paths, engine) in engines.items():
        site = build_site(work / name, paths)
        log = session(site, engine)
        (out / f"{name}.log.json").write_text(
            json.dumps(log, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        for folder in ("content/en", "translation-memory"):
            if (site / folder).exists():
                shutil.copytree(site / folder, out / name / folder)
        if (site / "memory.tmx").exists():
            shutil.copy(site / "memory.tmx", out / name / "memory.tmx")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]).absolute())
