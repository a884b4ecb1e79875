"""pyproject.toml: every package the generator imports is declared, once, and the licence ships."""

from __future__ import annotations

import ast
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]

# The distribution that provides each top-level module whose name is not its own.
DISTRIBUTION = {
    "yaml": "pyyaml",
    "ruamel": "ruamel-yaml",
    "material": "mkdocs-material",
}


def requirements(items: list[str]) -> list[Requirement]:
    return [Requirement(item) for item in items]


def imported_modules() -> dict[str, str]:
    """Each top-level module the generator imports from outside itself and the standard
    library, with one place it is imported."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "generator" and top not in sys.stdlib_module_names:
                    found.setdefault(top, f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_every_module_the_generator_imports_is_a_declared_dependency():
    declared = {canonicalize_name(r.name) for r in requirements(PROJECT["dependencies"])}
    missing = {
        module: where
        for module, where in imported_modules().items()
        if canonicalize_name(DISTRIBUTION.get(module, module)) not in declared
    }
    assert not missing, f"imported but not in [project] dependencies: {missing}"
    assert {"markupsafe", "pydantic-core"} <= declared


def test_no_requirement_is_listed_twice():
    lists = {"dependencies": PROJECT["dependencies"], **PROJECT["optional-dependencies"]}
    for name, items in lists.items():
        names = [canonicalize_name(r.name) for r in requirements(items)]
        assert len(names) == len(set(names)), (name, sorted(names))


def test_the_current_rich_release_is_allowed():
    (rich,) = [r for r in requirements(PROJECT["dependencies"]) if r.name == "rich"]
    assert rich.specifier.contains("15.0.0") and rich.specifier.contains("13.0.0")


def test_the_licence_is_spdx_and_its_text_ships():
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) perfpages contributors\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    # hatchling reads license-files and the SPDX form from 1.27 (PEP 639).
    (backend,) = [
        r for r in requirements(PYPROJECT["build-system"]["requires"]) if r.name == "hatchling"
    ]
    assert not backend.specifier.contains("1.26.3")


def test_the_project_is_described_for_the_index():
    classifiers = PROJECT["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX field says it
    assert PROJECT["keywords"]


def test_every_symbolic_link_in_git_is_left_out_of_the_sdist():
    """An sdist cannot hold a link to an absolute path (building the wheel from it fails): the
    bad-input cases that are links out of their site are excluded by a pattern in pyproject."""
    import fnmatch
    import subprocess

    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    links = [line.split("\t", 1)[1] for line in listed.splitlines() if line.startswith("120000")]
    assert links, "the bad-input cases with links are gone: check this test"
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    excluded = config["tool"]["hatch"]["build"]["targets"]["sdist"]["exclude"]
    kept = [
        link
        for link in links
        if not any(fnmatch.fnmatch(link, p) or fnmatch.fnmatch(link, p + "/*") for p in excluded)
    ]
    assert kept == [], f"links the sdist would carry: {kept}"
