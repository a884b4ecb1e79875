"""The guide's scripts (guide/generate.py, guide/build.py) loaded as modules for tests."""

from __future__ import annotations

import importlib.util
from typing import Any

from tests.conftest import REPO


def guide_script(name: str) -> Any:
    """guide/ is a folder of scripts, not a package: load one by its path."""
    spec = importlib.util.spec_from_file_location(f"guide_{name}", REPO / "guide" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
