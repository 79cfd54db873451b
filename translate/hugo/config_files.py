"""Read a Hugo site's configuration files and find its themes the way Hugo does, without Hugo.

This is the reader used when the `hugo` binary is not at hand (see `hugo_binary`); the tests
compare the two on the same sites.

Hugo (v0.168, `config/allconfig/load.go` and `config/configLoader.go`) takes the first of
`hugo.toml`, `hugo.yaml`, `hugo.yml`, `hugo.json`, `config.toml`, `config.yaml`,
`config.yml`, `config.json` at the site root and ignores the others. Then it merges the
configuration directory over it: every file of `config/_default/`, then of
`config/<environment>/`, in file-name order, each one over the ones before, maps merged key by
key. In that directory `hugo.*` and `config.*` hold top-level keys, any other file the key
of its name (`languages.toml` is `languages`, `params.toml` is `params`), and a file named
for a language (`params.de.toml`, `menus.en.yaml`) that key of `languages.<lang>`. Keys are
case-insensitive: Hugo lowercases them all.

Themes and modules: `theme` (a name or a list) and `module.imports` name them; each is
found in `_vendor/<path>` (what `hugo mod vendor` made) or else in `themesDir/<path>`, and
may import more. A module downloaded into Go's module cache is not found this way; Hugo
itself finds it.

Not read: `HUGO_*` environment variables, command-line flags, and the configuration that
themes set for the site (their `params`, say).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.errors import ConfigError
from translate.files import read_data as load_file
from translate.hugo.hugo_binary import Module, Mount

ROOT_NAMES = ("hugo", "config")
EXTENSIONS = ("toml", "yaml", "yml", "json")
# The folders a module has, each mounted at its own name unless the module says otherwise.
COMPONENTS = ("content", "data", "layouts", "i18n", "archetypes", "assets", "static")
# Where the site's own folders are set (`contentDir = "docs"`).
_COMPONENT_KEYS = {
    "content": "contentdir",
    "data": "datadir",
    "layouts": "layoutdir",
    "i18n": "i18ndir",
    "archetypes": "archetypedir",
    "assets": "assetdir",
    "static": "staticdir",
}


@dataclass
class ConfigFiles:
    """The merged configuration of a site, and which file set each key."""

    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # least specific first
    ignored: list[Path] = field(default_factory=list)  # root files Hugo does not read


def read_config_files(site: Path, environment: str) -> ConfigFiles | None:
    """Read and merge the site's configuration files; None when it has none."""
    present = [
        site / f"{name}.{extension}"
        for name in ROOT_NAMES
        for extension in EXTENSIONS
        if (site / f"{name}.{extension}").is_file()
    ]
    found = ConfigFiles(ignored=present[1:])
    if present:
        _merge(found.data, _lower(read_data(present[0])), present[0], found.origins)
        found.files.append(present[0])
    # Hugo takes the directory from its --configDir flag, never from a file.
    config_dir = site / "config"
    for directory in (config_dir / "_default", config_dir / environment):
        for path in _config_files(directory):
            _merge(found.data, _wrap(path, _lower(read_data(path))), path, found.origins)
            found.files.append(path)
    return found if found.files else None


def _config_files(directory: Path) -> list[Path]:
    """Return a config directory's files as Hugo walks them: recursively, by name."""
    if not directory.is_dir():
        return []
    found: list[Path] = []
    for path in sorted(directory.iterdir(), key=lambda item: item.name):
        if path.is_dir():
            found += _config_files(path)
        elif path.suffix.lower().lstrip(".") in EXTENSIONS:
            found.append(path)
    return found


def _wrap(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Place a config directory file's content under the key its name stands for."""
    name = path.name.rsplit(".", 1)[0].lower()
    if name in ROOT_NAMES:
        return data
    key, _, language = name.partition(".")
    # A file may wrap its content in its own key (`cascade.yaml` with `cascade: [...]`).
    value: Any = data[key] if len(data) == 1 and key in data else data
    if not language:
        return {key: value}
    if key in ("menu", "menus"):
        return {"languages": {language: {"menus": value}}}
    if key == "params":
        return {"languages": {language: {"params": value}}}
    return {"languages": {language: value}}


def _lower(value: Any) -> Any:
    """Lowercase every map key, recursively, as Hugo does."""
    if isinstance(value, Mapping):
        return {str(key).lower(): _lower(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower(item) for item in value]
    return value


def _merge(
    target: dict[str, Any],
    source: Mapping[str, Any],
    path: Path,
    origins: dict[str, Path],
    prefix: str = "",
) -> None:
    """Merge `source` over `target`: maps key by key, anything else replaced."""
    for key, value in source.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value, path, origins, f"{dotted}.")
            continue
        target[key] = dict(value) if isinstance(value, Mapping) else value
        for name in [name for name in origins if name.startswith(f"{dotted}.")]:
            del origins[name]
        _record(value, path, origins, dotted)


def _record(value: Any, path: Path, origins: dict[str, Path], dotted: str) -> None:
    origins[dotted] = path
    if isinstance(value, Mapping):
        for key, item in value.items():
            _record(item, path, origins, f"{dotted}.{key}")


# --- modules --------------------------------------------------------------------------------


def find_modules(
    site: Path, data: Mapping[str, Any], project_mounts: Iterable[Mount]
) -> tuple[tuple[Module, ...], tuple[str, ...]]:
    """Return the project and its themes and imports in Hugo's order, and those not found.

    Hugo walks the imports depth first: a theme's own themes come right after it. A module
    named twice counts once, where it first appears.
    """
    modules = [Module("project", site, tuple(project_mounts))]
    missing: list[str] = []
    themes_dir = site / _string(data.get("themesdir"), "themes")
    seen: set[str] = set()

    def walk(config: Mapping[str, Any]) -> None:
        for name in _imports(config):
            if name in seen:
                continue
            seen.add(name)
            folder = _module_folder(site, themes_dir, name)
            if folder is None:
                missing.append(name)
                continue
            own = _module_config(folder)
            modules.append(Module(name, folder, _module_mounts(folder, own)))
            walk(own)

    walk(data)
    return tuple(modules), tuple(missing)


def _imports(config: Mapping[str, Any]) -> list[str]:
    """Return the modules a configuration imports: `module.imports`, then `theme`."""
    names: list[str] = []
    module = config.get("module")
    if isinstance(module, Mapping):
        for item in module.get("imports") or ():
            if isinstance(item, Mapping) and item.get("path") and not item.get("disable"):
                names.append(str(item["path"]))
    theme = config.get("theme")
    names += [str(theme)] if isinstance(theme, str) and theme else []
    names += [str(item) for item in theme or () if isinstance(theme, list) and item]
    return names


def _module_folder(site: Path, themes_dir: Path, name: str) -> Path | None:
    """Return where Hugo finds a module: replaced by a local folder (`go.mod`), vendored,
    else in the themes folder."""
    replaced = local_replacements(site).get(name)
    for folder in (replaced, site / "_vendor" / name, themes_dir / name):
        if folder is not None and folder.is_dir():
            return folder
    return None


_REPLACE = re.compile(r"^\s*(?:replace\s+)?(\S+)(?:\s+\S+)?\s+=>\s+(\S+)\s*$")


def local_replacements(site: Path) -> dict[str, Path]:
    """Return the modules the site's `go.mod` replaces by a local folder (`replace
    github.com/acme/theme => ../theme`), as Hugo's `module.replacements` would."""
    path = site / "go.mod"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, Path] = {}
    block = False
    for line in text.splitlines():
        line = line.split("//", 1)[0].strip()
        if line.startswith("replace ("):
            block = True
            continue
        if block and line == ")":
            block = False
            continue
        if not (block or line.startswith("replace ")):
            continue
        match = _REPLACE.match(line)
        if match is not None and match.group(2).startswith((".", "/")):
            found[match.group(1)] = (site / match.group(2)).resolve()
    return found


def _module_config(folder: Path) -> dict[str, Any]:
    """Return a theme's own configuration: its first root file (and `theme.toml`'s none)."""
    for name in ROOT_NAMES:
        for extension in EXTENSIONS:
            path = folder / f"{name}.{extension}"
            if path.is_file():
                data: dict[str, Any] = _lower(read_data(path))
                return data
    return {}


def _module_mounts(folder: Path, config: Mapping[str, Any]) -> tuple[Mount, ...]:
    """Return a theme's mounts: those it configures, else its component folders that exist."""
    configured = project_mounts(folder, config, languages=())
    return tuple(mount for mount in configured if mount.source.is_dir())


def project_mounts(
    folder: Path, config: Mapping[str, Any], languages: Iterable[tuple[str, str | None]]
) -> tuple[Mount, ...]:
    """Return a module's mounts as Hugo makes them from its configuration.

    `languages` are (code, own contentDir or None) of the enabled languages. Mounts the
    configuration lists (`module.mounts`) replace the defaults of the components they
    mount into; each language's own `contentDir` becomes a content mount for it, and the
    site's `contentDir` one for the languages without.
    """
    module = config.get("module")
    listed = module.get("mounts") if isinstance(module, Mapping) else None
    read = [_mount(folder, item) for item in listed or () if isinstance(item, Mapping)]
    mounts = [mount for mount in read if mount is not None]
    covered = {mount.component for mount in mounts}
    defaults: list[Mount] = []
    for component in COMPONENTS:
        if component in covered:
            continue
        if component == "content":
            shared = False
            for code, own in languages:
                if own is None:
                    shared = True
                else:
                    defaults.append(Mount(_under(folder, own), "content", (code,)))
            if not shared and defaults:
                continue
        sources = config.get(_COMPONENT_KEYS[component], component)
        for source in sources if isinstance(sources, list) else [sources]:
            defaults.append(Mount(_under(folder, _string(source, component)), component))
    return (*defaults, *mounts)


def _mount(folder: Path, item: Mapping[str, Any]) -> Mount | None:
    source, target = item.get("source"), item.get("target")
    if not isinstance(source, str) or not isinstance(target, str):
        return None
    languages: tuple[str, ...] = ()
    sites = item.get("sites")
    matrix = sites.get("matrix") if isinstance(sites, Mapping) else None
    if isinstance(matrix, Mapping) and isinstance(matrix.get("languages"), list):
        languages = tuple(str(code).lower() for code in matrix["languages"])
    elif item.get("lang"):
        languages = (str(item["lang"]).lower(),)
    return Mount(_under(folder, source), target.strip("/"), languages)


def _under(folder: Path, source: str) -> Path:
    path = Path(source.replace("\\", "/"))
    return path if path.is_absolute() else folder / path


def _string(value: Any, default: str) -> str:
    return value if isinstance(value, str) and value else default


# --- files ----------------------------------------------------------------------------------


def read_data(path: Path) -> dict[str, Any]:
    """Read a TOML, YAML or JSON file (by its extension) that must hold a map of keys.

    Raise ConfigError with the file and line of a syntax error (`translate.files.read_data`,
    which also bounds nesting and YAML aliases).
    """
    data = load_file(path, error=ConfigError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"expected a map of keys, not {type(data).__name__}", path=path, line=1)
    return data
