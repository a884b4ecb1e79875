"""One document of the user's into a typed model, with every problem reported as file:line.

``validate_model`` runs pydantic and turns each of its errors into a message a user can act on,
at the line of the field in question: an unknown field with the known one it was probably
meant to be, a missing field with what it is for, a choice with the nearest allowed value.
``validate_config`` and ``validate_indicator`` add the checks pydantic cannot make on its own
(a priority or a period given twice, a field that needs another); nothing stops at the first
problem, so one run reports them all.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.site.models import (
    COMPARISONS,
    DEFAULT_COMPARE_WITH,
    FINANCIAL_YEAR_START_MONTH,
    NO_COMPARISON,
    Measure,
    Model,
    Project,
    SiteConfig,
    _quote,
)
from generator.site.periods import Period
from generator.site.problems import Problems
from generator.site.yaml_reader import (
    WHOLE_FILE,
    Document,
    FieldPath,
    YamlFloat,
    format_path,
)


def stated_compare_with(doc: Document | None) -> str:
    """The site's headline comparison (ratings: compare_with) as site_config.yml gives it,
    when it is one; the default otherwise (so that indicators can be checked while the
    settings have errors)."""
    if doc and isinstance(doc.data, dict):
        ratings = doc.data.get("ratings")
        chosen = ratings.get("compare_with") if isinstance(ratings, dict) else None
        if chosen in COMPARISONS:
            return str(chosen)
    return DEFAULT_COMPARE_WITH


def stated_fy_start(doc: Document | None) -> int:
    """The financial year's first month as site_config.yml gives it, when it is a month number;
    the default otherwise (so that periods can be read while the settings have errors)."""
    if doc and isinstance(doc.data, dict):
        month = doc.data.get("financial_year_start_month")
        if isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12:
            return month
    return FINANCIAL_YEAR_START_MONTH


def stated_languages(doc: Document | None) -> tuple[str, ...]:
    """The site's languages as site_config.yml gives them (site: languages, else site:
    language), so that text per language can be read in the same run; () when not given."""
    site = doc.data.get("site") if doc and isinstance(doc.data, dict) else None
    if not isinstance(site, dict):
        return ()
    languages = site.get("languages")
    if isinstance(languages, list) and all(isinstance(x, str) for x in languages):
        return tuple(dict.fromkeys(languages))
    language = site.get("language")
    return (language,) if isinstance(language, str) else ()


# ---- site_config.yml ---------------------------------------------------------------------------


# Without the site's address there is no sitemap, and the feed's links are relative to it.
NO_URL_WARNING = (
    "site: url is not set, so the sitemap and the feed's links cannot be absolute; "
    "set site.url to the address the site is published at"
)


def validate_config(doc: Document, problems: Problems) -> SiteConfig | None:
    """The site's settings from site_config.yml; None when they cannot be read. A priority id
    given twice is reported, and the settings are still returned."""
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
    context = {
        "financial_year_start_month": stated_fy_start(doc),
        "languages": stated_languages(doc),
    }
    config = validate_model(SiteConfig, doc, problems, context)
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
    _check_also_compare(
        doc,
        problems,
        ("ratings", "also_compare_with"),
        config.ratings.also_compare_with,
        config.ratings.compare_with,
        "ratings.compare_with",
    )
    return config


def check_site_address(config: SiteConfig, doc: Document, problems: Problems) -> None:
    """A build's warning (``perfpages build``, not ``validate`` or the preview): without the
    site's address the build writes no sitemap, and the feed's links are relative."""
    if not config.site.url:
        line = doc.line(("site",))
        problems.warn(doc.rel, line, "site.url", NO_URL_WARNING, code="site.no_url")


# ---- Indicator files ----------------------------------------------------------------------------


def validate_indicator(
    doc: Document,
    fy_start: int,
    problems: Problems,
    site_compare: str = DEFAULT_COMPARE_WITH,
    languages: tuple[str, ...] = (),
) -> Measure | Project | None:
    """The measure or project an indicator file describes, with its defaults filled in; None
    when it cannot be read. A period given twice, and a field that needs another, are reported
    with the model still returned. ``fy_start`` is the financial year's first month, for
    reading periods such as 2019/20 Q2; ``site_compare`` the site's headline comparison
    (ratings: compare_with), which a measure's also_compare_with may not repeat."""
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
    context = {"financial_year_start_month": fy_start, "languages": languages}
    model = validate_model(cls, doc, problems, context)
    if model is None:
        return None
    assert isinstance(model, (Measure, Project))
    if isinstance(model, Measure):
        _check_measure(model, doc, problems, site_compare)
        model = _with_defaults(model, doc)
    else:
        _check_unique_periods(
            doc, problems, "updates", [u.period for u in model.updates], "an update"
        )
    return model


def _check_measure(
    model: Measure, doc: Document, problems: Problems, site_compare: str = DEFAULT_COMPARE_WITH
) -> None:
    """What a measure's fields cannot check alone: periods given twice, and fields that do not
    go together (scale without currency, a cumulative measure compared with the period before
    or by trend, the headline comparison among the others, a stated direction that does not
    fit the polarity), each at its own line."""
    _check_unique_periods(doc, problems, "values", [v.period for v in model.values], "a value")
    if isinstance(model.target, list):
        _check_unique_periods(
            doc, problems, "target", [s.from_ for s in model.target], "a target", key="from"
        )
        _check_target_starts(doc, problems, [s.from_ for s in model.target])
    _check_unique_periods(
        doc,
        problems,
        "earlier_commentary",
        [c.period for c in model.earlier_commentary],
        "commentary",
    )
    if model.cumulative is not None and model.compare_with == "previous":
        problems.add(
            doc.rel,
            doc.line(("compare_with",)),
            "compare_with",
            "previous on a cumulative measure would compare each year's first value with the "
            "last year's total; remove compare_with (a cumulative measure is compared with the "
            "same period a year earlier)",
            code="field.combination",
        )
    _check_measure_comparisons(model, doc, problems, site_compare)
    _check_stated_directions(model, doc, problems)
    if model.scale and model.unit != "currency":
        problems.add(
            doc.rel,
            doc.line(("scale",)),
            "scale",
            "scale is only used with unit: currency; remove it or set unit: currency",
            code="field.combination",
        )


def _check_measure_comparisons(
    model: Measure, doc: Document, problems: Problems, site_compare: str
) -> None:
    """A cumulative measure compared by trend, or shown beside its headline against the period
    before or by trend; and an also_compare_with that repeats a comparison or the headline."""
    cumulative = model.cumulative is not None
    if model.compare_with == NO_COMPARISON:
        _check_no_comparison(model, doc, problems)
        return
    if cumulative and model.compare_with == "trend":
        problems.add(
            doc.rel,
            doc.line(("compare_with",)),
            "compare_with",
            "trend on a cumulative measure would fit a line across each year's return to "
            "zero; remove compare_with (a cumulative measure is compared with the same period "
            "a year earlier)",
            code="field.combination",
        )
    also = model.also_compare_with
    if also is None:
        return
    headline: str
    if model.compare_with is not None:
        headline, where = model.compare_with, "compare_with"
    elif cumulative:
        headline, where = "year_ago", "cumulative"
    else:
        headline, where = site_compare, "the site's ratings.compare_with"
    _check_also_compare(doc, problems, ("also_compare_with",), also, headline, where)
    if not cumulative:
        return
    for index, name in enumerate(also):
        if name in ("previous", "trend"):
            path = ("also_compare_with", index)
            problems.add(
                doc.rel,
                doc.line(path),
                format_path(path),
                f"{name} on a cumulative measure would compare values across each year's "
                f"return to zero; remove {name} (a cumulative measure is compared with the "
                "same period a year earlier)",
                code="field.combination",
            )


def _check_no_comparison(model: Measure, doc: Document, problems: Problems) -> None:
    """A measure given no direction of travel (compare_with: none) shows none beside it and
    states none."""
    if model.also_compare_with:
        problems.add(
            doc.rel,
            doc.line(("also_compare_with",)),
            "also_compare_with",
            "this measure has no direction of travel (compare_with: none), so none can be shown "
            "beside it; remove also_compare_with, or choose a compare_with",
            code="field.combination",
        )
    for index, v in enumerate(model.values):
        if v.direction is not None:
            path = ("values", index, "direction")
            problems.add(
                doc.rel,
                doc.line(path),
                format_path(path),
                "this measure has no direction of travel (compare_with: none); remove direction "
                "(and direction_reason), or choose a compare_with",
                code="field.combination",
            )


def _check_also_compare(
    doc: Document,
    problems: Problems,
    path: FieldPath,
    also: Sequence[str],
    headline: str,
    where: str,
) -> None:
    """The comparisons shown beside the headline: each once, and not the headline itself."""
    seen: dict[str, int] = {}
    for index, name in enumerate(also):
        at = (*path, index)
        line = doc.line(at)
        if name == headline:
            problems.add(
                doc.rel,
                line,
                format_path(at),
                f"{name} is the headline comparison ({where}: {headline}); also_compare_with "
                f"lists the others shown beside it: remove {name} from the list",
                code="field.combination",
            )
        elif name in seen:
            problems.add(
                doc.rel,
                line,
                format_path(at),
                f"{name} is listed twice (first at line {seen[name]}); remove one of them",
                code="field.combination",
            )
        seen.setdefault(name, line)


def _check_stated_directions(model: Measure, doc: Document, problems: Problems) -> None:
    """A stated direction must fit the polarity: up and down say which way a value moved, only
    meaningful where neither way is better; improving and declining need a better way."""
    neutral = model.polarity == "neutral"
    for index, v in enumerate(model.values):
        where = ("values", index, "direction")
        if v.direction in ("improving", "declining") and neutral:
            message = (
                f"{v.direction} needs a better way, but polarity is neutral; write up, steady "
                "or down"
            )
        elif v.direction in ("up", "down") and not neutral:
            better = (v.direction == "up") == (model.polarity == "higher_is_better")
            message = (
                f"{v.direction} says which way the value moved; write whether that is better: "
                f"{'improving' if better else 'declining'} (polarity: {model.polarity})"
            )
        else:
            continue
        problems.add(doc.rel, doc.line(where), format_path(where), message, code="field.combination")


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


def _check_target_starts(doc: Document, problems: Problems, starts: list[Period]) -> None:
    """Two target steps that start on the same day (from: 2019/20 Q1 and from: 2019/20) leave
    no way to tell which is in force; the same period twice is reported as a duplicate."""
    first: dict[object, tuple[int, Period]] = {}
    for index, period in enumerate(starts):
        line = doc.line(("target", index, "from"))
        earlier = first.get(period.start)
        if earlier is None:
            first[period.start] = (line, period)
        elif earlier[1] != period:
            first_line, first_period = earlier
            problems.add(
                doc.rel,
                line,
                f"target[{index}].from",
                f"{period.text} starts on the same day as {first_period.text} "
                f"({period.start.isoformat()}; lines {first_line} and {line}), so which target "
                "is in force is unclear; keep one of the two steps",
                code="target.same-start",
            )


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
    """``doc`` as a ``cls``; None, with every error reported at its line, when it is not one.
    ``context`` goes to the validators (the financial year's first month, for periods; the site's languages, for text given per
    language)."""
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
    """One pydantic error as a problem at the line of ``path``: what is wrong, in the user's
    words, and what to write instead (the field's purpose, the allowed choices, a near miss)."""
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
        message = _for_this_measure(str(item["msg"]), doc.data)
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


PERCENT_REASON = "the % sign comes from unit: percent"


def _for_this_measure(message: str, data: Any) -> str:
    """A number's advice made true of the file: the % sign comes from unit: percent only on a
    measure that has it; on another, say so (the value may be a percentage)."""
    unit = data.get("unit") if isinstance(data, dict) else None
    if PERCENT_REASON in message and isinstance(data, dict) and unit != "percent":
        shown = f"unit: {unit}" if isinstance(unit, str) else "unit: number (the default)"
        return message.replace(
            PERCENT_REASON,
            f"this measure has {shown}; if its values are percentages, set unit: percent, "
            "which adds the % sign",
        )
    return message


def _show(value: Any) -> str:
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


def _keyed_models(annotation: Any) -> list[type[BaseModel]]:
    """The models of a mapping's values (ratings.services: names to fields), else none."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _keyed_models(typing.get_args(annotation)[0])
    if origin is dict:
        return _model_classes(typing.get_args(annotation)[1])
    return []


def _model_at(cls: type[BaseModel], path: FieldPath) -> list[type[BaseModel]]:
    """The models at ``path``: through fields, list items, and the names of a mapping."""
    current = [cls]
    keyed: list[type[BaseModel]] = []  # after a mapping's field: the models under its names
    for part in path:
        if isinstance(part, int):
            continue
        if keyed:
            current, keyed = keyed, []
            continue
        nxt: list[type[BaseModel]] = []
        for model in current:
            for name, info in model.model_fields.items():
                if (info.alias or name) == part:
                    nxt.extend(_model_classes(info.annotation))
                    keyed.extend(_keyed_models(info.annotation))
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
