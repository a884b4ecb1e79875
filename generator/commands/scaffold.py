"""Starting out: a new site (``perfpages init``) and a new indicator file (``perfpages new``).

The files written come from ``generator/commands/starter/``: ``site/`` is copied into the new site
(``dot-`` at the start of a name becomes ``.``), ``ci/`` holds the CI files for each host and
``new/`` the commented indicator files. ``@@name@@`` marks a value filled in when writing;
the more usual ``{{ }}`` would clash with GitHub's own ``${{ }}`` expressions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import REPOSITORY, __version__
from generator.site.periods import FINANCIAL_YEAR_START_MONTH, Period, PeriodKind

SCAFFOLD = Path(__file__).parent / "starter"
_PLACEHOLDER = re.compile(r"@@([a-z_]+)@@")

CI_FILES = {
    "github": ("github-workflow.yml", ".github/workflows/perfpages.yml"),
    "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
}
# Written beside each host's CI file: Dependabot keeps GitHub's pinned actions and the
# requirements up to date (GitLab has no Dependabot).
CI_EXTRA_FILES = {
    "github": [("dependabot.yml", ".github/dependabot.yml")],
    "gitlab": [],
}
SITE_INSTALL = "python -m pip install -r requirements.txt"

# A release's version, as its tag names it (v1.2.0, v1.3.0rc1); a development version
# (1.2.1.dev3+g1a2b3c4, from commits after a tag) has no tag.
_RELEASE = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?")
DEVELOPMENT_BRANCH = "main"


@dataclass(frozen=True)
class InstallSource:
    """Where a new site installs perfpages from: the tag of the release that made it.

    ``requirement`` is the line of requirements.txt; ``rev`` the pre-commit hook's revision
    (the same tag). A development version, which no tag names, installs the main branch and
    says so (``warning``): never a version number no package index or tag has."""

    version: str
    release: bool
    requirement: str
    rev: str

    @property
    def warning(self) -> str:
        return (
            f"perfpages {self.version} is a development version, not a release: "
            f"requirements.txt and .pre-commit-config.yaml install the {self.rev} branch of "
            f"{REPOSITORY}; before publishing, write a release's tag there instead "
            f"(e.g. v1.0.0; the releases: {REPOSITORY}/releases)"
        )


def install_source(version: str = "") -> InstallSource:
    """Where a site made by perfpages ``version`` (default: this one) installs it from."""
    version = version or __version__
    release = bool(_RELEASE.fullmatch(version))
    rev = f"v{version}" if release else DEVELOPMENT_BRANCH
    return InstallSource(version, release, f"perfpages @ git+{REPOSITORY}@{rev}", rev)


class ScaffoldError(Exception):
    """A reason not to write (the folder is in use, the id is taken); nothing was written."""


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each @@name@@; a name without a value is a mistake in the template."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for @@{name}@@")
        return values[name]

    return _PLACEHOLDER.sub(one, text)


def ci_file(
    host: str, install: str = SITE_INSTALL, extra_build: str = "", extra_preview: str = ""
) -> str:
    """The CI configuration for ``host`` (github or gitlab), as ``init`` writes it; this
    repository's own adds steps after the site's build (``extra_build``) and its preview's
    (``extra_preview``)."""
    template = (SCAFFOLD / "ci" / CI_FILES[host][0]).read_text(encoding="utf-8")
    values = {"install": install, "extra_build": extra_build, "extra_preview": extra_preview}
    return fill(template, values)


# ---- perfpages init --------------------------------------------------------------------------


def last_quarter(today: dt.date, fy_start_month: int = FINANCIAL_YEAR_START_MONTH) -> Period:
    """The most recent financial quarter to have ended before ``today``."""
    months_in = (today.month - fy_start_month) % 12
    fy_year = today.year if today.month >= fy_start_month else today.year - 1
    current = Period(PeriodKind.FINANCIAL_QUARTER, fy_year, months_in // 3 + 1)
    return current.previous()


@dataclass(frozen=True)
class NewSite:
    root: Path
    files: list[Path]
    period: Period


def is_free(folder: Path) -> bool:
    """Empty, or holding nothing but a git repository (a fresh clone of an empty repository)."""
    if not folder.exists():
        return True
    return all(child.name == ".git" for child in folder.iterdir())


def init_site(folder: Path, ci: str = "github", today: dt.date | None = None) -> NewSite:
    """Write a new site that builds with --strict at once; refuse a folder already in use."""
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file; give the name of a new folder")
    if not is_free(folder):
        raise ScaffoldError(
            f"{folder} is not empty; perfpages init only writes into a new or empty folder, so "
            "that nothing of yours is overwritten. Give a new folder's name, e.g. "
            "perfpages init my-council-performance"
        )
    period = last_quarter(today or dt.date.today())
    values = _site_values(period)
    files: dict[str, str] = {}
    source = SCAFFOLD / "site"
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = path.relative_to(source).as_posix()
        rel = "/".join(_dotted(part) for part in rel.split("/"))
        rel = rel.replace("PERIOD", period.slug)
        files[rel] = fill(path.read_text(encoding="utf-8"), values)
    if ci != "none":
        files[CI_FILES[ci][1]] = ci_file(ci)
        for template, rel in CI_EXTRA_FILES[ci]:
            files[rel] = (SCAFFOLD / "ci" / template).read_text(encoding="utf-8")
    from generator.commands.schema import SCHEMA_DIR, schema_files

    written = [_write(folder / rel, text.encode("utf-8")) for rel, text in files.items()]
    written += [_write(folder / SCHEMA_DIR / name, data) for name, data in schema_files().items()]
    return NewSite(folder, sorted(written), period)


def _dotted(name: str) -> str:
    return "." + name[len("dot-") :] if name.startswith("dot-") else name


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _site_values(period: Period) -> dict[str, str]:
    """The values filled into the starter site's templates for its reporting period: five
    quarters of example values ending at ``period``, a project's updates for the last two
    quarters, its milestones (one done, one next quarter), and where perfpages is installed
    from (the release that made the site)."""
    quarters = [period]
    for _ in range(4):
        quarters.insert(0, quarters[0].previous())
    figures = ["76.4", "78.9", "77.2", "81.5", "83.0"]
    values = "\n".join(
        f"  - period: {q.text}\n    value: {figure}"
        for q, figure in zip(quarters, figures, strict=True)
    )
    updates = "\n".join(
        [
            f"  - period: {quarters[-2].text}",
            "    rating: amber                           # green | amber | red | blue (closed)",
            "    progress: missed_milestone              # or achieved_milestone, progressing",
            "    commentary: The planning application was delayed by a month.",
            f"  - period: {period.text}",
            "    rating: green",
            "    progress: achieved_milestone",
            "    commentary: |",
            "      Planning permission was granted. The contractor will be appointed next quarter.",
        ]
    )
    done = period.end
    next_year = period.year + 1 if period.number == 4 else period.year
    next_quarter = Period(PeriodKind.FINANCIAL_QUARTER, next_year, period.number % 4 + 1)
    return {
        "period": period.text,
        "period_slug": period.slug,
        "measure_values": values,
        "project_updates": updates,
        "milestone_done": f"{done.year}-{done.month:02d}",
        "milestone_next": next_quarter.text,
        **_install_values(install_source()),
    }


def site_file(name: str) -> str:
    """A starter file about installing perfpages (``requirements.txt``,
    ``dot-pre-commit-config.yaml``) as ``init`` writes it, for the guide."""
    text = (SCAFFOLD / "site" / name).read_text(encoding="utf-8")
    return fill(text, _install_values(install_source()))


def _install_values(source: InstallSource) -> dict[str, str]:
    note = "" if source.release else "".join(f"# {line}\n" for line in _wrap(source.warning))
    return {
        "version": source.version,
        "repository": REPOSITORY,
        "requirement": note + source.requirement,
        "rev": source.rev,
    }


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=94, break_on_hyphens=False, break_long_words=False)


# ---- perfpages new ---------------------------------------------------------------------------


def title_from_id(indicator_id: str) -> str:
    words = indicator_id.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def new_indicator(
    root: Path,
    indicator_id: str,
    kind: str,
    priority: str,
    priorities: list[str],
    period: Period,
) -> Path:
    """Write ``indicators/<id>.yml``; refuse an id already used anywhere under indicators/."""
    folder = root / "indicators"
    if folder.is_dir():
        for existing in sorted(folder.rglob("*")):
            if existing.suffix in (".yml", ".yaml") and existing.stem == indicator_id:
                rel = existing.relative_to(root).as_posix()
                raise ScaffoldError(
                    f"{rel} already has the id {indicator_id}; ids are unique across all "
                    "folders and are never reused for a different measure: choose another id"
                )
    path = folder / f"{indicator_id}.yml"
    from generator.commands.schema import INDICATOR_SCHEMA, SCHEMA_DIR

    template = (SCAFFOLD / "new" / f"{kind}.yml").read_text(encoding="utf-8")
    text = fill(
        template,
        {
            "schema": f"../{SCHEMA_DIR}/{INDICATOR_SCHEMA}",
            "id": indicator_id,
            "title": title_from_id(indicator_id),
            "priority": priority,
            "priorities": ", ".join(priorities),
            "period": period.text,
        },
    )
    return _write(path, text.encode("utf-8"))
