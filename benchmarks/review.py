"""Time the review page: written for 200 posts, its size, and how fast it is in a browser.

Run from the repository root (offline; about a minute):

    python -m benchmarks.review                 # 200 generated posts, the pseudo backend
    python -m benchmarks.review --posts 50 --no-browser

It writes a site of generated German posts (`corpus.py`), translates it with the `pseudo`
backend, makes it look like a review in progress (a reviewer's corrections in some posts,
changed German in others, a broken link), then times `translate review` writing the page
(collecting rows, running `translate check`, rendering), times `translate check` alone on
the same site for comparison, and opens the page in Debian's
Chromium through Playwright, when both are there, to time in the page with
`performance.now()`: when its script is ready and its first frame drawn, and each filter.
Targets: written in under 5 s, under 5 MB, usable within 1 s, a filter within 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import write_site
from translate.commands.check import check_site
from translate.commands.review import collect_page, render_page
from translate.commands.run import run_site
from translate.files import write_atomic
from translate.hugo.settings import Settings, load_settings
from translate.hugo.site import open_project
from translate.translation.backends import BackendOptions, Translator, create_backend

TARGETS = {"write_seconds": 5.0, "megabytes": 5.0, "ready_ms": 1000.0, "filter_ms": 100.0}
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def prepare(root: Path, posts: int, seed: int = 0) -> None:
    """Write and translate a site, then make some posts reviewed, outdated or broken."""
    paths = write_site(root, posts, seed)
    settings = Settings(backend="pseudo")

    def make() -> Translator:
        return create_backend("pseudo", BackendOptions())

    run_site(settings, root, make)
    chance = random.Random(seed)
    for path in chance.sample(paths, len(paths) // 4):  # a reviewer corrected a line
        target = root / "content" / "en" / path.relative_to(root / "content" / "de")
        text = target.read_text(encoding="utf-8")
        lines = [i for i, line in enumerate(text.split("\n")) if line.startswith("⟦")]
        if lines:
            split = text.split("\n")
            split[chance.choice(lines)] = "A reviewer's sentence."
            target.write_text("\n".join(split), encoding="utf-8")
    for path in chance.sample(paths, len(paths) // 10):  # the German changed since
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(" und ", " sowie ", 1), encoding="utf-8")


def _cpu_seconds() -> float:
    """Return the CPU time of this process and of its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_page(root: Path, output: Path, workers: int | None = None) -> dict[str, Any]:
    """Write the default page as `translate review` does; time it and measure it."""
    cpu = _cpu_seconds()
    start = time.perf_counter()
    project = open_project(root, load_settings(root, {}))
    page = collect_page(project, workers=workers)
    collected = time.perf_counter()
    html = render_page(page, output)
    write_atomic(output, html)
    done = time.perf_counter()
    return {
        "cores": len(os.sched_getaffinity(0)),
        "load_average": round(os.getloadavg()[0], 1),
        "posts_shown": len(page.posts),
        "rows": sum(len(post.rows) for post in page.posts),
        "findings": sum(len(post.all_findings) for post in page.posts),
        "write_seconds": round(done - start, 3),
        "collect_seconds": round(collected - start, 3),
        "render_seconds": round(done - collected, 3),
        "cpu_seconds": round(_cpu_seconds() - cpu, 3),
        **_check_alone(root),
        "megabytes": round(output.stat().st_size / 1e6, 3),
    }


def _check_alone(root: Path) -> dict[str, float]:
    """Time `translate check` over the same site in this one process, for comparison: the
    page runs it too, and it is the larger part of the page's time."""
    project = open_project(root, load_settings(root, {}))
    cpu = _cpu_seconds()
    start = time.perf_counter()
    check_site(root, project.settings)
    return {
        "check_alone_seconds": round(time.perf_counter() - start, 3),
        "check_alone_cpu_seconds": round(_cpu_seconds() - cpu, 3),
    }


def browse(output: Path, repeat: int) -> dict[str, Any]:
    """Open the page in Chromium; return when it was usable and how long filters took."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(output.as_uri())
            page.wait_for_function("window.hugoTranslateReview?.timings.firstFrameMs > 0")
            ready = page.evaluate("window.hugoTranslateReview.readyMs")
            first_frame = page.evaluate("window.hugoTranslateReview.timings.firstFrameMs")
            load = page.evaluate(
                "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            )
            for _ in range(repeat):
                for name in ("review", "findings", "changed", "all"):
                    page.evaluate(f"window.hugoTranslateReview.setFilter('{name}')")
            filters = page.evaluate("window.hugoTranslateReview.timings.filterMs")
        finally:
            browser.close()
    return {
        "browser": "chromium",
        "dom_content_loaded_ms": round(load, 1),
        "ready_ms": round(ready, 1),
        "first_frame_ms": round(first_frame, 1),
        "filter_ms_median": round(statistics.median(filters), 1),
        "filter_ms": round(max(filters), 1),
        "filters_timed": len(filters),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the four filters")
    parser.add_argument("--workers", type=int, help="processes (default: one per core)")
    parser.add_argument("--no-browser", action="store_true", help="only write the page")
    parser.add_argument("--keep", type=Path, help="write the site and page here, and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        root = args.keep or Path(temporary) / "site"
        if not (root / "content").is_dir():  # a site kept from an earlier run is reused
            root.mkdir(parents=True, exist_ok=True)
            prepare(root, args.posts)
        output = root / "review.html"
        result: dict[str, Any] = {"posts": args.posts, **write_page(root, output, args.workers)}
        if not args.no_browser and CHROMIUM.is_file():
            result.update(browse(output, args.repeat))
        elif not args.no_browser:
            result["browser"] = f"skipped: no Chromium at {CHROMIUM}"
    result["targets"] = TARGETS
    result["met"] = all(result[key] < limit for key, limit in TARGETS.items() if key in result)
    print(json.dumps(result, indent=2))
    return 0 if result["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
