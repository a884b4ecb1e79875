"""Rendering: the assessed site into the docs folder MkDocs builds (Markdown pages and data).

``pages`` holds the ``Renderer``, which makes every page from the Jinja templates in
``templates/``; ``reports`` the reports by period and their printable versions; ``charts`` the
Plotly chart data, ``sparkline`` the printed report's static SVG, ``summaries`` the sentences
that describe a chart; ``feed`` the Atom feed; ``opendata`` the CSV, JSON and Data Package
files; ``formatting`` numbers as readers write them; ``text`` the one place where user text
becomes markup (safely); ``filters`` the templates' filters; ``output`` the ``Output`` type and
relative links. Renderers make bytes; they never write files (``generator.output`` does).
"""
