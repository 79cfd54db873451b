"""Label posts that still hold machine text nobody reviewed (opt-in).

With `machine_translated_key = "machineTranslated"` in translate.toml, a translation that
still contains unreviewed machine text carries `machineTranslated: true` in its front matter
(a template can show a banner); once every block is reviewed or approved, the key goes. The
key belongs to the translation alone: the structural proof, `check` and the records ignore
it. It is written as a top-level line in the post's own front matter format.
"""

from __future__ import annotations

import re

from translate.markdown.front_matter import split_front_matter
from translate.records.schema import PostRecord


def machine_text(record: PostRecord) -> bool:
    """Tell whether a translation still holds machine text nobody reviewed."""
    return any(block.machine and block.written for block in record.blocks)


def has_label(text: str, key: str) -> bool:
    """Tell whether the post's front matter sets `key` to true."""
    data = split_front_matter(text)[0].data()
    return isinstance(data, dict) and data.get(key) is True


def labelled(text: str, key: str, machine: bool) -> str:
    """Return the post with `key: true` in its front matter if `machine`, else without it."""
    if has_label(text, key) == machine:
        return text
    front_matter, _ = split_front_matter(text)
    block = front_matter.text
    rest = text[len(block) :]
    newline = "\r\n" if "\r\n" in block or (not block and "\r\n" in text) else "\n"
    if front_matter.format == "none":
        return f"---{newline}{key}: true{newline}---{newline}{text}" if machine else text
    start, end = front_matter.content_start, front_matter.content_end
    content = block[start:end]
    if machine:
        content = _add(content, front_matter.format, key, newline)
    else:
        content = _remove(content, front_matter.format, key)
        if front_matter.format == "yaml" and not content.strip():
            return rest  # a block that held the label alone (the tool added it) goes too
    return block[:start] + content + block[end:] + rest


def _add(content: str, form: str, key: str, newline: str) -> str:
    if form == "yaml":
        separator = "" if not content or content.endswith("\n") else newline
        return f"{content}{separator}{key}: true{newline}"
    if form == "toml":
        # Top-level keys come before the first table.
        table = re.search(r"^\s*\[", content, re.MULTILINE)
        line = f"{key} = true{newline}"
        if table is None:
            return content + ("" if content.endswith("\n") or not content else newline) + line
        return content[: table.start()] + line + content[table.start() :]
    # JSON: the first member of the object.
    brace = content.index("{") + 1
    inner = content[brace:].strip()
    member = f'{newline}  "{key}": true' + ("," if inner != "}" else newline)
    return content[:brace] + member + content[brace:]


def _remove(content: str, form: str, key: str) -> str:
    name = re.escape(key)
    patterns = {
        "yaml": rf"^{name}:[ \t]*true[ \t]*\r?\n?",
        "toml": rf"^{name}[ \t]*=[ \t]*true[ \t]*\r?\n?",
        "json": rf'\r?\n?[ \t]*"{name}"[ \t]*:[ \t]*true[ \t]*,?',
    }
    return re.sub(patterns[form], "", content, count=1, flags=re.MULTILINE)
