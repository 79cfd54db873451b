"""A run over many posts: groups bound memory, and each distinct segment is translated once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from translate import run
from translate.backends.simple import PseudoTranslator
from translate.config import Settings
from translate.run import Outcome, run_site


class Counting(PseudoTranslator):
    """Pseudo-translate and remember every input."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.seen.extend(texts)
        return super().translate(texts)


def test_posts_go_in_groups_and_share_one_translation_per_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "POSTS_PER_GROUP", 2)
    for n in range(5):
        post = tmp_path / f"content/de/post/p{n}.md"
        post.parent.mkdir(parents=True, exist_ok=True)
        post.write_text(f"---\ntitle: Titel {n}\n---\n\nDer gleiche Satz.\n\nSatz {n}.\n", "utf-8")
    translator = Counting()
    loads: list[int] = []

    def make() -> Counting:
        loads.append(1)
        return translator

    report = run_site(Settings(backend="pseudo"), tmp_path, make)

    assert [r.outcome for r in report.results] == [Outcome.WRITTEN] * 5
    assert loads == [1]
    assert translator.seen.count("Der gleiche Satz.") == 1
    assert len(translator.seen) == len(set(translator.seen)) == 11
