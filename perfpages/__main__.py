"""``python -m perfpages``: the same as the ``perfpages`` command."""

from generator.commands.cli import run

run()
