"""`translate review`: a static page to review translations on, and its edits written back.

`collect` fills the page's model (`model`) from the records, the posts and `translate check`;
`render` writes it as one self-contained HTML file (`static/` holds its template, CSS and
JavaScript); `apply` writes a downloaded review's edits into the posts.
"""

from __future__ import annotations

from translate.commands.review.apply import ApplyReport, apply_review, read_review
from translate.commands.review.collect import collect_page
from translate.commands.review.render import render_page

__all__ = ["ApplyReport", "apply_review", "collect_page", "read_review", "render_page"]
