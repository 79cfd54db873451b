"""What a run did, post by post and pair by pair, for the command line to print."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from translate.errors import TranslateError
from translate.records.tables import TableResult


class Outcome(Enum):
    """What happened to one post."""

    WRITTEN = "written"  # a new translation
    UPDATED = "updated"  # an existing translation brought up to date
    WOULD_WRITE = "would write"
    SKIPPED = "skipped"  # up to date
    DIVERGED = "diverged"  # source changed, but the translation no longer lines up
    FAILED = "failed"


@dataclass(frozen=True)
class Retranslated:
    """A block translated anew: "line 12 (paragraph)", "line 7 (heading) from memory",
    "line 28 (paragraph): replaces reviewed text, needs review"."""

    line: int
    what: str
    note: str = ""

    def __str__(self) -> str:
        return f"line {self.line} ({self.what}){self.note}"


@dataclass
class PostResult:
    """The outcome for one source post, with its target and any messages."""

    source: Path
    target: Path
    outcome: Outcome
    error: TranslateError | None = None
    warnings: list[str] = field(default_factory=list)
    # Blocks translated anew (by a model or from the memory), for reviewers to look at.
    retranslated: list[Retranslated] = field(default_factory=list)
    # Of them, the blocks whose reviewed English was replaced: they need review.
    needs_review: int = 0
    # Blocks left in the source language (each also a warning with its line).
    kept: int = 0
    # What an update did when it translated nothing ("machineTranslated removed").
    note: str = ""


@dataclass
class RunReport:
    """Everything a run did for one language pair, for the CLI to print."""

    results: list[PostResult] = field(default_factory=list)
    model_loaded: bool = False
    # Warnings that belong to no post of the run (a link to a post outside the site).
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    target: str = ""
    pivot: str | None = None  # the language the pair went through, if any
    # The i18n string table of the target language, if the site has tables.
    table: TableResult | None = None
    # What stopped the pair (a model that cannot be loaded); its posts were not done.
    error: TranslateError | None = None
    # The traceback of `error`, for --debug (the error itself keeps none: a traceback
    # would keep the pair's model in memory).
    trace: str = ""
    # The run was interrupted (Ctrl-C): posts not reached are not in `results`.
    interrupted: bool = False

    def count(self, outcome: Outcome) -> int:
        """Return how many posts had `outcome`."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def kept(self) -> int:
        """Return how many blocks were left in the source language, over all posts."""
        return sum(result.kept for result in self.results)

    @property
    def needs_review(self) -> int:
        """Return how many blocks replaced reviewed text, over all posts."""
        return sum(result.needs_review for result in self.results)

    @property
    def would_update(self) -> int:
        """Return how many posts a dry run would update (rather than write anew)."""
        return sum(
            1
            for result in self.results
            if result.outcome is Outcome.WOULD_WRITE and result.target.exists()
        )

    @property
    def ok(self) -> bool:
        """Tell whether every post was translated or is up to date."""
        table_failed = self.table is not None and self.table.error is not None
        return (
            self.error is None
            and not table_failed
            and not self.interrupted
            and self.count(Outcome.FAILED) == 0
            and self.count(Outcome.DIVERGED) == 0
        )


@dataclass
class ProjectReport:
    """A run over every language pair of a site: one report per pair, in the order run."""

    pairs: list[RunReport] = field(default_factory=list)
    # About the site's languages (a file whose suffix is no language of the site).
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """Return how many posts had `outcome`, over all pairs."""
        return sum(report.count(outcome) for report in self.pairs)

    @property
    def kept(self) -> int:
        """Return how many blocks were left in the source language, over all pairs."""
        return sum(report.kept for report in self.pairs)

    @property
    def needs_review(self) -> int:
        """Return how many blocks replaced reviewed text, over all pairs."""
        return sum(report.needs_review for report in self.pairs)

    @property
    def would_update(self) -> int:
        """Return how many posts a dry run would update, over all pairs."""
        return sum(report.would_update for report in self.pairs)

    @property
    def interrupted(self) -> bool:
        """Tell whether the run was interrupted."""
        return any(report.interrupted for report in self.pairs)

    @property
    def ok(self) -> bool:
        """Tell whether every pair was done without a failure."""
        return all(report.ok for report in self.pairs)
