"""The front matter block of a post: its values out, translations back in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from translate.markdown.front_matter.json_syntax import JSON_SYNTAX
from translate.markdown.front_matter.keys import DEFAULT_TRANSLATABLE_KEYS, KeyPath, key_matches
from translate.markdown.front_matter.replacing import Syntax, expect, first_faithful, splice
from translate.markdown.front_matter.toml_syntax import TOML_SYNTAX
from translate.markdown.front_matter.yaml_syntax import YAML_SYNTAX

Format = Literal["yaml", "toml", "json", "none"]


@dataclass(frozen=True)
class FrontMatterField:
    """A string value in the front matter, and where it starts in the file."""

    path: KeyPath  # e.g. ("image", "caption") or ("resources", 0, "title")
    value: str
    line: int  # 1-based, in the whole file


@dataclass(frozen=True)
class FrontMatter:
    """A post's front matter block, exactly as it stands in the file."""

    format: Format
    # The whole block: blank lines before it, the opening delimiter line, the content, the
    # closing delimiter and its line end ("" when the post has no front matter).
    text: str
    first_line: int = 1  # 1-based line of the opening delimiter (JSON: of the `{`)
    # Where the content (what the parser reads) starts and ends in `text`.
    content_start: int = 0
    content_end: int = 0

    def fields(self, patterns: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS) -> list[FrontMatterField]:
        """Return every string value whose path matches one of `patterns`, in document order."""
        if self.format == "none":
            return []
        _, content, _ = self._parts()
        return [
            FrontMatterField(slot.path, slot.value, self._line_at(content, slot.start))
            for slot in self._syntax().slots(content, self._content_line())
            if key_matches(slot.path, patterns)
        ]

    def replace(self, values: Mapping[KeyPath, str]) -> str:
        """Return the block with the string values at the given paths replaced.

        Everything else stays byte for byte as it was. A value keeps its quoting style when
        that style can hold the new text and changes to a quoted style when it cannot. The
        line breaks that end a YAML block scalar (`|`, `>+`) are its layout, not its text: a
        new value without any gets those of the value it replaces, and the header stays.
        Raise KeyError for a path that is not in the front matter, ValueError for one that
        is not a string value.
        """
        if self.format == "none":
            if values:
                raise KeyError(next(iter(values)))
            return self.text
        opening, content, closing = self._parts()
        syntax = self._syntax()
        slots = {slot.path: slot for slot in syntax.slots(content, self._content_line())}
        changed: dict[KeyPath, str] = {}
        for path, value in values.items():
            if path not in slots:
                self._reject(path)
            old = slots[path].value
            if slots[path].style in ("|", ">") and not value.endswith("\n"):
                value += old[len(old.rstrip("\n")) :]
            # Unchanged values are left alone, so a round trip is byte-identical even where
            # the original spelling (a wrapped plain scalar, say) would not be reproduced.
            if value != slots[path].value:
                changed[path] = value
        if not changed:
            return self.text
        renderings = {
            path: syntax.renderings(slots[path], value, content) for path, value in changed.items()
        }
        outline = syntax.outline_or_none(content)
        if outline is None:
            raise ValueError("the front matter does not parse")
        choice = {path: options[0] for path, options in renderings.items()}
        new_content = splice(content, slots, choice)
        if syntax.outline_or_none(new_content) != expect(outline, changed):
            # A preferred rendering did not read back as intended: pick, value by value, the
            # first one that does. Each value's last option is the always-safe quoted form.
            for path, options in renderings.items():
                choice[path] = first_faithful(
                    syntax, content, slots[path], changed[path], options, outline
                )
            new_content = splice(content, slots, choice)
            if syntax.outline_or_none(new_content) != expect(outline, changed):
                raise ValueError("replacing front matter values would change other values")
        return opening + new_content + closing

    def data(self) -> Any:
        """Return the parsed front matter as plain Python values (an empty block gives {})."""
        if self.format == "none":
            return {}
        _, content, _ = self._parts()
        return self._syntax().load(content, self._content_line())

    def _parts(self) -> tuple[str, str, str]:
        """Split the block into what comes before the content, the content, and after it."""
        return (
            self.text[: self.content_start],
            self.text[self.content_start : self.content_end],
            self.text[self.content_end :],
        )

    def _content_line(self) -> int:
        return 1 + self.text.count("\n", 0, self.content_start)

    def _line_at(self, content: str, offset: int) -> int:
        # Counted on "\n" alone: YAML marks also count U+2028 and friends as line breaks,
        # editors and Hugo do not.
        return self._content_line() + content.count("\n", 0, offset)

    def _syntax(self) -> Syntax:
        return {"yaml": YAML_SYNTAX, "toml": TOML_SYNTAX, "json": JSON_SYNTAX}[self.format]

    def _reject(self, path: KeyPath) -> None:
        """Raise the error for a path that names no string value."""
        node: Any = self.data()
        for part in path:
            if isinstance(node, Mapping):
                matches = [key for key in node if key == part or str(key) == str(part)]
                if not matches:
                    raise KeyError(path)
                node = node[matches[0]]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                raise KeyError(path)
        raise ValueError(f"{'.'.join(map(str, path))} is not a string value that can be replaced")
