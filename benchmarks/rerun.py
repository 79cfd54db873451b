"""Time the everyday loop: `translate run` again over a site where nothing changed.

Run from the repository root (offline; under a minute):

    python -m benchmarks.rerun                  # 200 generated posts, the pseudo backend
    python -m benchmarks.rerun --posts 50 --repeat 5

It writes a site of generated German posts (`corpus.py`), translates it once with the
`pseudo` backend, then times further runs over the unchanged site and prints the fastest.
Target: under 1 s for 200 posts, with no model loaded and every post skipped.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import write_site
from translate.commands.run import Outcome, run_site
from translate.hugo.settings import Settings
from translate.translation.backends import BackendOptions, Translator, create_backend

TARGET_SECONDS = 1.0


def measure(root: Path, posts: int, repeat: int) -> dict[str, Any]:
    """Translate `posts` generated posts under `root` once, then time `repeat` re-runs."""
    write_site(root, posts)
    settings = Settings(backend="pseudo")

    def make() -> Translator:
        return create_backend("pseudo", BackendOptions())

    start = time.perf_counter()
    first = run_site(settings, root, make)
    first_seconds = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        again = run_site(settings, root, make)
        times.append(time.perf_counter() - start)
    return {
        "posts": posts,
        "first_run_seconds": round(first_seconds, 3),
        "first_run_outcomes": dict(Counter(r.outcome.value for r in first.results)),
        "seconds": round(min(times), 3),
        "all_seconds": [round(t, 3) for t in times],
        "skipped": again.count(Outcome.SKIPPED),
        "model_loaded": again.model_loaded,
        "target_seconds": TARGET_SECONDS,
        "met": min(times) < TARGET_SECONDS and again.count(Outcome.SKIPPED) == posts,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options, measure, and print the figure (and JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200, help="generated posts (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="timed re-runs (default 3)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rerun-") as folder:
        result = measure(Path(folder), args.posts, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"re-run over {result['posts']} unchanged posts: {result['seconds']:.2f} s "
        f"(best of {args.repeat}; target under {TARGET_SECONDS:.0f} s: "
        f"{'met' if result['met'] else 'NOT met'}); {result['skipped']} skipped, "
        f"model loaded: {'yes' if result['model_loaded'] else 'no'}; "
        f"first run {result['first_run_seconds']:.1f} s"
    )


if __name__ == "__main__":
    main()
