"""perfpages: indicator YAML and Markdown pages to an accessible static performance website."""

__version__ = "0.1.0"
