"""The package's folders are its layers: no module imports from a layer above its own.

From the bottom: `errors` and `files`; `markdown` (reading Hugo content); `translation`
(translating and proving); `hugo` (the site); `records`; `commands`; `cli`. Each layer's
`__init__` says the same in words. Imports inside functions count too: a lazy import is still
a dependency. The package's own `__init__` is the public API and may reach every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "translate"
LAYERS = ["errors", "files", "markdown", "translation", "hugo", "records", "commands", "cli"]
# errors and files are one layer: the bottom.
RANK = {name: max(0, index - 1) for index, name in enumerate(LAYERS)}


def layer_of(module: str) -> str:
    """Return the layer of a dotted module name under `translate`."""
    return module.split(".")[1]


def modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in ("__init__.py", "__main__.py")
    ]


def imports(path: Path) -> list[tuple[int, str]]:
    """Return (line, module) of every `translate.*` import in a module, lazy ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "translate":
                names = [f"translate.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names if name.startswith("translate.")]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name)
                for alias in node.names
                if alias.name.startswith("translate.")
            ]
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_from_a_layer_above_its_own(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    upward = [
        f"{path.relative_to(ROOT)}:{line}: imports {module} ({layer_of(module)})"
        for line, module in imports(path)
        if layer_of(module) in RANK and RANK[layer_of(module)] > RANK[own]
    ]
    assert upward == []


def test_every_layer_is_a_folder_or_module_of_the_package() -> None:
    present = {path.name.removesuffix(".py") for path in PACKAGE.iterdir()} - {
        "__init__",
        "__main__",
        "__pycache__",
    }
    assert present <= set(LAYERS), present - set(LAYERS)


@pytest.mark.parametrize("layer", ["markdown", "translation", "hugo", "records", "commands"])
def test_each_layer_says_what_it_may_import(layer: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))
    assert docstring is not None and "May import" in docstring
