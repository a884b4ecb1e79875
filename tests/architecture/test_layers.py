"""The packages follow the pipeline, and imports only go down it.

``generator/`` is layered in the order a build runs, then the tools built on the pipeline:

    site -> assess -> render -> output -> mkdocs -> pipeline -> diff -> importers -> commands

A module may import modules of its own package or of a package earlier in the list, never a
later one, and no group of modules may import each other round a loop. Every import counts,
including those inside functions and under TYPE_CHECKING. The planted tests show the check
fails on an upward import, a cycle and a module outside the layers.
"""

from __future__ import annotations

import ast
import functools
import shutil
from pathlib import Path

import pytest

from tests.architecture.imports import cycles, import_graph, outside_layers, upward_imports
from tests.conftest import REPO

GENERATOR = REPO / "generator"
LAYERS = (
    "site",
    "assess",
    "render",
    "output",
    "mkdocs",
    "pipeline",
    "diff",
    "importers",
    "commands",
)


def problems(package: Path) -> list[str]:
    graph = import_graph(package)
    found = [f"upward import: {edge}" for edge in upward_imports(graph, LAYERS)]
    found += [f"import cycle: {' -> '.join(group)}" for group in cycles(graph)]
    found += [
        f"module in no layer: {m} (add its package to LAYERS)"
        for m in outside_layers(graph, LAYERS)
    ]
    return found


def test_the_layers_are_the_packages_of_generator():
    packages = {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").is_file()}
    # _version.py is written when perfpages is installed (pyproject.toml: hatch-vcs).
    modules = {p.stem for p in GENERATOR.glob("*.py")} - {"__init__", "__main__", "_version"}
    assert packages | modules == set(LAYERS)


def test_imports_only_go_down_the_pipeline_and_never_round_a_loop():
    found = problems(GENERATOR)
    assert not found, "\n".join(found)


def test_the_graph_is_read_whole():
    """A check that saw no edges would pass on anything: it must see the ones we know of."""
    graph = import_graph(GENERATOR)
    edges = {(e.importer, e.imported) for edges in graph.values() for e in edges}
    assert ("generator.pipeline", "generator.render.pages") in edges
    assert ("generator.render.pages", "generator.render.charts") in edges  # from X import module
    assert ("generator.commands.cli", "generator.pipeline") in edges  # inside a function
    assert len(edges) > 150


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    copy = tmp_path / "generator"
    shutil.copytree(GENERATOR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert problems(copy) == []
    return copy


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_planted_upward_import_fails(planted):
    _append(
        planted / "site" / "models.py", "\n\ndef _f():\n    from generator.commands import cli\n"
    )
    found = problems(planted)
    upward = [p for p in found if p.startswith("upward import:")]
    assert len(upward) == 1
    assert upward[0].startswith("upward import: generator/site/models.py:")
    assert upward[0].endswith("generator.site.models imports generator.commands.cli")
    # and, as the command line imports the models, a loop through them
    assert any(p.startswith("import cycle:") and "generator.site.models" in p for p in found)


def test_a_planted_cycle_fails(planted):
    _append(planted / "render" / "output.py", "\nfrom generator.render.pages import Renderer\n")
    [found] = problems(planted)
    assert found.startswith("import cycle: ")
    assert {"generator.render.output", "generator.render.pages"} <= set(found[14:].split(" -> "))


def test_a_planted_module_outside_the_layers_fails(planted):
    (planted / "helpers.py").write_text("from generator.site import models\n", encoding="utf-8")
    assert problems(planted) == [
        "module in no layer: generator.helpers (add its package to LAYERS)"
    ]


def mkdocs_imports(package: Path) -> list[str]:
    """Imports of MkDocs outside generator/mkdocs, and of MkDocs' private names (a leading
    underscore) anywhere but generator/mkdocs/internals.py."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        inside = rel.startswith(f"{package.name}/mkdocs/")
        found += _mkdocs_imports_in(path.read_text(encoding="utf-8"), rel, inside)
    return found


@functools.cache
def _mkdocs_imports_in(source: str, rel: str, inside: bool) -> tuple[str, ...]:
    """What ``mkdocs_imports`` finds in one module's source (kept for the same arguments: the
    planted test reads a copy of the package with two files changed)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [(a.name, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [(node.module, a.name) for a in node.names]
        else:
            continue
        for module, name in names:
            if module.split(".")[0] != "mkdocs":
                continue
            if not inside:
                found.append(f"{rel}:{node.lineno}: imports {module} outside generator/mkdocs")
            elif name.startswith("_") and not rel.endswith("/internals.py"):
                found.append(f"{rel}:{node.lineno}: imports MkDocs' private {module}.{name}")
    return tuple(found)


def test_mkdocs_is_imported_only_in_its_package_and_its_private_names_only_in_internals():
    found = mkdocs_imports(GENERATOR)
    assert not found, "\n".join(found)


def test_a_planted_mkdocs_import_elsewhere_fails(planted):
    _append(planted / "pipeline.py", "\nfrom mkdocs.config import load_config\n")
    _append(planted / "mkdocs" / "build.py", "\nfrom mkdocs.commands.build import _build_page\n")
    found = mkdocs_imports(planted)
    assert len(found) == 2
    assert found[0].startswith("generator/mkdocs/build.py:")
    assert found[0].endswith("imports MkDocs' private mkdocs.commands.build._build_page")
    assert found[1].startswith("generator/pipeline.py:")
    assert found[1].endswith("imports mkdocs.config outside generator/mkdocs")
