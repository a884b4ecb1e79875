"""perfpages under its own name: ``python -m perfpages`` and ``import perfpages``.

The code lives in the ``generator`` package; this package only gives it the project's name.
"""

from generator import REPOSITORY, __version__
from generator.commands.cli import main

__all__ = ["REPOSITORY", "__version__", "main"]
