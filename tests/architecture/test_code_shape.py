"""The shape of generator/'s code: a long function says in a docstring what it does and why,
and only ``python -m generator`` imports the command line.

A function of more than ``LONG`` lines (its ``def`` line to its last line, decorators aside) is
one a reader cannot take in at a glance; its docstring is where they start.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

GENERATOR = REPO / "generator"
LONG = 30

Function = ast.FunctionDef | ast.AsyncFunctionDef


def long_functions_without_docstring(root: Path) -> list[str]:
    """``file:line name (N lines)`` for every function or method in ``root`` longer than
    ``LONG`` lines that has no docstring, nested functions included."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, name in _functions(tree, ""):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            if lines > LONG and ast.get_docstring(node) is None:
                where = f"{path.relative_to(root.parent).as_posix()}:{node.lineno}"
                found.append(f"{where} {name} ({lines} lines)")
    return found


def _functions(node: ast.AST, prefix: str) -> list[tuple[Function, str]]:
    """Every function under ``node``, named as a reader would look for it (Class.method)."""
    out: list[tuple[Function, str]] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append((child, prefix + child.name))
            out += _functions(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            out += _functions(child, f"{prefix}{child.name}.")
        else:
            out += _functions(child, prefix)
    return out


def test_every_long_function_has_a_docstring() -> None:
    missing = long_functions_without_docstring(GENERATOR)
    assert not missing, (
        f"{len(missing)} function(s) longer than {LONG} lines without a docstring; say what "
        "each does and why:\n  " + "\n  ".join(missing)
    )


def test_the_check_finds_a_long_function_without_a_docstring(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LONG))
    (tmp_path / "module.py").write_text(
        f"class Kind:\n    def long(self):\n{body.replace('    ', '        ')}\n\n"
        f"def described():\n    '''Says what it does.'''\n{body}\n\n"
        f"def short():\n    return 1\n",
        encoding="utf-8",
    )
    found = long_functions_without_docstring(tmp_path)
    assert [f.split(" ", 1)[1] for f in found] == [f"Kind.long ({LONG + 1} lines)"]


def test_only_the_entry_point_imports_the_command_line() -> None:
    """The commands print problems with generator.commands.messages, so cli imports them and
    not the other way round (no import cycle)."""
    importers = []
    for path in sorted(GENERATOR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if isinstance(node, ast.ImportFrom) and node.module == "generator.commands":
                names += [f"generator.commands.{a.name}" for a in node.names]
            if "generator.commands.cli" in names:
                importers.append(f"{path.relative_to(REPO).as_posix()}:{node.lineno}")
    assert [i.split(":")[0] for i in importers] == ["generator/__main__.py"], importers
