"""The pipeline: load -> validate -> assess -> render -> write -> MkDocs -> publish.

``build`` reads like the pipeline; each stage lives in the module named after it. Any problem in
the user's files stops the run before anything is written, and the published site is only
replaced once MkDocs has built the new one completely.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import i18n, mkdocs_messages
from generator.assess import Assessed, assess_site
from generator.mkdocs_config import mkdocs_config, mkdocs_yaml
from generator.problems import Problems, UserError
from generator.progress import NullProgress
from generator.render import Output, all_outputs, content_outputs
from generator.validate import Site, load_site
from generator.write import (
    WriteStats,
    clean_staging,
    folder_lock,
    publish,
    read_tree,
    staging_dir,
    sync_tree,
)

WORK_DIR = "build"
SITE_DIR = "site"


def builtin_theme_dir() -> Path:
    """The theme shipped with perfpages: in the package when installed, else the repository's."""
    packaged = Path(__file__).parent / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "theme"


@dataclass
class Generated:
    """What the generator stage produced in the work folder."""

    site: Site
    assessed: list[Assessed]
    work: Path
    problems: Problems
    stats: WriteStats = field(default_factory=WriteStats)

    @property
    def mkdocs_file(self) -> Path:
        return self.work / "mkdocs.yml"


def check(root: Path, strict: bool = False) -> tuple[Site, list[Assessed], Problems]:
    """Load, validate and assess; raise UserError when the build must not go on."""
    problems = Problems()
    site = load_site(root, problems)
    if site is None:
        raise UserError(problems)
    i18n.set_language(site.config.site.language)
    assessed = assess_site(site, problems)
    if problems.failed(strict):
        raise UserError(problems)
    return site, assessed, problems


def generate(
    root: Path, output: Path, strict: bool = False, progress: NullProgress | None = None
) -> Generated:
    """The generator stage: the docs folder, theme and mkdocs.yml in ``root/build``."""
    progress = progress or NullProgress()
    root = root.resolve()
    with progress.stage("Checking files"):
        site, assessed, problems = check(root, strict)
    work = root / WORK_DIR
    with progress.stage(f"Writing pages for {len(assessed)} indicators"):
        outputs: list[Output] = all_outputs(site, assessed)
        files = [(o.path, o.data) for o in outputs]
        files += [(o.path, o.data) for o in content_outputs(site)]
        stats = sync_tree(work / "docs", files)
        theme = read_tree(builtin_theme_dir())
        site_theme = root / "theme"
        if site_theme.is_dir() and site_theme.resolve() != builtin_theme_dir().resolve():
            overrides = dict(read_tree(site_theme))
            theme = [(p, overrides.pop(p, data)) for p, data in theme] + sorted(overrides.items())
        sync_tree(work / "theme", theme)
        config = mkdocs_config(site, work / "theme", staging_dir(work, output))
        sync_tree_file(work / "mkdocs.yml", mkdocs_yaml(config))
    return Generated(site, assessed, work, problems, stats)


def sync_tree_file(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(
    root: Path,
    output: Path | None = None,
    strict: bool = False,
    progress: NullProgress | None = None,
) -> Generated:
    """Build the site in ``root`` into ``output`` (default ``root/site``)."""
    progress = progress or NullProgress()
    root = root.resolve()
    output = (output or root / SITE_DIR).absolute()
    with folder_lock(root, _say_waiting):
        generated = generate(root, output, False, progress)
        staging = staging_dir(generated.work, output)
        clean_staging(staging)
        pages = sum(1 for _ in (generated.work / "docs").rglob("*.md"))
        with progress.stage("Building the site with MkDocs", total=pages) as advance:
            run_mkdocs(generated, False, advance)
        if strict and generated.problems.warnings:
            # Under --strict every warning fails the build, but only after MkDocs has run, so
            # the broken links it finds are reported in the same run as the generator's warnings.
            clean_staging(staging)
            raise UserError(generated.problems)
        with progress.stage("Publishing"):
            publish(staging, output)
    return generated


def _say_waiting() -> None:
    print("Waiting for another build of this folder to finish...", file=sys.stderr, flush=True)


def build_timestamp(site: Site) -> int:
    """A fixed build time (the end of the reporting period): the same input, the same bytes."""
    end = site.config.reporting_period.end
    moment = dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC)
    return int(moment.timestamp())


class _Capture(logging.Handler):
    """Turns MkDocs' warnings into problems that name the user's own file."""

    def __init__(self, generated: Generated, advance: Callable[[], None]) -> None:
        super().__init__(logging.DEBUG)
        self.generated = generated
        self.advance = advance
        self.sources = {p.path: p.rel for p in generated.site.pages}
        self.texts = mkdocs_messages.sources(generated.site)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno < logging.WARNING:
            if message.startswith("Reading: "):
                self.advance()
            return
        explained = mkdocs_messages.explain(message, self.texts)
        if explained:
            self.generated.problems.warn(
                explained.file, explained.line, "", explained.message, code="content.link"
            )
            return
        file, rest = "build/mkdocs.yml", message
        for docs_path, source in self.sources.items():
            if f"'{docs_path}'" in message:
                file, rest = source, message.replace(f"'{docs_path}'", f"'{source}'")
                break
        self.generated.problems.warn(file, 0, "", rest, code="mkdocs.warning")


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


def run_mkdocs(
    generated: Generated, strict: bool, advance: Callable[[], None] | None = None
) -> None:
    """A real MkDocs build of the generated folder, in this process."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logger = logging.getLogger("mkdocs")
    handler = _Capture(generated, advance or (lambda: None))
    reading = logging.getLogger("mkdocs.commands.build")
    old_level = reading.level
    reading.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        with _environment("SOURCE_DATE_EPOCH", str(build_timestamp(generated.site))):
            config = load_config(config_file=str(generated.mkdocs_file), strict=strict)
            mkdocs_build(config)
    except (Abort, ConfigurationError) as error:
        if not generated.problems.warnings:
            generated.problems.add("build/mkdocs.yml", 0, "", str(error), code="mkdocs.error")
        raise UserError(generated.problems) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
        reading.setLevel(old_level)
