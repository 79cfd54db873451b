"""The review page in a real headless Chromium: rows, filters, keys, editing, the download.

Debian's `chromium` driven by Playwright (never Playwright's own browser download). Without
either, these tests are skipped with the reason in pytest's summary: `./test` and `.ci/run`
install Chromium where they can.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from review_site import (
    NOTE_SOURCE,
    PROJECT_SOURCE,
    copy_site,
    invoke,
    make_site,
    pseudo,
    read,
    replace_in,
    target_of,
)

# The browser and flags the review benchmark measures with: what works in a container
# without a display, sandbox or network.
from benchmarks.review import CHROMIUM, FLAGS

if not CHROMIUM.is_file():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)

PROJECT_TARGET = target_of(PROJECT_SOURCE)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test site, with one block reviewed, one needing review, a changed source block and
    a broken link (a check finding); made once for the module."""
    site = make_site(tmp_path_factory.mktemp("template") / "site")
    replace_in(site / PROJECT_TARGET, pseudo("Der dritte Absatz schließt ab."), "It ends here.")
    replace_in(site / PROJECT_SOURCE, "Der dritte Absatz", "Der letzte Absatz")
    code, _, err = invoke(site, "run", "--backend", "pseudo")
    assert code == 0, err
    replace_in(site / PROJECT_SOURCE, "Erster Punkt", "Allererster Punkt")
    replace_in(site / PROJECT_TARGET, "(https://example.org/a)", "(https://example.org/b)")
    return site


@pytest.fixture
def site(template: Path, tmp_path: Path) -> Path:
    return copy_site(template, tmp_path / "site")


class Page:
    """A review page open in the browser, with what the tests ask of it."""

    def __init__(self, browser: Any, path: Path, *, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss())
        )
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.hugoTranslateReview !== undefined")

    def visible_rows(self) -> list[str]:
        return list(
            self.page.evaluate(
                """() => Array.from(document.querySelectorAll('.row')).filter(row =>
                    getComputedStyle(row).display !== 'none' &&
                    getComputedStyle(row.closest('.post')).display !== 'none').map(row => row.id)"""
            )
        )

    def row(self, key: str, post: str = PROJECT_SOURCE) -> Any:
        return self.page.locator(f'.post[data-post="{post}"] .row[data-key="{key}"]')

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser: Any, site: Path, tmp_path: Path) -> Iterator[Page]:
    output = tmp_path / "review.html"
    code, _, err = invoke(site, "review", "-o", str(output))
    assert code == 0, err
    page = Page(browser, output)
    yield page
    assert page.errors == []
    page.close()


def test_rows_show_states_diffs_previous_text_and_findings(opened: Page) -> None:
    page = opened.page
    assert page.locator(".post").count() == 2  # both posts hold machine text
    assert page.locator(f'.post[data-post="{PROJECT_SOURCE}"] .row').count() == 8
    last = opened.row("body:5:paragraph")
    assert last.locator(".state").inner_text() == "needs review"
    assert last.locator(".prev-text").inner_text() == "It ends here."
    assert last.locator(".diff del").all_inner_texts() == []  # translated since: no change
    item = opened.row("body:3:paragraph")
    assert item.locator(".diff del").all_inner_texts() == ["Erster"]
    assert item.locator(".diff ins").all_inner_texts() == ["Allererster"]
    assert item.locator(".locked-why").inner_text().startswith("the source changed")
    # The post is outdated: its blocks can be edited where unchanged, not approved.
    assert opened.row("body:4:paragraph").locator(".approve").count() == 0
    assert opened.row("body:4:paragraph").locator(".edit").count() == 1
    first = opened.row("body:0:paragraph")
    assert "url-changed" in first.locator(".finding").inner_text()
    assert first.locator(".tgt .p-link").last.inner_text() == "](https://example.org/b)"
    counts = page.locator(f'.post[data-post="{PROJECT_SOURCE}"] .counts').inner_text()
    assert "6 machine" in counts and "1 needs review" in counts
    summary = opened.row("front_matter:summary").locator(".tgt .p-term")
    assert "Metropolregion Hamburg" in (summary.get_attribute("title") or "")


def test_post_text_shows_as_text_and_runs_nothing(opened: Page) -> None:
    second = opened.row("body:2:paragraph").locator(".src .text").inner_text()
    assert "<script>alert(1)</script>" in second
    assert '"><img src=x onerror=alert(2)>' in second
    assert opened.page.locator("main img, main script").count() == 0
    assert opened.dialogs == []
    assert all(url.startswith("file://") for url in opened.requests)


def test_filters_show_their_rows_and_are_timed(opened: Page) -> None:
    every = opened.visible_rows()
    assert len(every) == 8 + 2  # and the note's title and paragraph
    opened.page.click('.filters button[data-filter="findings"]')
    findings = opened.visible_rows()
    assert findings and all(opened.page.locator(f"#{row} .finding").count() for row in findings)
    opened.page.click('.filters button[data-filter="changed"]')
    assert [opened.page.get_attribute(f"#{r}", "data-key") for r in opened.visible_rows()] == [
        "body:3:paragraph"
    ]
    opened.page.click('.filters button[data-filter="review"]')
    review = opened.visible_rows()
    assert opened.row("body:5:paragraph").get_attribute("id") in review
    assert opened.row("body:3:paragraph").get_attribute("id") in review
    opened.page.keyboard.press("4")
    assert opened.visible_rows() == every
    timings = opened.page.evaluate("window.hugoTranslateReview.timings")
    assert len(timings["filterMs"]) == 4 and all(ms >= 0 for ms in timings["filterMs"])
    assert opened.page.evaluate("window.hugoTranslateReview.readyMs") > 0


def test_keys_move_between_rows_and_findings(opened: Page) -> None:
    page = opened.page
    page.keyboard.press("n")
    current = page.locator(".current")
    assert current.count() == 1 and current.locator(".finding").count() >= 1
    first_finding = current.get_attribute("id")
    page.keyboard.press("j")
    assert page.locator(".current").get_attribute("id") != first_finding
    page.keyboard.press("p")
    assert page.locator(".current").locator(".finding").count() >= 1
    page.keyboard.press("?")
    assert page.locator("#keys").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#keys").is_visible()


def edit(opened: Page, key: str, text: str) -> None:
    """Replace a row's translation by typing, as a reviewer would, and save it."""
    row = opened.row(key)
    row.locator(".edit").click()
    row.locator(".tgt .text").press("Control+a")
    opened.page.keyboard.type(text)
    opened.page.keyboard.press("Control+Enter")


def download(opened: Page, folder: Path) -> Path:
    with opened.page.expect_download() as caught:
        opened.page.click("#download")
    path = folder / "review.json"
    caught.value.save_as(path)
    return path


def test_edit_approve_download_and_apply_change_the_post_exactly_there(
    opened: Page, site: Path, tmp_path: Path
) -> None:
    edit(opened, "body:1:heading", "Our partners")
    heading = opened.row("body:1:heading")
    assert "edited" in (heading.get_attribute("class") or "")
    approved = opened.row("body:0:paragraph", NOTE_SOURCE)  # a post up to date
    approved.click()
    opened.page.keyboard.press("a")
    assert "approved-here" in (approved.get_attribute("class") or "")
    assert opened.page.locator("#pending").inner_text() == "1 edit, 1 approval"
    review = json.loads(read(download(opened, tmp_path)))
    assert review["format"] == "hugo-translate/review/1"
    assert [(i["action"], i["block"], i.get("text")) for i in review["items"]] == [
        ("approve", "body:0:paragraph", None),
        ("edit", "body:1:heading", "Our partners"),
    ]
    before = read(site / PROJECT_TARGET)
    code, out, err = invoke(site, "review", "--apply", str(tmp_path / "review.json"))
    assert code == 0, err
    assert f"edited   {PROJECT_TARGET}:9 (heading)" in out
    assert f"approved {target_of(NOTE_SOURCE)}:5 (paragraph)" in out
    after = read(site / PROJECT_TARGET)
    expected = before.replace(f"## {pseudo('Partner')} {{#partner}}", "## Our partners {#partner}")
    assert after == expected != before


def test_an_edit_survives_a_reload_of_the_page(opened: Page) -> None:
    edit(opened, "body:1:heading", "Our partners")
    assert opened.page.locator("#pending").inner_text() == "1 edit, 0 approvals"
    # Chromium hands a page's storage to the browser process asynchronously: on a busy machine
    # a page loaded at once may not see it yet, which a reviewer, reloading by hand, never meets.
    # Another tab sees the edit once the browser holds it.
    other = opened.context.new_page()
    other.goto(opened.page.url)
    other.wait_for_function("Object.values(localStorage).some(v => v.includes('Our partners'))")
    other.close()
    opened.page.reload()
    opened.page.wait_for_function("window.hugoTranslateReview !== undefined")
    heading = opened.row("body:1:heading")
    assert "edited" in (heading.get_attribute("class") or "")
    assert heading.locator(".tgt .text").inner_text() == "Our partners"
    assert opened.page.locator("#pending").inner_text() == "1 edit, 0 approvals"


def test_protected_spans_cannot_be_removed_in_the_page(opened: Page) -> None:
    first = opened.row("body:0:paragraph")
    before = first.locator(".tgt .text").inner_text()
    edit(opened, "body:0:paragraph", "No code, no link.")
    assert "Protected text was removed" in first.locator(".problem").inner_text()
    assert "edited" not in (first.get_attribute("class") or "")
    opened.page.keyboard.press("Escape")
    assert first.locator(".tgt .text").inner_text() == before
    assert first.locator(".tgt .p").count() == 3


def test_a_stale_edit_and_a_structure_breaking_edit_are_refused(
    opened: Page, site: Path, tmp_path: Path
) -> None:
    edit(opened, "body:1:heading", "Our partners")
    # Typed line breaks in a paragraph: a list that the source does not have.
    row = opened.row("body:5:paragraph")
    row.locator(".edit").click()
    text = row.locator(".tgt .text")
    text.press("End")
    opened.page.keyboard.type("\n\n- an added item")
    opened.page.keyboard.press("Control+Enter")
    assert "edited" in (row.get_attribute("class") or "")
    path = download(opened, tmp_path)
    replace_in(site / PROJECT_SOURCE, "## Partner {#partner}", "## Partnerinnen {#partner}")
    before = read(site / PROJECT_TARGET)
    code, _, err = invoke(site, "review", "--apply", str(path))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"Refused: {PROJECT_TARGET}:9: stale: the de source")
    assert lines[1].startswith(f"Refused: {PROJECT_TARGET}:16: the edit breaks")
    assert lines[1].endswith("[structure-changed]")
    assert read(site / PROJECT_TARGET) == before


def test_on_a_phone_the_translation_stands_under_its_source(
    browser: Any, site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "review.html"
    assert invoke(site, "review", "-o", str(output))[0] == 0
    phone = Page(browser, output, width=390, height=844)
    try:
        page = phone.page
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        row = phone.row("body:0:paragraph")
        source = row.locator(".src").bounding_box()
        target = row.locator(".tgt").bounding_box()
        assert source is not None and target is not None
        assert target["y"] >= source["y"] + source["height"] - 1
    finally:
        phone.close()


def test_a_right_to_left_translation_is_displayed_right_to_left(
    browser: Any, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", target="ar")
    output = tmp_path / "review.html"
    assert invoke(site, "review", "-o", str(output))[0] == 0
    opened = Page(browser, output)
    try:
        cell = opened.row("body:0:paragraph").locator(".tgt .text")
        assert cell.evaluate("element => getComputedStyle(element).direction") == "rtl"
        source = opened.row("body:0:paragraph").locator(".src .text")
        assert source.evaluate("element => getComputedStyle(element).direction") == "ltr"
    finally:
        opened.close()
