"""The shape of the package, checked: no import cycles (imports inside functions included), lower
layers never import higher ones, a top level of subpackages only, short modules, tests mirroring the
package.  ARCHITECTURE.md explains the rules; these tests keep them true."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import biofm

PACKAGE = Path(biofm.__file__).parent
TESTS = Path(__file__).parent
# lowest first; a module may import its own layer and the ones before it, never a later one
LAYERS = ["core", "modalities", "data", "modeling", "trust", "training", "use", "labels|federated", "serve", "cli"]
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every biofm module ``path`` imports, at the top or inside a function.  ``from biofm.x import y``
    counts as importing ``biofm.x.y`` where that is a module, else ``biofm.x``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("biofm"):
            submodules = {f"{node.module}.{a.name}" for a in node.names} & modules
            found |= submodules if len(submodules) == len(node.names) else {node.module, *submodules}
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("biofm"))
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path, set(modules)) if m in modules and m != name}
            for name, path in modules.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # biofm itself (the public API) and biofm.__main__ sit above everything
    return next((i for i, names in enumerate(LAYERS) if parts[1] in names.split("|")), None)


def test_no_import_cycles_counting_imports_inside_functions():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target):], target]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_lower_layers_never_import_higher_ones():
    wrong = []
    for module, targets in graph().items():
        own = layer(module)
        wrong += [f"{module} → {t}" for t in targets if own is not None and (layer(t) or 0) > own]
    assert not wrong, "layer rule broken:\n" + "\n".join(wrong)


def test_the_top_level_holds_only_subpackages_and_the_entry_points():
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert not loose, f"modules at the top of biofm/: {sorted(loose)} (put them in a subpackage)"
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == {n for names in LAYERS for n in names.split("|")}


def test_modules_stay_short():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_only_modalities_import_a_modality_implementation():
    """Shared code reaches a modality through the registry, never by importing molecule/dna/text.
    The CLI may: a command that exists for one modality (``biofm deid``) wraps that modality's function."""
    specific = ("biofm.modalities.molecule", "biofm.modalities.dna", "biofm.modalities.text")
    wrong = [f"{m} → {t}" for m, targets in graph().items() if not m.startswith(("biofm.modalities", "biofm.cli"))
             for t in targets if t.startswith(specific)]
    assert not wrong, "\n".join(wrong)


def test_tests_mirror_the_package():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and any(p.rglob("test_*.py"))}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} - {"cli"}
    assert folders <= packages, f"test folders without a package: {sorted(folders - packages)}"
    assert packages - {"core"} <= folders | {"core"} and "core" in folders


@pytest.mark.parametrize("module", ["biofm", "biofm.cli"])
def test_importing_the_package_or_the_command_line_loads_no_framework(module):
    """``import biofm`` is light (names load on first use), and so is the CLI (each command imports its
    library when it runs): ``biofm --help`` and a mistyped flag answer without loading torch."""
    probe = f"import sys, {module}; print(sorted(m for m in ('torch', 'transformers', 'rdkit') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def test_the_public_api_resolves():
    """Every name ``import biofm`` promises is there, and a typo is an AttributeError."""
    for name in biofm.__all__:
        assert getattr(biofm, name).__name__ == name
    with pytest.raises(AttributeError, match="no attribute 'trian'"):
        biofm.trian  # noqa: B018
