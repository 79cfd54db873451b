"""The `translate` command: the only place that prints or chooses exit codes.

`app` holds the options every command shares and how errors are printed; each module adds
its commands: `running` (run), `reports` (check, status, review), `memory` (learn, approve,
memory export and import).
"""

from __future__ import annotations

from translate.cli import memory, reports, running
from translate.cli.app import app
from translate.hugo.settings import CONFIG_FILE


def main() -> None:
    """Run the command line."""
    app()


__all__ = ["CONFIG_FILE", "app", "main", "memory", "reports", "running"]
