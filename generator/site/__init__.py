"""The site's files as read: ``site_config.yml``, ``indicators/`` and ``content/`` turned into
the typed site every later stage works from. ``yaml_reader`` reads YAML safely, keeping the line
of every field (``yaml_errors`` explains a file YAML cannot read); ``periods`` reads the six
written forms of a reporting period; ``models`` holds the typed models of the files, with every
default named once; ``layout`` names the site's files and folders and holds the site's own types
(``Site``, ``IndicatorFile``, ``ContentPage``); ``validate`` turns one document into a model;
``loader`` is the one loader, strict (``load_site``: the site, or None when a file has an error)
or lenient (``read_site``: whatever could be read, for ``perfpages diff``); every problem is
reported by ``problems`` as ``file:line: field: message``; and ``i18n`` holds the interface's
wording, one file per language.
"""
