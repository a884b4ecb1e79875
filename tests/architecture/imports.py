"""The import graph of a package, read from its source with ``ast`` (nothing is imported).

Every import counts: at the top of a module, inside a function, or under ``TYPE_CHECKING``, so
a layer cannot be crossed quietly. ``from generator.render import charts`` is an edge to the
module ``generator.render.charts``; ``from generator.render.pages import Renderer`` to
``generator.render.pages``.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.importer} imports {self.imported}"


def module_name(package_dir: Path, path: Path) -> str:
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package_dir: Path) -> dict[str, list[Edge]]:
    """Each module of the package and its imports of the package's own modules."""
    paths = sorted(package_dir.rglob("*.py"))
    modules = {module_name(package_dir, p) for p in paths}
    graph: dict[str, list[Edge]] = {}
    known = frozenset(modules)
    for path in paths:
        name = module_name(package_dir, path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        rel = path.relative_to(package_dir.parent).as_posix()
        graph[name] = list(_edges(path.read_text(encoding="utf-8"), rel, name, package, known))
    return graph


@functools.cache
def _edges(
    source: str, rel: str, name: str, package: str, modules: frozenset[str]
) -> tuple[Edge, ...]:
    """The module's imports of the package's own modules, from its source (kept for the same
    arguments: the planted tests read copies of the package with one file changed)."""
    edges = []
    for node in ast.walk(ast.parse(source, rel)):
        for target in _targets(node, package, modules):
            if target != name:
                edges.append(Edge(name, target, rel, node.lineno))
    return tuple(edges)


def _targets(node: ast.AST, package: str, modules: set[str]) -> Iterable[str]:
    root = next(iter(modules)).split(".")[0]
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == root:
                yield _existing(alias.name, modules)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            parts = package.split(".")
            base_parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(base_parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        if base.split(".")[0] != root:
            return
        for alias in node.names:
            child = f"{base}.{alias.name}"
            yield child if child in modules else _existing(base, modules)


def _existing(name: str, modules: set[str]) -> str:
    """The module itself, or the nearest package above it that exists."""
    while name not in modules and "." in name:
        name = name.rpartition(".")[0]
    return name


def cycles(graph: Mapping[str, Sequence[Edge]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for edge in graph.get(v, ()):
            w = edge.imported
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def layer_of(module: str, layers: Sequence[str]) -> int | None:
    """The position of the module's layer (``generator.render.pages`` -> ``render``)."""
    parts = module.split(".")
    return layers.index(parts[1]) if len(parts) > 1 and parts[1] in layers else None


def upward_imports(graph: Mapping[str, Sequence[Edge]], layers: Sequence[str]) -> list[Edge]:
    """Imports of a module in a higher layer than the importer's own."""
    found = []
    for edges in graph.values():
        for edge in edges:
            mine, theirs = layer_of(edge.importer, layers), layer_of(edge.imported, layers)
            if mine is not None and theirs is not None and theirs > mine:
                found.append(edge)
    return found


def outside_layers(graph: Mapping[str, Sequence[Edge]], layers: Sequence[str]) -> list[str]:
    """Modules in no layer, but for the package itself, ``__main__`` and ``_version`` (the
    version, written when perfpages is installed)."""
    return [
        m
        for m in sorted(graph)
        if layer_of(m, layers) is None
        and m.count(".")
        and not m.endswith((".__main__", "._version"))
    ]
