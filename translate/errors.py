"""One family of exceptions for everything a user can fix.

Core code raises these; only the CLI turns them into a line on stderr and an exit code.
"""

from __future__ import annotations

from pathlib import Path


class TranslateError(Exception):
    """A problem with the user's input, settings or environment, with where and what to do."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def located(self, path: Path | str, line_offset: int = 0) -> TranslateError:
        """Return this error attributed to `path`, shifting its line by `line_offset`."""
        line = self.line + line_offset if self.line is not None else None
        return type(self)(self.message, path=path, line=line, hint=self.hint)

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


class PostError(TranslateError):
    """A post that cannot be read, parsed or translated safely."""


class FrontMatterError(PostError):
    """Front matter that is missing, unterminated or not valid YAML/TOML."""


class GlossaryError(TranslateError):
    """A glossary CSV that cannot be used."""


class ModelError(TranslateError):
    """A translation model that cannot be found, downloaded or loaded."""


class ConfigError(TranslateError):
    """Settings that contradict each other or name something unknown."""


class SiteError(TranslateError):
    """A site folder without the expected layout."""


class WriteError(TranslateError):
    """An output file that cannot be written."""


class RecordError(TranslateError):
    """A translation record or memory file that cannot be read."""


class InternalError(PostError):
    """An unexpected exception while handling one post: a bug, reported as that post's error.

    The run goes on with the other posts; `cause` keeps the exception for `--debug`.
    """

    def __init__(self, cause: BaseException, *, path: Path | str | None = None) -> None:
        what = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        super().__init__(
            f"internal error: {what}",
            path=path,
            hint="please report it (run with --debug for the traceback)",
        )
        self.cause = cause

    def located(self, path: Path | str, line_offset: int = 0) -> TranslateError:
        """Return this error attributed to `path`, keeping its cause."""
        return InternalError(self.cause, path=path)
