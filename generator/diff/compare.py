"""What a change does to the published site: the comparison behind ``perfpages diff``.

Made for reviewing a quarter's update in a pull request: which indicators were added, removed
or renamed; for each changed one, its values, target, rating and direction at the reporting
period, commentary (word by word) and other fields; the change in the headline summary; and
the warnings the change brings in. The comparison is data (``SiteDiff``), written out as
Markdown by ``generator.diff.markdown`` or as JSON.

Each side is a ``SiteVersion``: one version of the site, old or new, read by the site's own
loader in its lenient mode, so that a version with errors is still compared file by file.
Reuse from other commands (``perfpages import --dry-run``):

    old = read_version(folder, "before")        # or version_of(site, assessed, problems, ...)
    new = read_version(edited_copy, "after")
    report = compare(old, new)
    diff_report.markdown(report) or to_json(report)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.assess.assessment import (
    PROJECT_COUNTS,
    Assessed,
    Position,
    Summary,
    assess_measure,
    assess_project,
    assess_site,
    summarise,
)
from generator.diff.words import Segment, similarity, word_diff
from generator.render import formatting, summaries
from generator.site import i18n
from generator.site.layout import Site, SiteAsRead, content_files
from generator.site.loader import read_site
from generator.site.models import (
    DEFAULT_TOLERANCE,
    STALE_AFTER_MONTHS,
    DataPoint,
    Measure,
    Project,
    SiteConfig,
    TargetLabel,
)
from generator.site.periods import Period
from generator.site.problems import Problem, Problems, json_fields
from generator.site.yaml_reader import YamlFloat, YamlInt

# ---- One side: what a site folder holds ------------------------------------------------------


@dataclass
class Entry:
    """One indicator file: what it says, and its assessment when the file is valid."""

    id: str
    rel: str
    data: Any  # the YAML as written; None when the file cannot be read
    assessed: Assessed | None  # None when the file has errors

    @property
    def title(self) -> str:
        if self.assessed is not None:
            return self.assessed.model.title
        if isinstance(self.data, dict) and isinstance(self.data.get("title"), str):
            return str(self.data["title"])
        return self.id

    @property
    def kind(self) -> str:
        if isinstance(self.data, dict) and self.data.get("kind") == "project":
            return "project"
        return "measure"


@dataclass
class SiteVersion:
    """One version of the site, old or new, as compared: read whether or not it is valid."""

    label: str
    config: SiteConfig | None
    entries: dict[str, Entry]
    pages: dict[str, str]  # content/... -> text
    problems: Problems
    summary: Summary | None  # only when the whole site is valid
    revision: str | None = None

    @property
    def period(self) -> Period | None:
        return self.config.reporting_period if self.config else None

    @property
    def stale_months(self) -> int:
        return self.config.ratings.stale_after_months if self.config else STALE_AFTER_MONTHS


def read_version(root: Path, label: str, revision: str | None = None) -> SiteVersion:
    """The site in ``root``; a site with errors still yields every file that is valid."""
    problems = Problems()
    read = read_site(root, problems)
    site = None if problems.errors else read.site()
    if site is not None:
        i18n.set_language(site.config.site.language)
        assessed = assess_site(site, problems)
        return version_of(site, assessed, problems, label, revision)
    return _with_errors(read, label, revision, problems)


def version_of(
    site: Site,
    assessed: list[Assessed],
    problems: Problems,
    label: str,
    revision: str | None = None,
) -> SiteVersion:
    """A version of a site already loaded and assessed (for commands that hold one)."""
    entries = {a.id: Entry(a.id, a.file.rel, a.file.doc.data, a) for a in assessed}
    config = site.config
    summary = summarise(
        assessed, site.priority_ids, config.reporting_period, config.ratings.stale_after_months
    )
    return SiteVersion(label, config, entries, _pages(site.root), problems, summary, revision)


def _with_errors(
    read: SiteAsRead, label: str, revision: str | None, problems: Problems
) -> SiteVersion:
    """A site with errors: each file that is valid on its own is still compared. It is assessed
    as the site would assess it, warnings included, when the settings can be read; with the
    default amber band, and no warnings, when they cannot."""
    entries = {f.id: Entry(f.id, f.rel, f.doc.data if f.doc else None, None) for f in read.files}
    site = read.site()
    if site is not None:
        warnings = Problems()
        for a in assess_site(site, warnings):
            entries[a.id].assessed = a
        problems.extend(warnings.warnings)
    else:
        for ind in read.indicators:
            entries[ind.id].assessed = (
                assess_project(ind)
                if isinstance(ind.model, Project)
                else assess_measure(ind, DEFAULT_TOLERANCE)
            )
    return SiteVersion(label, read.config, entries, _pages(read.root), problems, None, revision)


def _pages(root: Path) -> dict[str, str]:
    """Every content file as written, whether or not the site can use it: a page the site
    refuses, or one that differs in its line endings only, is still a change to the files."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes().decode("utf-8", "replace")
        for path in content_files(root)
    }


# ---- The comparison, as data -----------------------------------------------------------------


@dataclass
class Change:
    """A field whose written value changed; None for absent."""

    field: str
    old: str | None
    new: str | None


@dataclass
class TextChange:
    """A Markdown text (commentary, actions, description) compared word by word."""

    field: str
    old: str | None
    new: str | None
    similarity: float
    segments: list[Segment]
    moved_from: str | None = None  # the field of the old version this text was, word for word


@dataclass
class PeriodChange:
    """A value (measure) or an update (project) for one period: added, changed or removed."""

    period: str  # as readers see it: Q2 2019/20
    change: Literal["added", "changed", "removed"]
    old: str | None  # as shown on the site: 85.1%
    new: str | None
    old_value: float | None = None
    new_value: float | None = None
    details: list[Change] = field(default_factory=list)  # note, stated rating, reason ...


@dataclass
class PositionChange:
    """Rating and direction at the reporting period, as the site shows them."""

    old_period: str | None
    new_period: str | None
    old_rating: str | None
    new_rating: str | None
    old_direction: str | None
    new_direction: str | None


@dataclass
class IndicatorChange:
    id: str
    title: str
    kind: str
    file: str
    change: Literal["added", "removed", "renamed", "changed"]
    old_id: str | None = None
    old_file: str | None = None
    invalid: bool = False  # a side has errors: only what could be read is compared
    periods: list[PeriodChange] = field(default_factory=list)
    target: Change | None = None
    position: PositionChange | None = None
    texts: list[TextChange] = field(default_factory=list)
    fields: list[Change] = field(default_factory=list)

    @property
    def content_changed(self) -> bool:
        """Anything beyond the file's name or place changed."""
        return (
            bool(self.periods or self.target or self.position or self.texts or self.fields)
            or self.invalid
        )


@dataclass
class CountChange:
    name: str  # green, amber, ..., improving, no_position
    old: int
    new: int


@dataclass
class SummaryChange:
    scope: str  # "overall" or a priority id
    title: str
    counts: list[CountChange]
    old_headline: str | None = None
    new_headline: str | None = None


@dataclass
class SideInfo:
    label: str
    revision: str | None
    reporting_period: str | None
    errors: list[Problem]
    warnings: int


@dataclass
class SiteDiff:
    old: SideInfo
    new: SideInfo
    settings: list[Change]
    summary: list[SummaryChange]
    indicators: list[IndicatorChange]
    unchanged: int
    pages: list[Change]
    new_warnings: list[Problem]
    resolved_warnings: list[Problem]

    def of(self, change: str) -> list[IndicatorChange]:
        return [i for i in self.indicators if i.change == change]

    @property
    def empty(self) -> bool:
        return not (self.settings or self.indicators or self.pages or self.new_warnings)


COUNT_NAMES = (
    "exceeding",
    "green",
    "amber",
    "red",
    "blue",
    "not_rated",
    "no_position",
    "improving",
    "steady",
    "declining",
    *PROJECT_COUNTS,
)


def compare(old: SiteVersion, new: SiteVersion) -> SiteDiff:
    """Everything that differs between two versions, in the order a reviewer reads it."""
    renames = _renames(old, new)
    renamed_new = {n: o for o, n in renames.items()}
    order = _order(new, old)
    changes: list[IndicatorChange] = []
    unchanged = 0
    for indicator_id in sorted(set(old.entries) | set(new.entries), key=order):
        before, after = old.entries.get(indicator_id), new.entries.get(indicator_id)
        if before is not None and after is not None:
            change = _indicator(before, after, old, new, "changed")
            if _has_changes(change):
                changes.append(change)
            else:
                unchanged += 1
        elif after is not None and indicator_id in renamed_new:
            source = old.entries[renamed_new[indicator_id]]
            changes.append(_indicator(source, after, old, new, "renamed"))
        elif after is not None:
            changes.append(_added(after, new))
        elif before is not None and indicator_id not in renames:
            changes.append(_removed(before))
    file_map = {old.entries[o].rel: new.entries[n].rel for o, n in renames.items()}
    new_warnings, resolved = _warning_changes(old.problems, new.problems, file_map)
    return SiteDiff(
        old=_side(old),
        new=_side(new),
        settings=_settings(old.config, new.config),
        summary=_summary(old, new),
        indicators=changes,
        unchanged=unchanged,
        pages=_page_changes(old.pages, new.pages),
        new_warnings=new_warnings,
        resolved_warnings=resolved,
    )


def _side(s: SiteVersion) -> SideInfo:
    return SideInfo(
        s.label,
        s.revision,
        s.period.label if s.period else None,
        s.problems.errors,
        len(s.problems.warnings),
    )


def _order(*versions: SiteVersion) -> Any:
    """Indicators in the site's priority order, then by id."""
    rank: dict[str, int] = {}
    for s in versions:
        if s.config:
            for i, p in enumerate(s.config.priorities):
                rank.setdefault(p.id, i)

    def key(indicator_id: str) -> tuple[int, str]:
        for s in versions:
            entry = s.entries.get(indicator_id)
            if entry is not None and isinstance(entry.data, dict):
                return (rank.get(str(entry.data.get("priority")), len(rank)), indicator_id)
        return (len(rank), indicator_id)

    return key


def _renames(old: SiteVersion, new: SiteVersion) -> dict[str, str]:
    """Old id -> new id for files that went away while a file with the same content, the
    same reference code or the same title (and kind) appeared under another id."""
    gone = [i for i in sorted(old.entries) if i not in new.entries]
    came = [i for i in sorted(new.entries) if i not in old.entries]
    found: dict[str, str] = {}
    for test in (_same_content, _same_ref, _same_title):
        for o in gone:
            if o in found:
                continue
            for n in came:
                if n not in found.values() and test(old.entries[o], new.entries[n]):
                    found[o] = n
                    break
    return found


def _same_content(a: Entry, b: Entry) -> bool:
    return a.data is not None and a.data == b.data


def _same_ref(a: Entry, b: Entry) -> bool:
    return a.kind == b.kind and bool(_ref(a)) and _ref(a) == _ref(b)


def _same_title(a: Entry, b: Entry) -> bool:
    return a.kind == b.kind and _fold(a.title) == _fold(b.title)


def _ref(e: Entry) -> str:
    ref = e.data.get("ref") if isinstance(e.data, dict) else None
    return str(ref).strip() if ref is not None else ""


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _has_changes(c: IndicatorChange) -> bool:
    return c.content_changed or c.old_file is not None


def _added(entry: Entry, version: SiteVersion) -> IndicatorChange:
    change = IndicatorChange(entry.id, entry.title, entry.kind, entry.rel, "added")
    change.invalid = entry.assessed is None
    if entry.assessed is not None and version.period is not None:
        position = entry.assessed.position(version.period, version.stale_months)
        if position is not None:
            change.position = PositionChange(
                None, position.period.label, None, _rating(position), None, _direction(position)
            )
    return change


def _removed(entry: Entry) -> IndicatorChange:
    return IndicatorChange(entry.id, entry.title, entry.kind, entry.rel, "removed")


def _indicator(
    before: Entry,
    after: Entry,
    old: SiteVersion,
    new: SiteVersion,
    kind: Literal["changed", "renamed"],
) -> IndicatorChange:
    """What changed in one indicator: values or updates, target, texts word by word, other
    fields and the position at the reporting period; only the fields as written when either
    version of the file has errors."""
    change = IndicatorChange(after.id, after.title, after.kind, after.rel, kind)
    change.old_id = before.id if kind == "renamed" else None
    change.old_file = before.rel if before.rel != after.rel else None
    a, b = before.assessed, after.assessed
    if a is None or b is None:
        change.invalid = before.data != after.data or (a is None) != (b is None)
        if not change.invalid:
            return change
        change.fields = _field_changes(before.data, after.data, skip=())
        return change
    ma, mb = a.model, b.model
    if isinstance(ma, Measure) and isinstance(mb, Measure):
        change.periods = _value_changes(ma, mb)
        change.target = _target_change(ma, mb)
        texts = ("description", "commentary", "actions")
        skip: tuple[str, ...] = ("values", "target", "earlier_commentary", *texts)
        change.texts = _text_changes(ma, mb, texts) + _earlier_commentary(ma, mb)
    elif isinstance(ma, Project) and isinstance(mb, Project):
        change.periods, update_texts = _update_changes(ma, mb)
        change.texts = _text_changes(ma, mb, ("description",)) + update_texts
        skip = ("updates", "milestones", "next_steps", "description")
        change.fields = _milestone_changes(ma, mb) + _step_changes(ma, mb)
    else:
        skip = ()  # a measure became a project: every field is compared as written
    change.fields = _field_changes(before.data, after.data, skip) + change.fields
    change.position = _position_change(a, b, old, new)
    return change


# ---- Values and updates --------------------------------------------------------------------


def _shown(measure: Measure, point: DataPoint) -> str:
    if point.value is None:
        reason = i18n.t(f"missing.{point.missing}") if point.missing else ""
        return f"no value ({reason.lower()})" if reason else "no value"
    return formatting.value(measure, point.value)


def _value_changes(a: Measure, b: Measure) -> list[PeriodChange]:
    before = {v.period: v for v in a.values}
    after = {v.period: v for v in b.values}
    out: list[PeriodChange] = []
    for period in sorted(set(before) | set(after), key=lambda p: p.sort_key, reverse=True):
        x, y = before.get(period), after.get(period)
        label = period.label
        if x is None and y is not None:
            details = _point_details(None, y)
            out.append(PeriodChange(label, "added", None, _shown(b, y), None, y.value, details))
        elif y is None and x is not None:
            out.append(PeriodChange(label, "removed", _shown(a, x), None, x.value, None))
        elif x is not None and y is not None:
            old_text, new_text = _shown(a, x), _shown(b, y)
            details = _point_details(x, y)
            if old_text != new_text or details:
                out.append(
                    PeriodChange(label, "changed", old_text, new_text, x.value, y.value, details)
                )
    return out


def _point_details(x: DataPoint | None, y: DataPoint) -> list[Change]:
    out = []
    for name in ("note", "rating", "rating_reason"):
        old = getattr(x, name) if x is not None else None
        new = getattr(y, name)
        if old != new:
            out.append(Change(name, old, new))
    return out


def _update_changes(a: Project, b: Project) -> tuple[list[PeriodChange], list[TextChange]]:
    before = {u.period: u for u in a.updates}
    after = {u.period: u for u in b.updates}
    periods: list[PeriodChange] = []
    texts: list[TextChange] = []
    for period in sorted(set(before) | set(after), key=lambda p: p.sort_key, reverse=True):
        x, y = before.get(period), after.get(period)
        show_x = _update_shown(x.rating, x.progress) if x else None
        show_y = _update_shown(y.rating, y.progress) if y else None
        if x is None or y is None:
            periods.append(
                PeriodChange(period.label, "added" if x is None else "removed", show_x, show_y)
            )
        else:
            details = [Change("rating_reason", x.rating_reason, y.rating_reason)]
            details = [d for d in details if d.old != d.new]
            if show_x != show_y or details:
                periods.append(
                    PeriodChange(period.label, "changed", show_x, show_y, details=details)
                )
        old_text = x.commentary if x else None
        new_text = y.commentary if y else None
        if y is not None and old_text != new_text:
            texts.append(_text(f"updates[{period.text}].commentary", old_text, new_text))
    return periods, texts


def _update_shown(rating: str, progress: str) -> str:
    return f"{i18n.t(f'rating.{rating}')}, {i18n.t(f'progress.{progress}').lower()}"


def _milestone_changes(a: Project, b: Project) -> list[Change]:
    def shown(m: Any) -> str:
        due = f", due {m.due.label}" if m.due else ""
        return f"{i18n.t(f'milestone.{m.status}')}{due}" + (
            f" ({m.note.strip()})" if m.note else ""
        )

    before = {_fold(m.title): m for m in a.milestones}
    after = {_fold(m.title): m for m in b.milestones}
    out = []
    for key in list(before) + [k for k in after if k not in before]:
        x, y = before.get(key), after.get(key)
        title = (y or x).title  # type: ignore[union-attr]
        old, new = (shown(x) if x else None), (shown(y) if y else None)
        if old != new:
            out.append(Change(f"milestones[{title}]", old, new))
    return out


def _step_changes(a: Project, b: Project) -> list[Change]:
    out = [Change("next_steps", s, None) for s in a.next_steps if s not in b.next_steps]
    out += [Change("next_steps", None, s) for s in b.next_steps if s not in a.next_steps]
    return out


# ---- Target, texts, other fields -------------------------------------------------------------


def target_text(measure: Measure) -> str:
    """The target in words, as the site shows it: 90%; 53% from Q1 2019/20, ...; a label."""
    target = measure.target
    if target is None:
        return "none"
    if isinstance(target, TargetLabel):
        return target.label
    if isinstance(target, list):
        steps = sorted(target, key=lambda s: s.from_.sort_key)
        return "; ".join(
            f"{formatting.value(measure, s.value) if s.value is not None else 'none'} "
            f"from {s.from_.label}"
            for s in steps
        )
    return formatting.value(measure, target)


def _target_change(a: Measure, b: Measure) -> Change | None:
    old, new = target_text(a), target_text(b)
    return Change("target", old, new) if old != new else None


def _text(name: str, old: str | None, new: str | None) -> TextChange:
    return TextChange(
        name, old, new, round(similarity(old or "", new or ""), 3), word_diff(old or "", new or "")
    )


def _text_changes(a: Any, b: Any, names: Iterable[str]) -> list[TextChange]:
    out = []
    for name in names:
        old, new = getattr(a, name), getattr(b, name)
        if (old or "").strip() != (new or "").strip():
            out.append(_text(name, old, new))
    return out


def _earlier_commentary(a: Measure, b: Measure) -> list[TextChange]:
    before = {c.period: c for c in a.earlier_commentary}
    after = {c.period: c for c in b.earlier_commentary}
    out = []
    for period in sorted(set(before) | set(after), key=lambda p: p.sort_key, reverse=True):
        for part in ("commentary", "actions"):
            old = getattr(before[period], part) if period in before else None
            new = getattr(after[period], part) if period in after else None
            if (old or "").strip() == (new or "").strip():
                continue
            change = _text(f"earlier_commentary[{period.text}].{part}", old, new)
            previous = getattr(a, part)
            # The quarterly routine: last quarter's text moves here as it was.
            if old is None and new and previous and new.strip() == previous.strip():
                change.moved_from = part
            out.append(change)
    return out


def _field_changes(old: Any, new: Any, skip: Iterable[str]) -> list[Change]:
    """Top-level fields as written, other than those compared in their own way."""
    a = old if isinstance(old, dict) else {}
    b = new if isinstance(new, dict) else {}
    skipped = set(skip)
    names = [k for k in a if k not in skipped] + [k for k in b if k not in a and k not in skipped]
    out = []
    for name in names:
        if _plain(a.get(name)) != _plain(b.get(name)):
            old_text = compact(a[name]) if name in a else None
            new_text = compact(b[name]) if name in b else None
            out.append(Change(name, old_text, new_text))
    return out


def _plain(value: Any) -> Any:
    """Written values without their YAML spelling: 90 and 90.0 are the same target."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (YamlInt, YamlFloat, int, float)):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_PLAIN_TEXT = re.compile(r"[^\s:#{}\[\],&*!|>'\"%@`][^:#{}\[\],]*")


def compact(value: Any) -> str:
    """A written value on one line, in YAML's flow style: {percent: 5}, [LAA, statutory]."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {compact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(compact(v) for v in value) + "]"
    text = " ".join(str(value).split())
    return text if _PLAIN_TEXT.fullmatch(text) else json.dumps(text, ensure_ascii=False)


# ---- Rating and direction at the reporting period ------------------------------------------


def _rating(position: Position | None) -> str | None:
    return i18n.t(f"rating.{position.rating.value}") if position else None


def _direction(position: Position | None) -> str | None:
    if position is None or position.direction is None:
        return None
    return i18n.t(f"direction.{position.direction.value}")


def _position_change(
    a: Assessed, b: Assessed, old: SiteVersion, new: SiteVersion
) -> PositionChange | None:
    if old.period is None or new.period is None:
        return None
    pa = a.position(old.period, old.stale_months)
    pb = b.position(new.period, new.stale_months)
    ra, rb = _rating(pa), _rating(pb)
    da, db = _direction(pa), _direction(pb)
    if ra == rb and da == db:
        return None
    return PositionChange(
        pa.period.label if pa else None, pb.period.label if pb else None, ra, rb, da, db
    )


# ---- The site as a whole -------------------------------------------------------------------


def _summary(old: SiteVersion, new: SiteVersion) -> list[SummaryChange]:
    if old.summary is None or new.summary is None:
        return []
    out: list[SummaryChange] = []
    scopes = [("overall", "Overall", old.summary.overall, new.summary.overall)]
    titles = {p.id: p.title for s in (old, new) if s.config for p in s.config.priorities}
    from generator.assess.assessment import Counts

    for pid in list(new.summary.by_priority) + [
        p for p in old.summary.by_priority if p not in new.summary.by_priority
    ]:
        scopes.append(
            (
                pid,
                titles.get(pid, pid),
                old.summary.by_priority.get(pid, Counts()),
                new.summary.by_priority.get(pid, Counts()),
            )
        )
    for scope, title, a, b in scopes:
        counts = [
            CountChange(name, getattr(a, name), getattr(b, name))
            for name in COUNT_NAMES
            if getattr(a, name) != getattr(b, name)
        ]
        headline_a, headline_b = _headline(a), _headline(b)
        if counts or headline_a != headline_b:
            out.append(SummaryChange(scope, title, counts, headline_a, headline_b))
    return out


def _headline(counts: Any) -> str:
    return summaries.on_target_text(counts)


def _settings(old: SiteConfig | None, new: SiteConfig | None) -> list[Change]:
    a = old.model_dump(mode="json", by_alias=True) if old else {}
    b = new.model_dump(mode="json", by_alias=True) if new else {}
    out: list[Change] = []
    if a.get("reporting_period") != b.get("reporting_period"):
        out.append(
            Change(
                "reporting_period",
                old.reporting_period.label if old else None,
                new.reporting_period.label if new else None,
            )
        )
    pa = {p["id"]: p for p in a.get("priorities", [])}
    pb = {p["id"]: p for p in b.get("priorities", [])}
    for pid in list(pa) + [p for p in pb if p not in pa]:
        for key in ("title", "description"):
            x = pa.get(pid, {}).get(key)
            y = pb.get(pid, {}).get(key)
            if x != y:
                out.append(Change(f"priorities[{pid}].{key}", x, y))
    if list(pa) != list(pb) and set(pa) == set(pb):
        out.append(Change("priorities (order)", ", ".join(pa), ", ".join(pb)))
    for key, x, y in _flatten_pairs(a, b, skip=("reporting_period", "priorities")):
        out.append(Change(key, x, y))
    return out


def _flatten_pairs(
    a: dict[str, Any], b: dict[str, Any], skip: Iterable[str]
) -> list[tuple[str, str | None, str | None]]:
    out: list[tuple[str, str | None, str | None]] = []

    def walk(prefix: str, x: Any, y: Any) -> None:
        if isinstance(x, dict) and isinstance(y, dict):
            for k in list(x) + [k for k in y if k not in x]:
                walk(f"{prefix}.{k}" if prefix else k, x.get(k), y.get(k))
        elif x != y:
            out.append(
                (prefix, None if x is None else compact(x), None if y is None else compact(y))
            )

    skipped = set(skip)
    walk(
        "",
        {k: v for k, v in a.items() if k not in skipped},
        {k: v for k, v in b.items() if k not in skipped},
    )
    return out


def _or_none(value: Any) -> str | None:
    return None if value is None else compact(value)


def _page_changes(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    out = []
    for path in sorted(set(old) | set(new)):
        x, y = old.get(path), new.get(path)
        if x != y:
            out.append(
                Change(
                    path, "present" if x is not None else None, "present" if y is not None else None
                )
            )
    return out


def _present(text: str | None) -> str | None:
    return None if text is None else "present"


def _warning_changes(
    old: Problems, new: Problems, file_map: dict[str, str]
) -> tuple[list[Problem], list[Problem]]:
    """Warnings in NEW that OLD did not have, and the reverse; line numbers are ignored because
    an edit above a warning moves it without changing it."""

    def key(p: Problem, files: dict[str, str]) -> tuple[str, str, str, str]:
        return (files.get(p.file, p.file), p.field, p.message, p.code)

    before = {key(p, file_map) for p in old.warnings}
    after = {key(p, {}) for p in new.warnings}
    introduced = [p for p in new.warnings if key(p, {}) not in before]
    resolved = [p for p in old.warnings if key(p, file_map) not in after]
    return introduced, resolved


# ---- JSON ------------------------------------------------------------------------------------


def to_json(diff: SiteDiff) -> str:
    return json.dumps(asdict(diff, dict_factory=json_fields), indent=2, ensure_ascii=False) + "\n"
