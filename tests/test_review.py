"""`translate review`: the page's rows, states, diffs and findings, and `--apply`."""

from __future__ import annotations

import difflib
import json
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from review_site import (
    NOTE_SOURCE,
    PROJECT_SOURCE,
    copy_site,
    invoke,
    item,
    make_site,
    post_of,
    pseudo,
    read,
    replace_in,
    review_file,
    row_of,
    target_of,
    write,
)

from translate.commands.review import collect_page, render_page
from translate.commands.review.model import BlockState, Page
from translate.commands.review.render import direction
from translate.hugo.settings import load_settings
from translate.hugo.site import open_project
from translate.records.memory import export_entries
from translate.records.store import RecordStore

PROJECT_TARGET = target_of(PROJECT_SOURCE)
NOTE_TARGET = target_of(NOTE_SOURCE)
FIRST = "body:0:paragraph"
HEADING = "body:1:heading"
SECOND = "body:2:paragraph"
LAST = "body:5:paragraph"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test site, translated once for the whole module."""
    return make_site(tmp_path_factory.mktemp("template") / "site")


@pytest.fixture
def site(template: Path, tmp_path: Path) -> Path:
    return copy_site(template, tmp_path / "site")


def collect(site: Path, only: Sequence[str] = (), since: str | None = None) -> Page:
    project = open_project(site, load_settings(site, {}))
    return collect_page(project, only=[Path(p) for p in only], since=since)


# --- rows ----------------------------------------------------------------------------------


def test_each_block_is_a_row_with_its_source_translation_and_lines(site: Path) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    assert post.target_path == PROJECT_TARGET
    assert [row.key for row in post.rows] == [
        "front_matter:title",
        "front_matter:summary",
        FIRST,
        HEADING,
        SECOND,
        "body:3:paragraph",
        "body:4:paragraph",
        LAST,
    ]
    last = row_of(post, LAST)
    assert "".join(s.text for s in last.source) == "Der dritte Absatz schließt ab."
    assert last.target_text == pseudo("Der dritte Absatz schließt ab.")
    assert (last.source_line, last.target_line) == (16, 16)
    assert {row.state for row in post.rows} == {BlockState.MACHINE}
    assert post.counts[BlockState.MACHINE] == 8


def test_protected_spans_are_labelled_and_glossary_terms_carry_their_translation(
    site: Path,
) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    first = row_of(post, FIRST)
    assert [(s.text, s.protected) for s in first.target if s.protected] == [
        ("`code`", "code"),
        ("[", "link"),
        ("](https://example.org/a)", "link"),
    ]
    title = row_of(post, "front_matter:title")
    assert [(s.text, s.protected) for s in title.target if s.protected] == [
        ("AI.STARTUP.HUB", "name")
    ]
    summary = row_of(post, "front_matter:summary")
    (term,) = [s for s in summary.source if s.protected]
    assert (term.text, term.protected) == ("Metropolregion Hamburg", "term")
    assert "Hamburg Metropolitan Region" in term.hint
    (fixed,) = [s for s in summary.target if s.protected]
    assert fixed.text == "Hamburg Metropolitan Region" and "Metropolregion Hamburg" in fixed.hint
    shortcode = row_of(post, "body:4:paragraph")
    assert any(s.protected == "shortcode" for s in shortcode.target)


def test_a_reviewers_correction_shows_as_reviewed(site: Path) -> None:
    replace_in(site / PROJECT_TARGET, pseudo("Der dritte Absatz schließt ab."), "It ends here.")
    post = post_of(collect(site), PROJECT_SOURCE)
    assert row_of(post, LAST).state is BlockState.REVIEWED
    assert row_of(post, LAST).target_text == "It ends here."
    assert (post.counts[BlockState.MACHINE], post.counts[BlockState.REVIEWED]) == (7, 1)


def test_a_changed_source_block_shows_a_word_diff_and_cannot_be_edited(site: Path) -> None:
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der letzte Absatz")
    post = post_of(collect(site), PROJECT_SOURCE)
    assert post.state == "outdated"
    last = row_of(post, LAST)
    assert [(c.op, c.text) for c in last.changes] == [
        ("=", "Der "),
        ("-", "dritte"),
        ("+", "letzte"),
        ("=", " Absatz schließt ab."),
    ]
    assert last.changed and last.locked.startswith("the source changed")
    assert not row_of(post, FIRST).changed and not row_of(post, FIRST).locked


def test_new_and_removed_source_blocks_are_rows_of_their_own(site: Path) -> None:
    replace_in(site / PROJECT_SOURCE, "## Partner {#partner}\n", "Neu.\n")
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz schließt ab.\n", "Ganz neu.\n")
    post = post_of(collect(site), PROJECT_SOURCE)
    rows = [(row.state, "".join(s.text for s in row.source), row.target_text) for row in post.rows]
    assert rows[3:5] == [
        (BlockState.REMOVED, "", pseudo("Partner")),
        (BlockState.NEW, "Neu.", ""),
    ]
    # "Ganz neu." replaces the last paragraph: the same slot, so a changed row.
    assert rows[-1] == (BlockState.MACHINE, "Ganz neu.", pseudo("Der dritte Absatz schließt ab."))
    assert [(c.op, c.text) for c in post.rows[-1].changes] == [
        ("-", "Der dritte Absatz schließt ab"),
        ("+", "Ganz neu"),
        ("=", "."),
    ]


def test_a_replaced_reviewed_block_needs_review_and_shows_the_reviewed_text(site: Path) -> None:
    replace_in(site / PROJECT_TARGET, pseudo("Der dritte Absatz schließt ab."), "It ends here.")
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der letzte Absatz")
    code, _, err = invoke(site, "run", "--backend", "pseudo")
    assert code == 0, err
    row = row_of(post_of(collect(site), PROJECT_SOURCE), LAST)
    assert row.state is BlockState.NEEDS_REVIEW
    assert row.previous == "It ends here."
    assert row.target_text == pseudo("Der letzte Absatz schließt ab.")


def test_check_findings_are_shown_on_the_row_of_their_line(site: Path) -> None:
    replace_in(site / PROJECT_TARGET, "(https://example.org/a)", "(https://example.org/b)")
    post = post_of(collect(site), PROJECT_SOURCE)
    findings = row_of(post, FIRST).findings
    assert [(f.code, f.line, f.path) for f in findings] == [("url-changed", 7, PROJECT_TARGET)]
    assert all(
        not row.findings
        for row in post.rows
        if row.key != FIRST and row.key != "front_matter:summary"
    )


# --- which posts -----------------------------------------------------------------------------


def _review_all(site: Path, source: str) -> None:
    """Replace every block of a post's translation with a reviewer's text."""
    post = post_of(collect(site, [source]), source)
    text = read(site / post.target_path)
    for row in post.rows:
        text = text.replace(row.target_text, f"Reviewed {row.key}.", 1)
    write(site / post.target_path, text)


def test_default_page_has_posts_with_machine_text_and_named_posts_any(site: Path) -> None:
    _review_all(site, NOTE_SOURCE)
    assert [p.source_path for p in collect(site).posts] == [PROJECT_SOURCE]
    named = collect(site, [NOTE_TARGET])
    assert [p.source_path for p in named.posts] == [NOTE_SOURCE]
    assert {row.state for row in named.posts[0].rows} == {BlockState.REVIEWED}


def test_a_path_that_is_no_post_is_an_error(site: Path) -> None:
    code, _, err = invoke(site, "review", str(site / "hugo.toml"))
    assert code == 1 and "hugo.toml" in err and "not a post" in err
    assert "Traceback" not in err


def git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_since_shows_the_posts_changed_and_diffs_them_against_the_revision(site: Path) -> None:
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "base")
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der letzte Absatz")
    code, _, err = invoke(site, "run", "--backend", "pseudo")
    assert code == 0, err
    page = collect(site, since="HEAD")
    assert [p.source_path for p in page.posts] == [PROJECT_SOURCE]
    last = row_of(page.posts[0], LAST)
    assert [c.op for c in last.changes] == ["=", "-", "+", "="]
    assert not last.locked  # translated since: a reviewer may edit it
    code, _, err = invoke(site, "review", "--since", "no-such-branch", "-o", str(site / "r.html"))
    assert code == 1 and "no-such-branch" in err and "Traceback" not in err


# --- the page --------------------------------------------------------------------------------


def test_the_page_is_written_where_asked_and_its_path_printed(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out" / "page.html"
    output.parent.mkdir()
    code, out, err = invoke(site, "review", "-o", str(output))
    assert code == 0, err
    assert out.strip() == str(output)
    html = read(output)
    assert html.startswith("<!doctype html>") and "content/de/post/projekt.md" in html
    code, _, err = invoke(site, "review", "-o", str(tmp_path / "missing" / "page.html"))
    assert code == 1 and "missing" in err


def test_post_text_is_escaped_never_markup(site: Path, tmp_path: Path) -> None:
    html = render_page(collect(site), tmp_path / "review.html")
    assert "<script>alert" not in html and "<img src=x" not in html
    # A script element's content is never prose: the whole element is one protected span.
    assert '<span class="p p-html">&lt;script&gt;alert(1)&lt;/script&gt;</span>' in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    # Exactly the page's own script tag; nothing loaded from elsewhere.
    assert html.count("<script") == 1
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "default-src 'none'" in html


def test_a_post_cannot_inject_into_the_template(site: Path, tmp_path: Path) -> None:
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der {{js}} {{css}} Absatz")
    html = render_page(collect(site), tmp_path / "review.html")
    assert "Der {{js}} {{css}} Absatz" in html


def test_links_open_the_posts_relative_to_the_page(site: Path, tmp_path: Path) -> None:
    html = render_page(collect(site), site / "public" / "review.html")
    assert 'href="../content/de/post/projekt.md"' in html
    assert 'href="../content/en/post/projekt.md"' in html


def test_right_to_left_languages_get_rtl_cells(tmp_path: Path) -> None:
    assert [direction(code) for code in ("ar", "he", "fa", "en", "de", "zh-cn")] == [
        "rtl",
        "rtl",
        "rtl",
        "ltr",
        "ltr",
        "ltr",
    ]
    site = make_site(tmp_path / "site", target="ar")
    html = render_page(collect(site), tmp_path / "review.html")
    assert 'class="cell tgt" lang="ar" dir="rtl"' in html
    assert 'class="cell src" lang="de" dir="ltr"' in html


# --- --apply ---------------------------------------------------------------------------------


def apply(site: Path, items: list[dict[str, Any]], tmp_path: Path) -> tuple[int, str, str]:
    path = tmp_path / "review.json"
    path.write_text(json.dumps(review_file(items)), encoding="utf-8")
    return invoke(site, "review", "--apply", str(path))


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_an_edit_replaces_its_block_and_nothing_else_and_is_learned(
    site: Path, tmp_path: Path
) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    before = read(site / PROJECT_TARGET)
    edited = (
        "The first paragraph describes the project with `code` and a [link](https://example.org/a)."
    )
    code, out, err = apply(site, [item(post, row_of(post, FIRST), "edit", edited)], tmp_path)
    assert code == 0, err
    assert f"edited   {PROJECT_TARGET}:7 (paragraph)" in out
    after = read(site / PROJECT_TARGET)
    assert changed_lines(before, after) == [f"-{row_of(post, FIRST).target_text}", f"+{edited}"]
    project = open_project(site, load_settings(site, {}))
    store = RecordStore(project.site(project.pairs()[0]))
    assert (
        "Der erste Absatz beschreibt das Projekt mit `code` und einem [Link](https://example.org/a).",
        edited,
    ) in export_entries(store, blocks=True)
    assert row_of(post_of(collect(site, [PROJECT_SOURCE]), PROJECT_SOURCE), FIRST).state is (
        BlockState.REVIEWED
    )
    code, out, _ = invoke(site, "run", "--backend", "pseudo")
    assert code == 0 and "skipped" in out and read(site / PROJECT_TARGET) == after


def test_edits_of_a_title_and_a_list_item_keep_the_rest_byte_for_byte(
    site: Path, tmp_path: Path
) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    before = read(site / PROJECT_TARGET)
    items = [
        item(post, row_of(post, "front_matter:title"), "edit", "A new project at AI.STARTUP.HUB"),
        item(post, row_of(post, "body:3:paragraph"), "edit", "First point"),
    ]
    code, _, err = apply(site, items, tmp_path)
    assert code == 0, err
    after = read(site / PROJECT_TARGET)
    assert changed_lines(before, after) == [
        f"-title: {row_of(post, 'front_matter:title').target_text}",
        "+title: A new project at AI.STARTUP.HUB",
        f"-- {row_of(post, 'body:3:paragraph').target_text}",
        "+- First point",
    ]


def test_a_review_applied_twice_changes_nothing_the_second_time(site: Path, tmp_path: Path) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    items = [item(post, row_of(post, HEADING), "edit", "Partners")]
    assert apply(site, items, tmp_path)[0] == 0
    after = read(site / PROJECT_TARGET)
    code, out, err = apply(site, items, tmp_path)
    assert code == 0, err
    assert f"unchanged {PROJECT_TARGET}:9 (heading)" in out
    assert out.splitlines()[-1] == "Applied 0 of 1 item (1 already so); wrote 0 posts."
    assert read(site / PROJECT_TARGET) == after


def test_an_edit_that_breaks_structure_is_refused_with_post_and_line(
    site: Path, tmp_path: Path
) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    before = read(site / PROJECT_TARGET)
    items = [
        item(post, row_of(post, FIRST), "edit", "The link is gone."),
        item(post, row_of(post, LAST), "edit", "It ends.\n\n## A new heading"),
    ]
    code, out, err = apply(site, items, tmp_path)
    assert code == 1
    first, last = err.strip().splitlines()
    assert first.startswith(f"Refused: {PROJECT_TARGET}:7: the edit breaks the post's structure")
    assert first.endswith("[url-changed]")
    assert last.startswith(f"Refused: {PROJECT_TARGET}:16: the edit breaks the post's structure")
    assert last.endswith("[structure-changed]")
    assert read(site / PROJECT_TARGET) == before
    assert "Applied 0 of 2 items" in out


def test_an_edit_made_against_older_source_or_translation_is_refused(
    site: Path, tmp_path: Path
) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der letzte Absatz")
    replace_in(site / PROJECT_TARGET, "Ðéŕ žŵéîţé", "The second")
    before = read(site / PROJECT_TARGET)
    items = [
        item(post, row_of(post, LAST), "edit", "It ends."),
        item(post, row_of(post, SECOND), "edit", "Second."),
        item(post, row_of(post, HEADING), "edit", "Partners"),
    ]
    code, out, err = apply(site, items, tmp_path)
    assert code == 1
    assert f"Refused: {PROJECT_TARGET}:16: stale: the de source of this block changed" in err
    assert f"Refused: {PROJECT_TARGET}:11: stale: this block of the translation changed" in err
    assert f"edited   {PROJECT_TARGET}:9 (heading)" in out
    assert changed_lines(before, read(site / PROJECT_TARGET)) == [
        f"-## {pseudo('Partner')} {{#partner}}",
        "+## Partners {#partner}",
    ]


def test_an_approval_is_recorded_and_leaves_the_post_as_it_is(site: Path, tmp_path: Path) -> None:
    post = post_of(collect(site), PROJECT_SOURCE)
    before = read(site / PROJECT_TARGET)
    code, out, err = apply(site, [item(post, row_of(post, LAST), "approve")], tmp_path)
    assert code == 0, err
    assert f"approved {PROJECT_TARGET}:16 (paragraph)" in out
    assert read(site / PROJECT_TARGET) == before
    after = post_of(collect(site, [PROJECT_SOURCE]), PROJECT_SOURCE)
    assert row_of(after, LAST).state is BlockState.APPROVED
    assert row_of(after, FIRST).state is BlockState.MACHINE


def test_approving_a_block_that_needs_review_clears_the_mark(site: Path, tmp_path: Path) -> None:
    replace_in(site / PROJECT_TARGET, pseudo("Der dritte Absatz schließt ab."), "It ends here.")
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der letzte Absatz")
    assert invoke(site, "run", "--backend", "pseudo")[0] == 0
    post = post_of(collect(site), PROJECT_SOURCE)
    assert row_of(post, LAST).state is BlockState.NEEDS_REVIEW
    code, _, err = apply(site, [item(post, row_of(post, LAST), "approve")], tmp_path)
    assert code == 0, err
    row = row_of(post_of(collect(site, [PROJECT_SOURCE]), PROJECT_SOURCE), LAST)
    assert row.state is BlockState.APPROVED and row.previous is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"format": "other"}', "not a hugo-translate/review/1 file"),
        ('{"format": "hugo-translate/review/1", "items": [{"post": 1}]}', "item 1: missing"),
    ],
)
def test_a_file_that_is_no_review_is_a_one_line_error(
    site: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, _, err = invoke(site, "review", "--apply", str(path))
    assert code == 1 and message in err and str(path) in err
    assert len(err.strip().splitlines()) == 1


def test_several_processes_collect_the_same_page_as_one(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import translate.commands.review.collect as collect_module

    project = open_project(site, load_settings(site, {}))
    alone = collect_page(project, workers=1)
    monkeypatch.setattr(collect_module, "_CHUNK", 1)  # a process per post
    assert collect_page(project, workers=2) == alone


def test_an_error_raised_in_a_worker_keeps_its_path_and_line() -> None:
    import pickle

    from translate.commands.review.collect import _Failed
    from translate.errors import GlossaryError

    error = GlossaryError("two rows for one term", path="glossary/a.csv", line=4, hint="keep one")
    carried = pickle.loads(pickle.dumps(_Failed.of(error))).error()
    assert isinstance(carried, GlossaryError)
    assert str(carried) == str(error)


def test_each_language_of_a_post_is_a_section_of_its_own(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    config = read(site / "hugo.toml")
    write(site / "hugo.toml", config + '[languages.fr]\nweight = 3\ncontentDir = "content/fr"\n')
    write(
        site / "glossary" / "names.csv",
        "de,en,fr\nAI.STARTUP.HUB,,\nMetropolregion Hamburg,Hamburg Metropolitan Region,"
        "Métropole de Hambourg\n",
    )
    (site / "content" / "fr").mkdir()
    code, _, err = invoke(site, "run", "--backend", "pseudo")
    assert code == 0, err
    page = collect(site, [PROJECT_SOURCE])
    assert [(p.source_path, p.target_path) for p in page.posts] == [
        (PROJECT_SOURCE, PROJECT_TARGET),
        (PROJECT_SOURCE, target_of(PROJECT_SOURCE, "fr")),
    ]


def test_since_outside_git_is_a_one_line_error(site: Path, tmp_path: Path) -> None:
    code, _, err = invoke(site, "review", "--since", "main", "-o", str(tmp_path / "r.html"))
    assert code == 1 and "not in a git repository" in err
    assert len(err.strip().splitlines()) == 1


def test_the_benchmark_runs_on_a_few_posts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.review import main

    main(["--posts", "4", "--no-browser", "--keep", str(tmp_path / "site")])
    figures = json.loads(capsys.readouterr().out)
    assert figures["posts_shown"] == 4 and figures["rows"] > 0
    assert figures["megabytes"] > 0 and figures["cpu_seconds"] > 0
    assert (tmp_path / "site" / "review.html").is_file()
