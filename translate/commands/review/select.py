"""Which posts a review page shows: those named, those changed since a git revision, or
by default every translated post that still holds machine text or is outdated."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import ConfigError, SiteError, TranslateError
from translate.hugo.site import Site, expand_folders


@dataclass
class Since:
    """The files changed since a git revision, and the source posts as they were then."""

    revision: str
    top: Path  # the repository's work tree
    changed: set[Path] = field(default_factory=set)  # resolved absolute paths

    def old_text(self, post: Path) -> str | None:
        """Return a post's text at the revision, or None if it did not exist then."""
        name = post.resolve().relative_to(self.top).as_posix()
        done = _git(self.top, "show", f"{self.revision}:{name}")
        return done.stdout if done.returncode == 0 else None


def changed_since(root: Path, revision: str) -> Since:
    """Return the files of the repository holding `root` changed since `revision`.

    Changes not yet committed count, and so do new files git does not ignore: a reviewer
    may run this before committing. Raise ConfigError when git cannot say.
    """
    found = _git(root, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise ConfigError(
            "--since: the site is not in a git repository",
            path=root,
            hint="run it in a clone of the site, or name the posts instead",
        )
    top = Path(found.stdout.strip()).resolve()
    if _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode != 0:
        raise ConfigError(
            f"--since {revision}: no such revision in {top}",
            hint="name a commit, branch or tag (in CI, fetch the base branch: "
            "actions/checkout with fetch-depth: 0)",
        )
    changed: set[Path] = set()
    for args in (
        ("diff", "--name-only", "-z", "--no-renames", revision, "--"),
        ("ls-files", "-z", "--others", "--exclude-standard"),
    ):
        done = _git(top, *args)
        if done.returncode != 0:
            raise ConfigError(f"--since {revision}: git {args[0]} failed: {done.stderr.strip()}")
        changed |= {(top / name).resolve() for name in done.stdout.split("\0") if name}
    return Since(revision, top, changed)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in `folder`; a missing git is a ConfigError."""
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as error:
        raise ConfigError(
            f"--since needs git: {error.strerror or error}", hint="install git"
        ) from None


def named_posts(site: Site, paths: Sequence[Path]) -> tuple[list[Path], dict[Path, TranslateError]]:
    """Return the source posts of the paths given (source or translation) for one pair.

    A path that is no post of this pair is an error of its own, returned by path, not
    raised: it may be a post of another pair. A folder stands for the posts below it.
    """
    posts: list[Path] = []
    errors: dict[Path, TranslateError] = {}
    for path, in_folder in expand_folders(paths, site.root):
        try:
            post, is_source = site.locate(path)
        except SiteError as error:
            if not in_folder:
                errors[path] = error
            continue
        posts.append(post if is_source else site.source_of(post))
    return list(dict.fromkeys(posts)), errors


def posts_since(site: Site, since: Since) -> list[Path]:
    """Return the source posts whose source or translation changed since the revision."""
    posts, _ = site.discover()
    return [
        post
        for post in posts
        if post.resolve() in since.changed or site.sibling(post).resolve() in since.changed
    ]
