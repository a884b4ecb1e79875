"""perfpages: indicator YAML and Markdown pages to an accessible static performance website.

The packages follow a build, in order (``pipeline.build`` runs them; ``ls generator/`` reads
the same way):

- ``site``: the site's files as read: YAML with line numbers, periods, the typed models, the
  loader (strict, or lenient for comparisons), and problems reported as ``file:line: message``;
- ``assess``: ratings, directions of travel, summaries, and the position at every period;
- ``render``: the docs folder's Markdown pages, charts, reports by period, feed and open data;
- ``output``: writing only what changed, the atomic publish, the folder lock, forked work;
- ``mkdocs``: the generated ``mkdocs.yml`` and MkDocs' build (the only package that knows
  MkDocs' internals);
- ``pipeline``: load -> assess -> render -> write -> MkDocs -> publish, as one function;

and the tools built on it:

- ``diff``: what a change does to the site, for pull requests;
- ``importers``: a quarter's spreadsheet into the YAML files, and Open SDG repositories;
- ``commands``: the ``perfpages`` command line, ``serve``, ``init``, ``new``, ``schema``.

Each package imports only from packages above it in this list (tests/architecture).
"""

try:  # written from the git tag when perfpages is built or installed (pyproject.toml)
    from generator._version import __version__ as __version__
except ImportError:  # the source files alone, never installed: not a release
    __version__ = "0.0.0.dev0"

# Where perfpages lives: the sites `perfpages init` makes install it from here (a release's
# tag), and pyproject.toml's [project.urls] name it too (tests/architecture/test_release.py).
REPOSITORY = "https://github.com/perfpages/perfpages"
