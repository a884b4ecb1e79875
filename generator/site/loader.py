"""Turn the loaded YAML of a site folder into typed models, reporting every problem in every file.

Nothing stops at the first problem: each file is checked in full, then the files are checked
against each other (priorities exist, ids are unique, no period is given twice).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.site.yaml_reader import (
    WHOLE_FILE,
    Document,
    FieldPath,
    YamlFloat,
    decode_text,
    format_path,
    read_yaml,
)
from generator.site.models import (
    ID_RE,
    Measure,
    Model,
    Project,
    SiteConfig,
)
from generator.site.periods import Period, PeriodError, parse_period
from generator.site.problems import Problem, Problems

CONFIG_FILE = "site_config.yml"
INDICATORS_DIR = "indicators"
CONTENT_DIR = "content"
REPORTS_DIR = "reports"

# Paths the generator writes; a content page there would silently replace a generated page.
RESERVED_PAGES = {"index.md", "how-to-read.md", "accessibility.md", "404.md"}
# Ids whose files would replace the site's own: indicators/index.md (the all-indicators page),
# data/indicators.csv and .json (every indicator), data/datapackage.json (the data package).
RESERVED_IDS = {"index", "indicators", "datapackage"}
RESERVED_FOLDERS = {"priorities", "indicators", "data", "reports", "assets", "search"}


@dataclass
class IndicatorFile:
    id: str
    doc: Document
    model: Measure | Project

    @property
    def rel(self) -> str:
        return self.doc.rel

    def line(self, *path: str | int) -> int:
        return self.doc.line(path)


@dataclass
class ContentPage:
    source: Path
    rel: str  # as shown in messages: content/about.md
    path: str  # inside the docs folder: about.md
    text: str


@dataclass
class Site:
    root: Path
    config: SiteConfig
    config_doc: Document
    indicators: list[IndicatorFile]
    pages: list[ContentPage]
    narratives: dict[Period, ContentPage] = field(default_factory=dict)

    @property
    def priority_ids(self) -> list[str]:
        return [p.id for p in self.config.priorities]


def rel_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_site(root: Path, problems: Problems, cache: FileCache | None = None) -> Site | None:
    """Load and validate everything under ``root``; None when any error was found. With a
    ``cache`` (kept between runs by perfpages serve), unchanged indicator files are not read."""
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        problems.add(
            CONFIG_FILE,
            0,
            "",
            f"not found in {root}; every site needs one (run 'perfpages init {root}' to "
            "start a new site)",
            code="config.missing",
        )
        return None
    config_doc = read_yaml(config_path, CONFIG_FILE, problems)
    config = _validate_config(config_doc, problems) if config_doc else None
    fy_start = config.financial_year_start_month if config else _fy_guess(config_doc)
    priority_ids = tuple(p.id for p in config.priorities) if config else None
    indicators = _load_indicators(root, fy_start, priority_ids, problems, cache)
    prefer_financial = config is None or config.reporting_period.kind.name.startswith("FINANCIAL")
    pages, narratives = _load_content(root, fy_start, prefer_financial, problems)
    if config is None or config_doc is None or problems.errors:
        return None
    return Site(root, config, config_doc, indicators, pages, narratives)


def _fy_guess(doc: Document | None) -> int:
    if doc and isinstance(doc.data, dict):
        month = doc.data.get("financial_year_start_month")
        if isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12:
            return month
    return 4


# ---- site_config.yml ---------------------------------------------------------------------------


def _validate_config(doc: Document, problems: Problems) -> SiteConfig | None:
    if doc.data is None:
        problems.add(
            doc.rel,
            WHOLE_FILE,
            "",
            "is empty; a site needs at least site: (title and organisation), "
            "reporting_period: and priorities: ('perfpages init DIR' writes a commented example)",
            code="file.empty",
        )
        return None
    if not _is_mapping(doc, problems, "site: ..., reporting_period: ..., priorities: ..."):
        return None
    config = validate_model(
        SiteConfig, doc, problems, {"financial_year_start_month": _fy_guess(doc)}
    )
    if config is None:
        return None
    assert isinstance(config, SiteConfig)
    seen: dict[str, int] = {}
    for index, priority in enumerate(config.priorities):
        line = doc.line(("priorities", index, "id"))
        if priority.id in seen:
            problems.add(
                doc.rel,
                line,
                f"priorities[{index}].id",
                f'"{priority.id}" is used twice (first at line {seen[priority.id]}); '
                "give each priority its own id",
                code="priority.duplicate",
            )
        seen.setdefault(priority.id, line)
    return config


# ---- indicators/ ---------------------------------------------------------------------------------


def _indicator_files(root: Path) -> list[Path]:
    folder = root / INDICATORS_DIR
    if not folder.is_dir():
        return []
    files = [p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _load_indicators(
    root: Path,
    fy_start: int,
    priority_ids: tuple[str, ...] | None,
    problems: Problems,
    cache: FileCache | None = None,
) -> list[IndicatorFile]:
    """Every valid indicator file; ``priority_ids`` (None when site_config.yml failed) are the
    ids a file's priority may name."""
    out: list[IndicatorFile] = []
    seen: dict[str, str] = {}
    base = (root / INDICATORS_DIR).resolve()
    for path in _indicator_files(root):
        rel = rel_path(root, path)
        if not path.resolve().is_relative_to(base):
            problems.add(
                rel,
                WHOLE_FILE,
                "",
                "is a link to a file outside indicators/; copy the file in instead",
                code="file.outside",
            )
            continue
        indicator_id = path.stem
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
        indicator = _read_indicator(
            path, rel, indicator_id, (fy_start, priority_ids), problems, cache
        )
        if indicator is not None:
            out.append(indicator)
    return out


# perfpages serve keeps each file's outcome, keyed by what stat() says of the file: an edit
# re-reads one file, not every file of the site.
# The settings a file is checked against: the financial year's first month, the priority ids.
Settings = tuple[int, tuple[str, ...] | None]
FileCache = dict[str, tuple[tuple[object, ...], IndicatorFile | None, list[Problem]]]


def _read_indicator(
    path: Path,
    rel: str,
    indicator_id: str,
    settings: Settings,
    problems: Problems,
    cache: FileCache | None,
) -> IndicatorFile | None:
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
) -> IndicatorFile | None:
    doc = read_yaml(path, rel, problems)
    if doc is None:
        return None
    fy_start, priority_ids = settings
    model = validate_indicator(doc, fy_start, problems)
    if priority_ids is not None:
        # Checked even when other fields failed, so that one run reports every problem.
        _check_priority(doc, priority_ids, problems)
    return IndicatorFile(indicator_id, doc, model) if model is not None else None


def validate_indicator(
    doc: Document, fy_start: int, problems: Problems
) -> Measure | Project | None:
    if doc.data is None:
        problems.add(
            doc.rel,
            WHOLE_FILE,
            "",
            "is empty; an indicator needs at least title, priority, polarity and values "
            "('perfpages new ID' writes a commented example)",
            code="file.empty",
        )
        return None
    if not _is_mapping(doc, problems, "title: ..., priority: ..., values: ..."):
        return None
    kind = doc.data.get("kind", "measure")
    if kind not in ("measure", "project"):
        near = difflib.get_close_matches(str(kind), ["measure", "project"], n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]}?" if near else ""
        problems.add(
            doc.rel,
            doc.line(("kind",)),
            "kind",
            f"{_show(kind)} is not a kind of indicator: write measure or project{hint}",
            code="field.choice",
        )
        return None
    cls: type[Measure] | type[Project] = Project if kind == "project" else Measure
    model = validate_model(cls, doc, problems, {"financial_year_start_month": fy_start})
    if model is None:
        return None
    assert isinstance(model, (Measure, Project))
    if isinstance(model, Measure):
        _check_measure(model, doc, problems)
        model = _with_defaults(model, doc)
    else:
        _check_unique_periods(
            doc, problems, "updates", [u.period for u in model.updates], "an update"
        )
    return model


def _check_measure(model: Measure, doc: Document, problems: Problems) -> None:
    _check_unique_periods(doc, problems, "values", [v.period for v in model.values], "a value")
    if isinstance(model.target, list):
        _check_unique_periods(
            doc, problems, "target", [s.from_ for s in model.target], "a target", key="from"
        )
    _check_unique_periods(
        doc,
        problems,
        "earlier_commentary",
        [c.period for c in model.earlier_commentary],
        "commentary",
    )
    if model.scale and model.unit != "currency":
        problems.add(
            doc.rel,
            doc.line(("scale",)),
            "scale",
            "scale is only used with unit: currency; remove it or set unit: currency",
            code="field.combination",
        )


def _check_unique_periods(
    doc: Document,
    problems: Problems,
    list_name: str,
    periods: list[Period],
    what: str,
    key: str = "period",
) -> None:
    first: dict[Period, tuple[int, Period]] = {}
    for index, period in enumerate(periods):
        line = doc.line((list_name, index, key))
        if period in first:
            first_line, first_period = first[period]
            same = (
                f"{period.text} is given twice"
                if first_period.text == period.text
                else f"{period.text} is the same period as {first_period.text}"
            )
            problems.add(
                doc.rel,
                line,
                f"{list_name}[{index}].{key}",
                f"{same} (lines {first_line} and {line}); {what} for one period appears once: "
                "delete or correct one of them",
                code="period.duplicate",
            )
        else:
            first[period] = (line, period)


def _with_defaults(model: Measure, doc: Document) -> Measure:
    """Fill in what the author may leave out: display precision and frequency."""
    update: dict[str, Any] = {}
    if model.decimals is None:
        update["decimals"] = infer_decimals(doc)
    if model.frequency is None and model.values:
        counts: dict[str, int] = {}
        for v in model.values:
            counts[v.period.frequency] = counts.get(v.period.frequency, 0) + 1
        update["frequency"] = max(sorted(counts), key=lambda f: counts[f])
    return model.model_copy(update=update) if update else model


def infer_decimals(doc: Document) -> int:
    """As many decimal places as the values are written with (2.50 has two), at most 3."""
    places = 0
    data = doc.data if isinstance(doc.data, dict) else {}
    numbers: list[Any] = [v.get("value") for v in data.get("values") or [] if isinstance(v, dict)]
    for number in numbers:
        if isinstance(number, YamlFloat):
            exponent = Decimal(number.raw.replace("_", "")).as_tuple().exponent
            if isinstance(exponent, int):
                places = max(places, -exponent)
    return min(places, 3)


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


# ---- content/ ----------------------------------------------------------------------------------


def _load_content(
    root: Path, fy_start: int, prefer_financial: bool, problems: Problems
) -> tuple[list[ContentPage], dict[Period, ContentPage]]:
    folder = root / CONTENT_DIR
    pages: list[ContentPage] = []
    narratives: dict[Period, ContentPage] = {}
    if not folder.is_dir():
        return pages, narratives
    for path in sorted(folder.rglob("*.md"), key=lambda p: p.relative_to(folder).as_posix()):
        rel = rel_path(root, path)
        inner = path.relative_to(folder).as_posix()
        decoded = decode_text(path.read_bytes(), rel, problems)
        if decoded is None:
            continue
        text = decoded.replace("\r\n", "\n")
        page = ContentPage(path, rel, inner, text)
        _check_remote_loads(page, problems)
        parts = inner.split("/")
        if parts[0] == REPORTS_DIR and len(parts) == 2:
            period = period_from_slug(path.stem, fy_start, prefer_financial)
            if period is None:
                problems.add(
                    rel,
                    WHOLE_FILE,
                    "",
                    f'is in {CONTENT_DIR}/{REPORTS_DIR}/ but "{path.stem}" is not a period slug; '
                    "name it after its reporting period, e.g. 2019-20-q2.md",
                    code="content.report-name",
                )
            elif period in narratives:
                problems.add(
                    rel,
                    WHOLE_FILE,
                    "",
                    f"is a second narrative for {_same(narratives, period).label} "
                    f"(also {narratives[period].rel}); keep one",
                    code="content.report-duplicate",
                )
            else:
                narratives[period] = page
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
        pages.append(page)
    return pages, narratives


_REMOTE = r"((?:https?:)?//[^\s)\"'>]+)"
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?" + _REMOTE)
_HTML_LOAD = re.compile(
    r"<(img|script|iframe|audio|video|source|embed|object|link)\b[^>]*?\b"
    r"(?:src|srcset|href|data|poster)\s*=\s*[\"']?" + _REMOTE,
    re.IGNORECASE,
)


def _check_remote_loads(page: ContentPage, problems: Problems) -> None:
    """Warn about images and embeds a content page would load from another host: the site
    promises readers that viewing it contacts no one else (links are fine: they are clicked)."""
    fence: str | None = None
    for number, line in enumerate(page.text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence == stripped[:3] else (fence or stripped[:3])
            continue
        if fence:
            continue
        found = [("image", m[1]) for m in _MD_IMAGE.finditer(line)]
        found += [(m[1].lower(), m[2]) for m in _HTML_LOAD.finditer(line)]
        for what, url in found:
            what = "image" if what == "img" else what
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


# ---- pydantic errors to user messages ------------------------------------------------------------


def _is_mapping(doc: Document, problems: Problems, example: str) -> bool:
    if isinstance(doc.data, dict):
        return True
    what = "a list" if isinstance(doc.data, list) else "a single value"
    problems.add(
        doc.rel,
        doc.line(()),
        "",
        f"must be a set of fields ({example}), not {what}",
        code="file.shape",
    )
    return False


def validate_model(
    cls: type[Model], doc: Document, problems: Problems, context: dict[str, Any]
) -> Model | None:
    try:
        return cls.model_validate(doc.data, context=context)
    except ValidationError as error:
        located = [
            (item, _clean_loc(item["loc"], doc.data, item["type"]))
            for item in error.errors(include_url=False)
        ]
        # "polarty:" is one mistake: report the unknown field with its suggestion, not also
        # "polarity: is required".
        misspelt = {
            (path[:-1], near)
            for item, path in located
            if item["type"] == "extra_forbidden" and path
            for near in [_near_field(cls, path)]
            if near
        }
        for item, path in located:
            if item["type"] == "missing" and path and (path[:-1], path[-1]) in misspelt:
                continue
            _add_field_problem(cls, item, path, doc, problems)
        return None


def _near_field(cls: type[BaseModel], path: FieldPath) -> str | None:
    """The known field an unknown field name at ``path`` was probably meant to be."""
    name = str(path[-1])
    allowed = _allowed_fields(cls, path[:-1])
    near = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if near:
        return near[0]
    # A near-miss in capitals or spacing is the usual mistake: Target, due date, etc.
    folded = name.lower().replace(" ", "_").replace("-", "_")
    return next((f for f in allowed if f == folded), None)


def _clean_loc(loc: tuple[Any, ...], data: Any, error_type: str) -> FieldPath:
    """Keep the parts of pydantic's location that are in the data (drop union branch tags)."""
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif last and error_type == "missing" and isinstance(part, str):
            out.append(part)
    return tuple(out)


def _add_field_problem(
    cls: type[BaseModel], item: Any, path: FieldPath, doc: Document, problems: Problems
) -> None:
    kind = item["type"]
    value = item.get("input")
    field_name = format_path(path)
    line = doc.line(path)
    code = f"field.{kind}"
    if kind == "missing":
        name = path[-1] if path else ""
        parent = path[:-1]
        line = doc.line(parent) if parent else doc.line(())
        description = _field_description(cls, path)
        hint = f" ({description})" if description else ""
        message = f"is required; add {name}:{hint}"
        code = "field.missing"
    elif kind == "extra_forbidden":
        name = str(path[-1]) if path else str(value)
        fields = ", ".join(_allowed_fields(cls, path[:-1]))
        near = _near_field(cls, path) if path else None
        message = (
            f'"{name}" is not a field here; did you mean {near}? (fields: {fields})'
            if near
            else f'"{name}" is not a field here; remove it or use one of the fields: {fields}'
        )
        code = "field.unknown"
    elif kind == "literal_error":
        expected = _literal_choices(item)
        choices = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.6)
        if not choices and isinstance(value, str):
            folded = value.strip().lower().replace(" ", "_").replace("-", "_")
            choices = [e for e in expected if e == folded]
        hint = f"; did you mean {choices[0]}?" if choices else ""
        message = f"{_show(value)} is not allowed here: write one of {', '.join(expected)}{hint}"
        code = "field.choice"
    elif kind == "perfpages":
        message = item["msg"]
        code = "field.invalid"
    elif kind in ("string_type",):
        message = f"must be text, not {_show(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"{_show(value)} is not a whole number; write e.g. 1"
    elif kind in ("float_type", "float_parsing"):
        message = f"{_show(value)} is not a number; write a plain number such as 85.1"
    elif kind == "list_type":
        message = f"must be a list (lines starting with '- '), not {_show(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"must be a set of fields (name: value lines), not {_show(value)}"
    elif kind == "too_short":
        name = str(path[-1]) if path else "it"
        message = f"needs at least one entry: add a line starting with '- ' under {name}:"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = (
            f"{_show(value)} is out of range: {item['msg'].replace('Input should be ', 'must be ')}"
        )
    elif kind == "bool_type":
        message = f"{_show(value)} is not true or false"
    else:
        message = str(item["msg"])
    problems.add(doc.rel, line, field_name, message, code=code)


def _show(value: Any) -> str:
    from generator.site.models import _quote

    return _quote(value)


def _literal_choices(item: Any) -> list[str]:
    expected = item.get("ctx", {}).get("expected", "")
    return re.findall(r"'([^']*)'", expected)


def _model_classes(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation can hold (through Optional, list, Annotated, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_classes(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if origin in (list, typing.Union, types.UnionType):
        out: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            out.extend(_model_classes(arg))
        return out
    return []


def _model_at(cls: type[BaseModel], path: FieldPath) -> list[type[BaseModel]]:
    current = [cls]
    for part in path:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for model in current:
            for name, info in model.model_fields.items():
                if (info.alias or name) == part:
                    nxt.extend(_model_classes(info.annotation))
        current = nxt
    return current


def _allowed_fields(cls: type[BaseModel], path: FieldPath) -> list[str]:
    names: list[str] = []
    for model in _model_at(cls, path):
        for name, info in model.model_fields.items():
            alias = info.alias or name
            if alias not in names:
                names.append(alias)
    return names


def _field_description(cls: type[BaseModel], path: FieldPath) -> str:
    for model in _model_at(cls, path[:-1]):
        for name, info in model.model_fields.items():
            if (info.alias or name) == path[-1] and info.description:
                return info.description.rstrip(".").split(";")[0]
    return ""
