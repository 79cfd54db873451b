"""What `translate check` finds: one `Finding` per problem, with a stable code, and its output
as text lines, JSON or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Format = Literal["text", "json", "github"]


@dataclass(frozen=True)
class Finding:
    """One problem with a post: where it is, how bad it is, and what it is."""

    path: str  # relative to the site root, e.g. "content/en/post/x/index.md"
    line: int | None  # 1-based in that file
    severity: Severity
    code: str  # a stable id such as "url-changed"; see CODES
    message: str  # short, one line


# Every finding code with its severity. Warnings are what a reviewer may have a reason for
# (English-only pages, a quotation left in German, deliberate spacing); errors break an
# invariant of the translation or the Hugo build.
CODES: dict[str, Severity] = {
    "unparseable": "error",
    "missing-sibling": "error",
    "invisible-translation": "error",
    "target-outside": "error",
    "orphan": "warning",
    "front-matter-format": "error",
    "front-matter-key-added": "error",
    "front-matter-key-removed": "error",
    "front-matter-value-changed": "error",
    "translation-key": "error",
    "untranslated": "error",
    "untranslated-language": "warning",
    "needs-review": "warning",  # an error with --strict
    "untranslated-front-matter": "warning",
    "untranslated-shortcode": "warning",
    "url-changed": "error",
    "reference-changed": "error",
    "protected-changed": "error",
    "structure-changed": "error",
    "markup-changed": "error",
    "glossary-name": "error",
    "glossary-term": "error",
    "number-missing": "error",
    "leftover-marker": "error",
    "doubled-space": "warning",
    "doubled-punctuation": "error",
    "ref-not-found": "error",
    "fragment-not-found": "error",
    "link-not-followed": "warning",
    "link-to-source-language": "warning",
    # i18n string tables (`translate.records.tables`)
    "i18n-missing": "error",
    "i18n-plural-missing": "warning",
    "i18n-placeholder": "error",
}


def finding(path: str, line: int | None, code: str, message: str) -> Finding:
    """Return a finding of `code`, with its severity from CODES.

    A finding is one line: a line break in the message (a number quoted across two lines of
    the post) becomes a space.
    """
    return Finding(path, line, CODES[code], code, " ".join(message.splitlines()))


def format_findings(findings: Sequence[Finding], fmt: Format) -> str:
    """Render findings as text lines with a summary, a JSON list, or GitHub annotations."""
    if fmt == "json":
        return json.dumps(
            [
                {
                    "path": f.path,
                    "line": f.line,
                    "severity": f.severity,
                    "code": f.code,
                    "message": f.message,
                }
                for f in findings
            ],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(_annotation(f) for f in findings)
    lines = [
        f"{f.path}:{f.line}: {f.severity}: {f.message} [{f.code}]"
        if f.line is not None
        else f"{f.path}: {f.severity}: {f.message} [{f.code}]"
        for f in findings
    ]
    lines.append(_summary(findings))
    return "\n".join(lines)


def _summary(findings: Sequence[Finding]) -> str:
    if not findings:
        return "No problems found."
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    files = len({f.path for f in findings})
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}."
    )


def _annotation(finding: Finding) -> str:
    """Write a GitHub Actions workflow command that annotates the file at the line."""
    properties = [f"file={_escape_property(finding.path)}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
    properties.append(f"title={_escape_property(finding.code)}")
    return f"::{finding.severity} {','.join(properties)}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    # The escapes of @actions/core's command.ts: "%" first, so the others stay intact.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
