"""Bringing data in: a quarter's spreadsheet into the YAML files, and Open SDG repositories.

- ``tables``, ``columns``, ``cells``: read CSV/XLSX rows and understand their cells;
- ``spreadsheet``: plan what a spreadsheet changes in the indicator files;
- ``rewrite``: the new text of each changed file, checked;
- ``yaml_edit``: make those changes in place, keeping comments, key order and layout;
- ``apply``: validate the resulting site, then write every file atomically (or none);
- ``opensdg``: convert an Open SDG data repository into a new perfpages site.

The ``perfpages import`` command itself is ``generator.commands.importing``.
"""
