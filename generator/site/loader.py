"""Load a site folder: every file read, checked, and reported on, whatever the others hold.

Nothing stops at the first problem: each file is checked in full (``generator.site.validate``),
then the files are checked against each other (priorities exist, ids are unique, a report's
narrative is for a period once). There is one loader, strict or lenient:

- ``load_site`` is strict: the site, or None when any file has an error (build, check, serve);
- ``read_site`` is lenient: whatever could be read, errors or not (``perfpages diff`` compares
  what it can of a version of a site with errors).

Both report the same problems; ``load_site`` is ``read_site`` with the errors weighed.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any
from pathlib import Path

from generator.site.layout import (
    BREAKDOWNS_SUFFIX,
    CONFIG_FILE,
    CONTENT_DIR,
    DISAGGREGATIONS_DIR,
    INDICATORS_DIR,
    MAX_BREAKDOWNS_BYTES,
    REPORTS_DIR,
    RESERVED_FOLDERS,
    RESERVED_IDS,
    RESERVED_PAGES,
    ContentPage,
    FileCache,
    IndicatorFile,
    IndicatorRead,
    Site,
    SiteAsRead,
    content_files,
    disaggregation_files,
    indicator_files,
    rel_path,
    theme_files,
)
from generator.site.guards import MAX_TEXT_CHARS, page_address, remote_loads, text_problem
from generator.site.inputs import input_file
from generator.site.models import ID_RE, SiteConfig, long_name
from generator.site.periods import Period, PeriodError, parse_period
from generator.site.problems import Problems
from generator.site.validate import (
    stated_compare_with,
    stated_fy_start,
    stated_languages,
    validate_config,
    validate_indicator,
)
from generator.site.yaml_reader import (
    WHOLE_FILE,
    Document,
    decode_text,
    format_path,
    parse_yaml,
    read_yaml,
)


def load_site(root: Path, problems: Problems, cache: FileCache | None = None) -> Site | None:
    """Load and validate everything under ``root``; None when any error was found. With a
    ``cache`` (kept between runs by perfpages serve), unchanged indicator files are not read."""
    read = read_site(root, problems, cache)
    return None if problems.errors else read.site()


def read_site(root: Path, problems: Problems, cache: FileCache | None = None) -> SiteAsRead:
    """Read everything under ``root`` that can be read, reporting what ``load_site`` reports.

    The settings are kept when site_config.yml is valid, each indicator file that is valid on
    its own is kept whatever errors the others have (an unknown priority is an error of the
    site, not of the file), and every file with a usable id is listed with its YAML. Without a
    site_config.yml the folder is not a site yet: that is the one problem reported, and the
    files are still read.
    """
    missing = not os.path.lexists(root / CONFIG_FILE)
    if missing:
        problems.add(
            CONFIG_FILE,
            0,
            "",
            f"not found in {root}; every site needs one (run 'perfpages init {root}' to "
            "start a new site)",
            code="config.missing",
        )
    found = Problems() if missing else problems  # in a folder with no site, its one problem
    config, config_doc = read_config(root, found)
    fy_start = config.financial_year_start_month if config else stated_fy_start(config_doc)
    priority_ids = tuple(p.id for p in config.priorities) if config else None
    compare = config.ratings.compare_with if config else stated_compare_with(config_doc)
    languages = config.site.all_languages if config else stated_languages(config_doc)
    files = _load_indicators(root, (fy_start, priority_ids, compare, languages), found, cache)
    if config is not None and config_doc is not None:
        _check_services(config, config_doc, files, found)
    _check_breakdowns(root, files, found)
    prefer_financial = config is None or config.reporting_period.kind.name.startswith("FINANCIAL")
    pages, narratives, translated = _load_content(
        root, fy_start, prefer_financial, found, languages
    )
    # Read later (the theme by the generator, breakdowns as open data): checked now, so that
    # validate reports them and a build stops before writing anything.
    theme_files(root, found)
    disaggregation_files(root, found)
    return SiteAsRead(root, config, config_doc, files, pages, narratives, translated)


def read_config(root: Path, problems: Problems) -> tuple[SiteConfig | None, Document | None]:
    """site_config.yml on its own: the settings (None when they have errors) and the file as
    read (None when it is missing or is not YAML). A missing file is not reported here; one
    the input rule refuses (a link out of the project, a named pipe) is."""
    path = input_file(root, CONFIG_FILE, problems)
    if path is None:
        return None, None
    doc = read_yaml(path, CONFIG_FILE, problems)
    return (validate_config(doc, problems) if doc else None), doc


# ---- indicators/ ---------------------------------------------------------------------------------


def _load_indicators(
    root: Path,
    settings: Settings,
    problems: Problems,
    cache: FileCache | None = None,
) -> list[IndicatorRead]:
    """Every indicator file with a usable id (a valid name, not the site's own, not used
    twice), as read, checked against the site's ``Settings`` (its priority ids are None when
    site_config.yml failed)."""
    out: list[IndicatorRead] = []
    seen: dict[str, str] = {}
    for path in indicator_files(root, problems):
        rel = rel_path(root, path)
        indicator_id = path.stem
        if too_long := long_name(indicator_id):
            problems.add(rel, WHOLE_FILE, "", f"the file name {too_long}", code="id.too-long")
            continue
        if not ID_RE.fullmatch(indicator_id):
            fixed = re.sub(r"[^a-z0-9]+", "-", indicator_id.lower()).strip("-") or "my-indicator"
            problems.add(
                rel,
                WHOLE_FILE,
                "",
                f'the file name "{path.name}" is not a valid id (the name is the indicator\'s id '
                "and its web address): use lower-case letters, digits and single hyphens; "
                f"rename it to {fixed}{path.suffix}",
                code="id.invalid",
            )
            continue
        if indicator_id in RESERVED_IDS:
            problems.add(
                rel,
                0,
                "",
                f'the id "{indicator_id}" is used by the site itself (its pages or data files); '
                f"rename the file, e.g. my-{indicator_id}{path.suffix}",
                code="id.reserved",
            )
            continue
        if indicator_id in seen:
            problems.add(
                rel,
                WHOLE_FILE,
                "",
                f'has the id "{indicator_id}", already used by {seen[indicator_id]}; ids must be '
                "unique across all folders: rename one of the files",
                code="id.duplicate",
            )
            continue
        seen[indicator_id] = rel
        out.append(_read_indicator(path, rel, indicator_id, settings, problems, cache))
    return out


# The settings a file is checked against: the financial year's first month, the priority ids a
# file's priority may name, and the site's headline comparison (ratings: compare_with).
Settings = tuple[int, tuple[str, ...] | None, str, tuple[str, ...]]


def _read_indicator(
    path: Path,
    rel: str,
    indicator_id: str,
    settings: Settings,
    problems: Problems,
    cache: FileCache | None,
) -> IndicatorRead:
    if cache is None:
        return _read_indicator_file(path, rel, indicator_id, settings, problems)
    info = path.stat()
    key = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, settings)
    hit = cache.get(rel)
    if hit is not None and hit[0] == key:
        problems.extend(hit[2])
        return hit[1]
    found = Problems()
    indicator = _read_indicator_file(path, rel, indicator_id, settings, found)
    problems.extend(found)
    cache[rel] = (key, indicator, list(found))
    return indicator


def _read_indicator_file(
    path: Path, rel: str, indicator_id: str, settings: Settings, problems: Problems
) -> IndicatorRead:
    fy_start, priority_ids, compare, languages = settings
    own = Problems()
    doc = read_yaml(path, rel, own)
    model = validate_indicator(doc, fy_start, own, compare, languages) if doc is not None else None
    problems.extend(own)
    if doc is not None and priority_ids is not None:
        # Checked even when other fields failed, so that one run reports every problem.
        _check_priority(doc, priority_ids, problems)
    valid = None
    if doc is not None and model is not None and not own.errors:
        valid = IndicatorFile(indicator_id, doc, model)
    return IndicatorRead(indicator_id, rel, doc, valid)


def _check_priority(doc: Document, ids: tuple[str, ...], problems: Problems) -> None:
    priority = doc.data.get("priority") if isinstance(doc.data, dict) else None
    if not isinstance(priority, str) or priority in ids:
        return  # missing or not text: the model's own check reports it
    near = difflib.get_close_matches(priority, ids, n=1, cutoff=0.5)
    listed = ", ".join(ids)
    message = (
        f'"{priority}" is not a priority in {CONFIG_FILE}; did you mean {near[0]}? '
        f"(priorities: {listed})"
        if near
        else f'"{priority}" is not a priority in {CONFIG_FILE}; use one of its ids ({listed}), '
        "or add the priority there"
    )
    problems.add(doc.rel, doc.line(("priority",)), "priority", message, code="priority.unknown")


def _check_services(
    config: SiteConfig, doc: Document, files: list[IndicatorRead], problems: Problems
) -> None:
    """Each service named in ratings.services must be one an indicator writes in service:
    (a misspelt name would otherwise rate its measures silently by the other rules)."""
    if not config.ratings.services:
        return
    used = sorted(
        {
            f.doc.data["service"]
            for f in files
            if f.doc is not None
            and isinstance(f.doc.data, dict)
            and isinstance(f.doc.data.get("service"), str)
        },
        key=str.casefold,
    )
    for name in config.ratings.services:
        if name in used:
            continue
        where = ("ratings", "services", name)
        near = difflib.get_close_matches(name, used, n=1, cutoff=0.6)
        if not used:
            message = (
                f'"{name}" is not the service of any indicator, as no indicator has service:; '
                "add service: to the indicators it is for, or remove it from ratings.services"
            )
        elif near:
            message = (
                f'"{name}" is not the service of any indicator; did you mean {near[0]}? '
                f"(services indicators use: {', '.join(used)})"
            )
        else:
            message = (
                f'"{name}" is not the service of any indicator; write it exactly as indicators '
                f"write service: (services indicators use: {', '.join(used)}), or remove it"
            )
        problems.add(doc.rel, doc.line(where), format_path(where), message, code="service.unknown")


def _check_breakdowns(root: Path, files: list[IndicatorRead], problems: Problems) -> None:
    """Each indicator's breakdowns file (disaggregations/<id>.csv) is UTF-8, so that every cell
    is published with the formula guard, and its address is not another indicator's data."""
    ids = {f.id: f.rel for f in files}
    for read in files:
        path = root / DISAGGREGATIONS_DIR / f"{read.id}.csv"
        if not path.is_file():
            continue
        rel = rel_path(root, path)
        other = ids.get(read.id + BREAKDOWNS_SUFFIX)
        if other is not None:
            problems.add(
                other,
                WHOLE_FILE,
                "",
                f"has the id {read.id}{BREAKDOWNS_SUFFIX}, whose data files would have the "
                f"address of {read.id}'s breakdowns ({rel}): rename the file",
                code="id.data-taken",
            )
        size = path.stat().st_size
        if size > MAX_BREAKDOWNS_BYTES:
            problems.add(
                rel,
                WHOLE_FILE,
                "",
                f"is {size:,} bytes, over the limit of {MAX_BREAKDOWNS_BYTES:,} bytes for "
                "one indicator's breakdowns; keep fewer breakdowns",
                code="file.too-large",
            )
            continue
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            problems.add(
                rel,
                line,
                "",
                f"is not UTF-8 text (byte 0x{raw[e.start]:02X}), so its cells cannot be "
                "checked before they are published; save it as CSV UTF-8 (in Excel: Save As, "
                "CSV UTF-8 (Comma delimited))",
                code="file.encoding",
            )


# ---- content/ ----------------------------------------------------------------------------------


def _load_content(
    root: Path,
    fy_start: int,
    prefer_financial: bool,
    problems: Problems,
    languages: tuple[str, ...] = (),
) -> tuple[list[ContentPage], dict[Period, ContentPage], dict[Period, dict[str, ContentPage]]]:
    """The pages under content/, the narratives of the reports (content/reports/SLUG.md) by
    period, and, on a site of several languages, the narratives' translations
    (SLUG.<language>.md) by period and language; the pages' translations (about.cy.md) are
    pages with their ``language`` set. A page that would replace one perfpages writes, a
    narrative not named after a period and a second narrative for a period are reported and
    left out."""
    folder = root / CONTENT_DIR
    pages: list[ContentPage] = []
    narratives: dict[Period, ContentPage] = {}
    translated: dict[Period, dict[str, ContentPage]] = {}
    addresses: dict[str, str] = {}
    for path in content_files(root, problems):
        rel = rel_path(root, path)
        inner = path.relative_to(folder).as_posix()
        decoded = decode_text(path.read_bytes(), rel, problems)
        if decoded is None:
            continue
        text = decoded.replace("\r\n", "\n")
        language = _translation_language(inner, languages)
        if language is not None:
            inner = inner[: -len(f".{language}.md")] + ".md"
        page = ContentPage(path, rel, inner, text, language=language)
        if not _check_page(page, problems):
            continue
        parts = inner.split("/")
        if parts[0] == REPORTS_DIR and len(parts) == 2:
            stem = parts[1][: -len(".md")]
            period = period_from_slug(stem, fy_start, prefer_financial)
            if period is None:
                problems.add(
                    rel,
                    WHOLE_FILE,
                    "",
                    f'is in {CONTENT_DIR}/{REPORTS_DIR}/ but "{stem}" is not a period slug; '
                    "name it after its reporting period, e.g. 2019-20-q2.md",
                    code="content.report-name",
                )
                continue
            # A narrative by its period; a translation by its language, among its period's.
            shelf: dict[Any, ContentPage] = narratives
            key: Any = period
            if language is not None:
                shelf, key = translated.setdefault(period, {}), language
            if key in shelf:
                which = "" if language is None else f"{language} "
                first = _same(narratives, period) if language is None else period
                problems.add(
                    rel,
                    WHOLE_FILE,
                    "",
                    f"is a second {which}narrative for {first.label} (also {shelf[key].rel}); "
                    "keep one",
                    code="content.report-duplicate",
                )
            else:
                shelf[key] = _narrative(page, period, fy_start, problems)
            continue
        if inner in RESERVED_PAGES or parts[0] in RESERVED_FOLDERS:
            problems.add(
                rel,
                WHOLE_FILE,
                "",
                f"would replace a page perfpages generates (/{inner}); rename or move it",
                code="content.reserved",
            )
            continue
        if language is None and not _check_address(page, addresses, problems):
            continue
        pages.append(page)
    return pages, narratives, translated


def _translation_language(inner: str, languages: tuple[str, ...]) -> str | None:
    """The language of a content page's translation (about.cy.md: cy), on a site of several
    languages; None for a page in the default language."""
    for code in languages[1:]:
        if inner.endswith(f".{code}.md") and len(inner) > len(f".{code}.md"):
            return code
    return None


# The addresses of the pages perfpages generates outside its own folders (RESERVED_FOLDERS).
RESERVED_ADDRESSES = {"/", "/how-to-read/", "/accessibility/", "/404/"}


def _check_address(page: ContentPage, addresses: dict[str, str], problems: Problems) -> bool:
    """Whether ``page`` has an address of its own: MkDocs gives about.md and about/index.md
    (and about/README.md) the same one, and the later file would silently replace the other."""
    address = page_address(page.path)
    first = address.strip("/").split("/")[0]
    if address in RESERVED_ADDRESSES or first in RESERVED_FOLDERS:
        problems.add(
            page.rel,
            WHOLE_FILE,
            "",
            f"would have the address {address}, which is a page perfpages generates; "
            "rename or move it",
            code="content.reserved",
        )
        return False
    if address in addresses:
        problems.add(
            page.rel,
            WHOLE_FILE,
            "",
            f"would have the address {address}, as {addresses[address]} has; one would "
            "silently replace the other: rename or move one of them",
            code="content.address-taken",
        )
        return False
    addresses[address] = page.rel
    return True


# A content page is a file, not a field: it may be longer than one text (MAX_TEXT_CHARS).
MAX_PAGE_CHARS = 20 * MAX_TEXT_CHARS
_TEMPLATES = {"main.html"}
_TEMPLATE = re.compile(r"template\s*:\s*[\"']?([^\"'#\s]*)")


def _check_page(page: ContentPage, problems: Problems) -> bool:
    """Whether a content page can be published: a name that fits a file system, text that can
    be (size, control characters, brackets), a template that exists; and a warning for each
    resource it would load from another host."""
    for part in page.path.split("/"):
        if too_long := long_name(part):
            problems.add(
                page.rel, WHOLE_FILE, "", f'the name "{part}" {too_long}', code="content.name"
            )
            return False
    found = text_problem(page.text, MAX_PAGE_CHARS)
    if found is not None:
        problems.add(page.rel, found[0], "", found[1], code=found[2])
        return False
    lines = page.text.split("\n")
    if lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], 2):
            if line.strip() in ("---", "..."):
                break
            m = _TEMPLATE.match(line)
            if m and m[1] not in _TEMPLATES:
                problems.add(
                    page.rel,
                    number,
                    "template",
                    f'"{m[1]}" is not a template of the site; remove this line (a content page '
                    "uses the site's own template)",
                    code="content.template",
                )
                return False
    _check_remote_loads(page, problems)
    return True


NARRATIVE_FIELDS = ("about",)


def _narrative(page: ContentPage, period: Period, fy_start: int, problems: Problems) -> ContentPage:
    """A report's narrative, with its front matter (between ``---`` lines at the top) read and
    taken out. The front matter's lines become blank lines, so every line of the text keeps
    its number in messages. ``about:`` names the period the text describes, when it is not
    the report's own."""
    lines = page.text.split("\n")
    if lines[0].strip() != "---":
        return page
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.add(
            page.rel,
            1,
            "",
            "starts front matter with --- but has no closing --- line; add one after the "
            "last field (about: ...)",
            code="content.front-matter",
        )
        return page
    # Parsed with the first line blank, so that YAML's line numbers are the file's own.
    raw = ("\n" + "\n".join(lines[1:end]) + "\n").encode("utf-8")
    doc = parse_yaml(raw, page.source, page.rel, problems)
    body = "\n" * end + "\n".join(lines[end + 1 :])
    kept = ContentPage(page.source, page.rel, page.path, body)
    if doc is None or doc.data is None:
        return kept
    if not isinstance(doc.data, dict):
        problems.add(
            page.rel,
            2,
            "",
            "front matter must be fields such as about: 2019/20 Q1",
            code="content.front-matter",
        )
        return kept
    for key, value in doc.data.items():
        line = doc.line((key,))
        if key not in NARRATIVE_FIELDS:
            problems.add(
                page.rel,
                line,
                str(key),
                f"is not a field of a report's narrative; the fields are: "
                f"{', '.join(NARRATIVE_FIELDS)}",
                code="content.front-matter",
            )
            continue
        try:
            about = parse_period(value, fy_start)
        except PeriodError as e:
            problems.add(page.rel, line, "about", str(e), code="content.front-matter")
            continue
        if about.end > period.end:
            problems.add(
                page.rel,
                line,
                "about",
                f"{about.label} ends after {period.label}, the period this narrative's report "
                f"is for; a report cannot describe a later period (rename the file, or correct "
                f"about:)",
                code="content.front-matter",
            )
            continue
        kept.about = about if about != period else None
    return kept


def _check_remote_loads(page: ContentPage, problems: Problems) -> None:
    """Warn about images, embeds and style sheets a content page would load from another
    host: the site promises readers that viewing it contacts no one else (links are fine:
    they are clicked)."""
    for number, what, url in remote_loads(page.text):
        problems.warn(
            page.rel,
            number,
            "",
            f"the {what} {url} would be loaded from another host whenever the page is "
            "viewed; save the file under content/ and use its file name, or make it a "
            f"link: [description]({url})",
            code="content.remote",
        )


def _same(narratives: dict[Period, ContentPage], period: Period) -> Period:
    """The period already in ``narratives`` that covers the same days as ``period``."""
    return next(p for p in narratives if p == period)


def period_from_slug(slug: str, fy_start: int, prefer_financial: bool = True) -> Period | None:
    """The period a slug names (2019-20-q2, 2019-q3, 2019-07, 2019-09-30, 2019-20, 2019).

    ``2011-12`` could be December 2011 or the financial year 2011/12; ``prefer_financial``
    decides, following the form of the site's reporting period.
    """
    candidates: list[str] = []
    if m := re.fullmatch(r"(\d{4})-(\d{2})-q([1-4])", slug):
        candidates = [f"{m[1]}/{m[2]} Q{m[3]}"]
    elif m := re.fullmatch(r"(\d{4})-q([1-4])", slug):
        candidates = [f"{m[1]} Q{m[2]}"]
    elif re.fullmatch(r"\d{4}(?:-\d{2}-\d{2})?", slug):
        candidates = [slug]
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", slug):
        month, financial = slug, f"{m[1]}/{m[2]}"
        candidates = [financial, month] if prefer_financial else [month, financial]
    for text in candidates:
        try:
            return parse_period(text, fy_start)
        except PeriodError:
            continue
    return None
