"""The size benchmark runs end to end on small sizes, so that it cannot rot."""

from __future__ import annotations

import sys
from pathlib import Path

# The benchmark lives beside the package, not in it: import it from the repository root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale import (  # noqa: E402
    LARGE_INPUTS,
    glossary_rows,
    large_input,
    main,
    prose_post,
)
from translate.translation.glossary import Glossary  # noqa: E402


def test_a_tiny_run_reports_every_case() -> None:
    arguments = ["--sizes", "0.01", "0.02", "--posts", "3", "--glossary-rows", "40"]
    inputs = ["--inputs", *LARGE_INPUTS, "--input-scale", "0.01"]
    result = main([*arguments, *inputs, "--in-process"])

    assert result is not None
    posts = [(row["size_mb"], row["shape"]) for row in result["posts"]]
    assert posts == [(0.01, "line"), (0.02, "line"), (0.01, "paragraphs"), (0.02, "paragraphs")]
    assert all(row["seconds"] > 0 for row in result["posts"])
    small, large = result["sites"]
    assert (small["posts"], small["failed"], large["posts"], large["failed"]) == (3, 0, 3, 0)
    assert large["glossary_terms"] == small["glossary_terms"] + 40
    measured = [(row["shape"], row["count"]) for row in result["inputs"]]
    assert measured == [
        (shape, round(size * 0.01)) for shape, (_, sizes) in LARGE_INPUTS.items() for size in sizes
    ]
    # Translated, and nothing but prose changed.
    assert all(row["differences"] == 0 and row["run_cpu_seconds"] > 0 for row in result["inputs"])


def test_each_large_input_holds_as_many_items_as_asked_for() -> None:
    links = large_input("links", 30)
    assert links.count("](/seite/") == 30
    assert large_input("footnotes", 7).count("[^6]") == 2
    assert large_input("nested shortcodes", 5).count("{{< /box >}}") == 5


def test_a_prose_post_has_the_size_and_shape_asked_for() -> None:
    line = prose_post(20_000, "line")
    paragraphs = prose_post(20_000, "paragraphs")
    body = line.split("---\n\n", 1)[1]
    assert 20_000 <= len(body) < 21_000
    assert body.count("\n") == 1
    assert paragraphs.count("\n\n") > 3


def test_generated_glossary_rows_leave_out_the_excluded_terms() -> None:
    text = glossary_rows(500, exclude={"Projekt"})
    glossary = Glossary.parse(text, "de", "en")
    assert len(glossary) == 500
    assert all(term.source != "Projekt" for term in glossary.terms)
