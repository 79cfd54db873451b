"""Measure what reading posts the Hugo way and proving every write cost, per post.

Run from the repository root (offline, about a minute on 2 CPU cores):

    python -m benchmarks.parsing            # the 200-post corpus of benchmarks/bench.py
    python -m benchmarks.parsing --posts 20

The pipeline's reading side (lexing shortcodes, masking them, parsing Markdown, cutting
blocks) and its proof (each block checked as it is restored, the whole post compared with
`verify` before it is written) run on every post whatever the model. This times them on the
benchmark's corpus with the `pseudo` backend, which costs next to nothing, and sets them
against the time `translate run` takes per post with a model (row 3 of the speed table in
the README, the CTranslate2 pipeline on an opus-mt-sized model). Times are this process's
CPU time, so that other work on the machine does not count.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_site
from translate.markdown.post import Post
from translate.translation.backends.simple import PseudoTranslator
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.proving import render_post
from translate.translation.verify import verify_post

# Row 3 of the README's speed table: 142.1 s for 200 posts with the CTranslate2 pipeline.
PIPELINE_SECONDS_PER_POST = 142.1 / 200


def main() -> None:
    """Time reading, translating (pseudo), rendering and proving the corpus, and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_site(Path(folder), args.posts)
        texts = [path.read_text(encoding="utf-8") for path in paths]
    timings = {"read": 0.0, "translate (pseudo)": 0.0, "render": 0.0, "prove": 0.0}
    translator = PseudoTranslator()
    for text in texts:
        started = time.process_time()
        post = prepare_post(text, language="de")
        timings["read"] += time.process_time() - started
        started = time.process_time()
        translate_posts([post], translator)
        timings["translate (pseudo)"] += time.process_time() - started
        started = time.process_time()
        output = render_post(post)
        timings["render"] += time.process_time() - started
        started = time.process_time()
        # The proof reads the translation once, and compares it with the source as read.
        differences = verify_post(post.post, Post.read(output, post.post.options), post.glossary)
        timings["prove"] += time.process_time() - started
        if differences:
            raise SystemExit(f"a corpus post failed the check: {differences[0]}")
    count = len(texts)
    print(f"{count} posts, {sum(len(t) for t in texts) / 1024:.0f} KiB")
    print(f"{'step':<22}{'seconds':>10}{'ms/post':>10}")
    for step, seconds in timings.items():
        print(f"{step:<22}{seconds:>10.2f}{1000 * seconds / count:>10.1f}")
    # Reading and proving happen whatever the model; the pseudo translation's own restoring
    # (markers, per-block checks) is part of the proof too.
    overhead = timings["read"] + timings["translate (pseudo)"] + timings["prove"]
    share = overhead / count / PIPELINE_SECONDS_PER_POST
    print(
        f"reading + checking: {1000 * overhead / count:.1f} ms/post = {100 * share:.1f} % of "
        f"the pipeline's {PIPELINE_SECONDS_PER_POST:.2f} s/post (README, row 3)"
    )


if __name__ == "__main__":
    main()
