"""MkDocs, the last stage: the generated docs folder built into the HTML site.

``config`` makes mkdocs.yml from the site's settings; ``run`` is one build as perfpages runs it
(a fixed build time, MkDocs' warnings as problems, MkDocs' abort as a ``UserError``); ``build``
is ``mkdocs build`` with the pages outside the navigation shared out between processes;
``preview`` rebuilds only the edited pages for ``perfpages serve``; ``messages`` turns MkDocs'
warnings into problems that name the user's own file and line; ``internals`` is the only module
touching MkDocs' private API (functions, attributes, log wording) and checks them against the
installed MkDocs (``check_mkdocs``). No module outside this package imports MkDocs
(tests/architecture)."""
