"""One MkDocs build of the generated folder, as perfpages runs it.

The build time is fixed (``SOURCE_DATE_EPOCH``, the end of the reporting period) so that the
same input gives the same bytes; MkDocs' warnings become problems that name the user's own
file (``messages``); the build is shared out between processes on large sites (``build``); and
MkDocs' own abort becomes a ``UserError`` carrying every problem found, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.mkdocs import build, messages
from generator.site.layout import Site
from generator.site.problems import Problems, UserError

CONFIG_FILE = "build/mkdocs.yml"  # as the user sees it, in messages


def build_timestamp(site: Site) -> int:
    """A fixed build time (the end of the reporting period): the same input, the same bytes."""
    end = site.config.reporting_period.end
    moment = dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC)
    return int(moment.timestamp())


def run(
    config_file: Path,
    site: Site,
    problems: Problems,
    indicators: int,
    *,
    strict: bool = False,
    advance: Callable[[], None] | None = None,
    site_dir: Path | None = None,
) -> None:
    """Build ``config_file`` with MkDocs into ``site_dir`` (default: the file's), in several
    processes from ``build.PARALLEL_THRESHOLD`` indicators, adding its warnings to
    ``problems``; ``advance`` is called for each page read.
    Raises ``UserError`` when MkDocs stops."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logger = logging.getLogger("mkdocs")
    handler = _ProblemsFromLog(site, problems, advance or (lambda: None))
    reading = logging.getLogger(messages.PROGRESS_LOGGER)
    old_level = reading.level
    reading.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        with _environment("SOURCE_DATE_EPOCH", str(build_timestamp(site))):
            given = {"site_dir": str(site_dir)} if site_dir else {}
            config = load_config(config_file=str(config_file), strict=strict, **given)
            build.build_pages(config, build.processes_for(indicators))
    except (Abort, ConfigurationError) as error:
        if not problems.warnings:
            problems.add(CONFIG_FILE, 0, "", str(error), code="mkdocs.error")
        raise UserError(problems) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
        reading.setLevel(old_level)


class _ProblemsFromLog(logging.Handler):
    """Turns MkDocs' warnings into problems that name the user's own file."""

    def __init__(self, site: Site, problems: Problems, advance: Callable[[], None]) -> None:
        super().__init__(logging.DEBUG)
        self.problems = problems
        self.advance = advance
        self.sources = {p.path: p.rel for p in site.pages}
        self.texts = messages.sources(site)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno < logging.WARNING:
            if messages.reads_page(message):
                self.advance()
            return
        explained = messages.explain(message, self.texts)
        if explained:
            self.problems.warn(
                explained.file, explained.line, "", explained.message, code="content.link"
            )
            return
        file, rest = CONFIG_FILE, message
        for docs_path, source in self.sources.items():
            if f"'{docs_path}'" in message:
                file, rest = source, message.replace(f"'{docs_path}'", f"'{source}'")
                break
        self.problems.warn(file, 0, "", rest, code="mkdocs.warning")


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old
