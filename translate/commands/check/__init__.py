"""Check that every translated post is still a faithful sibling of its source post.

`translate run` verifies its own output before writing it; reviewers then edit the English
posts by hand. This is the gate before merge: it compares each target-language post with its
source the way translation QA tools (Translate Toolkit's pofilter, Weblate's checks) compare
strings, but on whole Hugo posts, and reports each problem with a file, a line and a code.

Reviewers may reword freely. Only invariants count: the front matter outside the
translatable keys, link targets, code, shortcodes, HTML, math, entities, the block structure,
glossary names and terms, numbers and Hugo references; plus the typical traces of machine
translation (text left in the source language, leftover markers, doubled spaces or
punctuation).

`site` walks a site's pairs, `pair` holds the rules for one pair of posts, `refs` resolves
Hugo references, `findings` names and prints what is found.
"""

from translate.commands.check.findings import CODES, Finding, format_findings
from translate.commands.check.pair import check_pair
from translate.commands.check.site import SiteCheck, check_site

__all__ = ["CODES", "Finding", "SiteCheck", "check_pair", "check_site", "format_findings"]
