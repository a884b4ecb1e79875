"""An Open SDG data repository converted into a new perfpages site.

``repo`` reads the repository, ``headline`` picks each indicator's headline series, ``years``
reads the Year column as periods, ``units`` the units, ``html_text`` the metadata's HTML,
``convert`` writes one indicator, ``site`` the whole site and the conversion notes;
``generator/commands/import_open_sdg.py`` runs it.
"""
