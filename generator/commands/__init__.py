"""The ``perfpages`` command line: each command a thin layer over the packages below it.

``cli`` defines the commands and their exit codes; ``serve`` is the live preview; ``authoring``
holds ``diff``, ``schema``, ``init`` and ``new``; ``scaffold`` writes new sites and indicator
files from ``starter/``; ``schema`` the JSON Schema editors use; ``reference`` the guide's
generated field and command reference; ``importing`` and ``import_open_sdg`` the ``import``
command; ``progress`` the progress bar shown on a terminal.
"""
