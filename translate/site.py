"""A Hugo site on disk: where the posts of each language live, and reading them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import PostError, SiteError

POST_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Site:
    """A site root with one content folder per language (Hugo's `contentDir` per language)."""

    root: Path
    source: str
    target: str
    content_dir: str = "content"

    @property
    def source_root(self) -> Path:
        """Return the folder holding the source-language posts."""
        return self.root / self.content_dir / self.source

    @property
    def target_root(self) -> Path:
        """Return the folder the translations go to."""
        return self.root / self.content_dir / self.target

    def posts(self, only: Sequence[Path] = ()) -> list[Path]:
        """Return the source posts, sorted; `only` limits them to the files given."""
        if only:
            self._check_layout()
            return [self._inside(path) for path in only]
        return self.discover()[0]

    def discover(self) -> tuple[list[Path], list[Path]]:
        """Return the source posts, sorted, and the links to posts outside the source folder.

        A post that is a symbolic link counts only if it points into the source folder: the
        rule that applies to posts named on the command line. Links that point elsewhere
        (outside the site, say) are returned apart, for a warning, and never read.
        """
        self._check_layout()
        inside = self.source_root.resolve()
        posts: list[Path] = []
        outside: list[Path] = []
        for path in self.source_root.rglob("*"):
            if path.suffix not in POST_SUFFIXES:
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                outside.append(path)
            elif path.is_file():
                posts.append(path)
        return sorted(posts), sorted(outside)

    def _check_layout(self) -> None:
        if not self.source_root.is_dir():
            raise SiteError(
                f"no {self.content_dir}/{self.source}/ folder",
                path=self.root,
                hint="run in a Hugo site root or pass --site; posts are expected under "
                f"{self.content_dir}/{self.source}/",
            )

    def _inside(self, path: Path) -> Path:
        post, is_source = self.locate(path)
        if not is_source:
            raise SiteError(
                "this is a translation, not a source post",
                path=path,
                hint=f"name its source under {self.content_dir}/{self.source}/",
            )
        return post

    def locate(self, path: Path) -> tuple[Path, bool]:
        """Return `path` as a post of either language's folder, and whether it is a source.

        `path` may be absolute, relative to the current folder or to the site root.
        """
        candidates = [path] if path.is_absolute() else [path, self.root / path]
        if not any(candidate.is_file() for candidate in candidates):
            raise SiteError("no such file", path=path, hint="check the path of the post")
        for candidate in candidates:
            resolved = candidate.resolve()
            if not resolved.is_file():
                continue
            for root, is_source in ((self.source_root, True), (self.target_root, False)):
                if resolved.is_relative_to(root.resolve()):
                    return root / resolved.relative_to(root.resolve()), is_source
        raise SiteError(
            "not a post of this site",
            path=path,
            hint=f"name a Markdown file under {self.content_dir}/{self.source}/ "
            f"or {self.content_dir}/{self.target}/",
        )

    def sibling(self, post: Path) -> Path:
        """Return the target-language path mirroring `post`."""
        return self.target_root / post.relative_to(self.source_root)

    def show(self, path: Path) -> str:
        """Return `path` relative to the site root, for messages."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def read_post(path: Path) -> str:
    """Read a post as UTF-8 text, keeping its line endings and a leading BOM."""
    try:
        data = path.read_bytes()
    except OSError as error:  # a folder where a post should be, no permission, ...
        raise PostError(
            f"cannot read: {error.strerror or error}",
            path=path,
            hint="it must be a Markdown file you may read",
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PostError(
            f"not UTF-8 (byte 0x{data[error.start]:02x})",
            path=path,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    return text
