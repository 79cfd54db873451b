"""A hostile translator: it writes what real models sometimes emit, Markdown syntax included.

The pseudo backend never produces Markdown, so the proof that a translation differs from its
source in prose only was never tried against a model that does. This one pseudo-translates
each segment and then, chosen by a seed and the segment's text, injects what neural models
have been seen to write: a leading list marker, heading or quote marker; a stray `*`, `_`,
backtick, bracket, pipe, `<` or `{{<`; a trailing hard break; a marker of the pipeline's
dropped, doubled or moved. The same seed and text always give the same output, so a run can
be repeated exactly.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from translate.translation.backends.simple import PseudoTranslator

LEADING = ("1. ", "- ", "# ", "> ", "* ", "+ ", "2) ", "| ", "    ", "---\n", "=== ")
STRAY = ("*", "_", "`", "[", "]", "|", "<", "{{<", "{{%", "**", "~~", "\\", "$", "<!--", "&")
TRAILING = ("  ", "\\", " #", " |", " *", ":")
MARKER = re.compile(r"</?g\d+>|<x\d+/>")
KINDS = ("leading", "stray", "trailing", "drop", "double", "move", "none")


@dataclass
class HostileTranslator:
    """Pseudo-translate, then inject Markdown syntax into some segments (see the module)."""

    seed: int
    rate: float = 0.6  # how many segments get an injection
    # What was done to each input, for failure messages: input -> (injections, output).
    log: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    max_input_tokens: int | None = None
    name: str = "hostile"

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return a hostile translation of each text."""
        return [self.one(text) for text in texts]

    def count_tokens(self, text: str) -> int:
        """Measure in characters, as the modelless backends do."""
        return len(text)

    def signature(self) -> dict[str, str]:
        """Name the backend and its seed."""
        return {"backend": self.name, "model": f"seed {self.seed}", "weights": "none"}

    def one(self, text: str) -> str:
        """Return the hostile translation of one segment."""
        digest = hashlib.sha256(f"{self.seed}\0{text}".encode()).digest()
        rng = random.Random(digest)
        output = PseudoTranslator().translate([text])[0].strip("⟦⟧")
        done: list[str] = []
        while rng.random() < self.rate and len(done) < 3:
            kind = rng.choice(KINDS)
            output, what = inject(output, kind, rng)
            done.append(what)
        self.log[text] = (tuple(done), output)
        return output


def inject(text: str, kind: str, rng: random.Random) -> tuple[str, str]:
    """Apply one injection of `kind` to `text`; return the result and what was done."""
    markers = list(MARKER.finditer(text))
    if kind == "leading":
        lead = rng.choice(LEADING)
        return lead + text, f"leading {lead!r}"
    if kind == "stray":
        stray = rng.choice(STRAY)
        spaces = [m.start() for m in re.finditer(r" ", text)] or [0]
        at = rng.choice([*spaces, 0, len(text)])
        glue = rng.choice(["", " "])
        return text[:at] + glue + stray + text[at:], f"stray {stray!r} at {at}"
    if kind == "trailing":
        trail = rng.choice(TRAILING)
        return text + trail, f"trailing {trail!r}"
    if kind in ("drop", "double", "move") and markers:
        marker = rng.choice(markers)
        without = text[: marker.start()] + text[marker.end() :]
        if kind == "drop":
            return without, f"drop {marker.group()}"
        if kind == "double":
            return text[: marker.end()] + marker.group() + text[marker.end() :], (
                f"double {marker.group()}"
            )
        spaces = [m.start() for m in re.finditer(r" ", without)] or [0]
        at = rng.choice([*spaces, 0, len(without)])
        return without[:at] + marker.group() + without[at:], f"move {marker.group()}"
    return text, "none"
