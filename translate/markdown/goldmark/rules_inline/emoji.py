"""Hugo's emoji (`enableEmoji`): `:rocket:` is an emoji, never prose to translate.

goldmark-emoji reads `:` then letters, digits, `_`, `-` or `+`, then `:`, and renders the
name if it knows it. Any such code is kept as written here: an unknown one is text Hugo
shows as it stands, so keeping it changes nothing.
"""

from __future__ import annotations

import re

from markdown_it.rules_inline import StateInline

from translate.markdown.goldmark.options import current_options

_CODE = re.compile(r":[A-Za-z0-9_+-]+:")


def emoji(state: StateInline, silent: bool) -> bool:
    """Take an emoji code as one `emoji` token, where the site enables emoji."""
    if state.src[state.pos] != ":" or not current_options().emoji:
        return False
    match = _CODE.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        token = state.push("emoji", "", 0)
        token.content = match.group()
        token.markup = match.group()
    state.pos = match.end()
    return True
