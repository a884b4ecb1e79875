"""The comparison of two sites written as Markdown for a pull-request comment.

Made to stay readable for a whole quarter's update: a headline and counts first, then one
collapsed block per changed indicator whose summary line already says what matters (values
added, rating moves). Everything taken from the user's files is escaped: the comment shows
their words, never their markup, and never mentions (@name) anyone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from generator.assess.assessment import PROJECT_COUNTS
from generator.diff.compare import (
    Change,
    CountChange,
    IndicatorChange,
    PeriodChange,
    SiteDiff,
    SummaryChange,
    TextChange,
)
from generator.site.i18n import t
from generator.site.problems import Problem, plural

TITLE = "perfpages: what this change does to the site"
REWRITTEN_BELOW = 0.35  # word similarity under which a text reads as rewritten, not edited
MAX_PROBLEMS = 25
BRIEF_TEXT_CHARS = 400
COUNT_WORDS = {
    "no_position": "No data",
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def inline(text: str) -> str:
    """User text safe inside a Markdown line: no markup, no HTML, no @mentions."""
    text = " ".join(text.split())
    return _protect(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def _protect(text: str) -> str:
    # A word joiner after @ keeps GitHub from notifying whoever the text names.
    return text.replace("@", "@\u2060")


def code(text: str) -> str:
    """Text in a code span (ids, field names, paths)."""
    text = text.replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def summary_html(text: str) -> str:
    """Text inside <summary>, where GitHub reads HTML but not Markdown."""
    return _protect(html.escape(" ".join(text.split())))


def count_word(name: str) -> str:
    if name in COUNT_WORDS:
        return COUNT_WORDS[name]
    if name in ("improving", "steady", "declining"):
        return t(f"direction.{name}")
    if name in PROJECT_COUNTS:
        return t("common.projects") + ": " + t(f"home.project_column.{name}").lower()
    return t(f"rating.{name}")


def markdown(diff: SiteDiff, *, max_chars: int | None = None) -> str:
    """The comparison as Markdown; with ``max_chars``, long texts are shortened, then it is cut."""
    full = _render(diff, brief=False)
    if max_chars is None or len(full) <= max_chars:
        return full
    brief = _render(diff, brief=True)
    if len(brief) <= max_chars:
        return brief
    note = (
        "\n\n**The report is cut here to fit in one comment.** "
        "Run `perfpages diff` locally or open the workflow's summary for all of it.\n"
    )
    lines = brief[: max_chars - len(note)].split("\n")[:-1]
    while lines and len(_close_details("\n".join(lines)) + note) > max_chars:
        lines.pop()
    return _close_details("\n".join(lines)) + note


def _close_details(text: str) -> str:
    """Close any <details> left open by cutting the Markdown short."""
    opened = text.count("<details>") - text.count("</details>")
    return text + "\n\n</details>" * max(opened, 0)


def _render(diff: SiteDiff, *, brief: bool) -> str:
    lines: list[str] = [f"### {TITLE}", ""]
    lines += _sides(diff)
    if brief:
        lines += [
            "_Long texts are shortened to fit in one comment; the workflow's summary and "
            "`perfpages diff` show them in full._",
            "",
        ]
    lines += _errors(diff)
    if diff.empty and not diff.summary:
        lines += ["No change to what the site publishes.", ""]
        return "\n".join(lines).rstrip() + "\n"
    lines += _headline(diff)
    lines += _counts(diff)
    lines += _warnings(diff)
    lines += _added(diff.of("added"))
    lines += _removed(diff.of("removed"))
    lines += _renamed(diff.of("renamed"))
    changed = diff.of("changed") + [c for c in diff.of("renamed") if c.content_changed]
    if changed:
        lines += ["#### Changed indicators", ""]
        for change in changed:
            lines += _indicator(change, brief)
    lines += _settings(diff.settings, diff.pages)
    return "\n".join(lines).rstrip() + "\n"


def _sides(diff: SiteDiff) -> list[str]:
    def name(label: str, revision: str | None) -> str:
        return f"{code(label)} ({revision[:7]})" if revision else code(label)

    old, new = name(diff.old.label, diff.old.revision), name(diff.new.label, diff.new.revision)
    line = f"Comparing {old} → {new}"
    period = next((s for s in diff.settings if s.field == "reporting_period"), None)
    if period is not None:
        line += f" · reporting period **{_arrow(period.old, period.new)}**"
    elif diff.new.reporting_period:
        line += f" · reporting period {inline(diff.new.reporting_period)}"
    return [line, ""]


def _errors(diff: SiteDiff) -> list[str]:
    lines: list[str] = []
    for side, word in ((diff.new, "the new version"), (diff.old, "the old version")):
        if not side.errors:
            continue
        them = "it is" if len(side.errors) == 1 else "they are"
        consequence = f" — the site will not build until {them} fixed" if side is diff.new else ""
        lines += ["> [!CAUTION]", f"> {plural(len(side.errors), 'error')} in {word}{consequence}:"]
        lines += [f"> - {_problem(p)}" for p in side.errors[:MAX_PROBLEMS]]
        if len(side.errors) > MAX_PROBLEMS:
            lines.append(
                f"> - … and {len(side.errors) - MAX_PROBLEMS} more (run `perfpages validate`)"
            )
        lines.append("")
    return lines


def _problem(p: Problem) -> str:
    where = f"{p.file}:{p.line}" if p.line else p.file
    field = f" {code(p.field)}:" if p.field else ""
    return f"{code(where)}{field} {inline(p.message)}"


def _headline(diff: SiteDiff) -> list[str]:
    lines: list[str] = []
    overall = next((s for s in diff.summary if s.scope == "overall"), None)
    if overall is not None:
        if overall.old_headline != overall.new_headline:
            lines.append(f"**Headline:** {overall.old_headline} → **{overall.new_headline}**  ")
        if overall.counts:
            lines.append(f"**Overall:** {_count_changes(overall.counts)}")
        lines.append("")
    priorities = [s for s in diff.summary if s.scope != "overall"]
    if priorities:
        lines += [
            f"<details><summary>By priority "
            f"({plural(len(priorities), 'priority', 'priorities')} changed)</summary>",
            "",
            "| Priority | Change |",
            "|---|---|",
        ]
        lines += [
            f"| {inline(s.title)} | {_count_changes(s.counts) or 'no count changed'} |"
            for s in priorities
        ]
        lines += ["", "</details>", ""]
    return lines


def _count_changes(counts: Iterable[CountChange]) -> str:
    return " · ".join(f"{count_word(c.name)} {c.old} → {c.new}" for c in counts)


def _counts(diff: SiteDiff) -> list[str]:
    parts = []
    for kind in ("added", "removed", "renamed", "changed"):
        n = len(diff.of(kind))
        if n:
            parts.append(f"{n} {kind}")
    parts.append(f"{diff.unchanged} unchanged")
    return [f"**Indicators:** {', '.join(parts)}", ""]


def _warnings(diff: SiteDiff) -> list[str]:
    lines: list[str] = []
    if diff.new_warnings:
        lines += [
            "> [!WARNING]",
            f"> This change brings in {plural(len(diff.new_warnings), 'warning')}"
            " (the strict build in CI fails on warnings):",
        ]
        lines += [f"> - {_problem(p)}" for p in diff.new_warnings[:MAX_PROBLEMS]]
        if len(diff.new_warnings) > MAX_PROBLEMS:
            lines.append(f"> - … and {len(diff.new_warnings) - MAX_PROBLEMS} more")
        lines.append("")
    if diff.resolved_warnings:
        lines += [f"It resolves {plural(len(diff.resolved_warnings), 'warning')}.", ""]
    return lines


def _added(changes: list[IndicatorChange]) -> list[str]:
    if not changes:
        return []
    lines = ["#### Added", ""]
    for c in changes:
        extra = ""
        if c.position and c.position.new_rating:
            extra = f" — {c.position.new_rating} ({c.position.new_period})"
        if c.invalid:
            extra = " — has errors (see above)"
        lines.append(f"- {code(c.id)} {inline(c.title)} ({c.kind}, {code(c.file)}){extra}")
    return [*lines, ""]


def _removed(changes: list[IndicatorChange]) -> list[str]:
    if not changes:
        return []
    lines = ["#### Removed", ""]
    for c in changes:
        lines.append(
            f"- {code(c.id)} {inline(c.title)}: its page /indicators/{c.id}/ and data files "
            "will no longer be published (to keep its history, set `status: discontinued` instead)"
        )
    return [*lines, ""]


def _renamed(changes: list[IndicatorChange]) -> list[str]:
    if not changes:
        return []
    lines = ["#### Renamed", ""]
    for c in changes:
        lines.append(
            f"- {code(c.old_id or '')} → {code(c.id)} {inline(c.title)}: the page address changes "
            f"from /indicators/{c.old_id}/ to /indicators/{c.id}/, so links to the old one break"
        )
    return [*lines, ""]


# ---- One changed indicator -------------------------------------------------------------------


def _gist(c: IndicatorChange) -> str:
    """What the summary line of an indicator's block says without opening it."""
    parts: list[str] = []
    kinds = {k: sum(1 for p in c.periods if p.change == k) for k in ("added", "changed", "removed")}
    noun = "update" if c.kind == "project" else "value"
    for k, n in kinds.items():
        if n:
            parts.append(f"{plural(n, noun)} {k}")
    if c.target:
        parts.append("target changed")
    p = c.position
    if p and p.old_rating != p.new_rating:
        parts.append(f"{p.old_rating or 'no rating'} → {p.new_rating or 'no rating'}")
    elif p:
        parts.append(f"{p.old_direction or 'no direction'} → {p.new_direction or 'no direction'}")
    if c.texts:
        parts.append("text edited")
    if c.fields:
        parts.append(plural(len(c.fields), "other field"))
    if c.invalid:
        parts.append("has errors")
    if c.old_file and not c.old_id:
        parts.append("file moved")
    return ", ".join(parts) or "changed"


def _indicator(c: IndicatorChange, brief: bool) -> list[str]:
    lines = [
        f"<details><summary><b>{summary_html(c.title)}</b> <code>{html.escape(c.id)}</code>"
        f" — {summary_html(_gist(c))}</summary>",
        "",
    ]
    if c.old_file and c.change != "renamed":
        lines += [f"File moved: {code(c.old_file)} → {code(c.file)}", ""]
    if c.position:
        lines += [_position(c), ""]
    if c.periods:
        lines += _periods(c)
    if c.target:
        lines += [
            f"**Target:** {inline(c.target.old or 'none')} → {inline(c.target.new or 'none')}",
            "",
        ]
    for text in c.texts:
        lines += _text(text, brief)
    if c.fields:
        lines += ["**Other fields:**", ""]
        lines += [f"- {_change(f)}" for f in c.fields]
        lines.append("")
    lines += ["</details>", ""]
    return lines


def _position(c: IndicatorChange) -> str:
    p = c.position
    assert p is not None

    def side(rating: str | None, direction: str | None, period: str | None) -> str:
        if rating is None:
            return "no data"
        words = rating + (f", {direction.lower()}" if direction else "")
        return f"{words} ({period})" if period else words

    old = side(p.old_rating, p.old_direction, p.old_period)
    new = side(p.new_rating, p.new_direction, p.new_period)
    return f"**At the reporting period:** {old} → **{new}**"


def _periods(c: IndicatorChange) -> list[str]:
    head = "Update" if c.kind == "project" else "Value"
    lines = [f"| Period | {head} before | {head} after | |", "|---|---|---|---|"]
    for p in c.periods:
        lines.append(
            f"| {p.period} | {inline(p.old) if p.old else '—'} | {inline(p.new) if p.new else '—'} "
            f"| {_period_note(p)} |"
        )
    return [*lines, ""]


def _period_note(p: PeriodChange) -> str:
    notes: list[str] = [p.change]
    for d in p.details:
        if d.new is None:
            notes.append(f"{d.field} removed")
        elif d.old is None:
            notes.append(f"{d.field}: {inline(d.new)}")
        else:
            notes.append(f"{d.field}: {inline(d.old)} → {inline(d.new)}")
    return "; ".join(notes)


def _arrow(old: str | None, new: str | None) -> str:
    return f"{inline(old or 'none')} → {inline(new or 'none')}"


def _change(f: Change) -> str:
    if f.old is None:
        return f"{code(f.field)} added: {inline(f.new or '')}"
    if f.new is None:
        return f"{code(f.field)} removed (was {inline(f.old)})"
    return f"{code(f.field)}: {inline(f.old)} → {inline(f.new)}"


def _text(change: TextChange, brief: bool) -> list[str]:
    name = code(change.field)
    if change.moved_from:
        return [f"**{name}** added: the previous {code(change.moved_from)}, word for word.", ""]
    if not (change.old or "").strip():
        return [f"**{name}** added:", "", *_quote_text(change.new or "", brief), ""]
    if not (change.new or "").strip():
        return [f"**{name}** removed.", ""]
    if change.similarity < REWRITTEN_BELOW:
        lines = [f"**{name}** rewritten:", "", *_quote_text(change.new or "", brief), ""]
        if not brief:
            lines += [
                "<details><summary>Previous text</summary>",
                "",
                *_quote_text(change.old or "", brief),
                "",
                "</details>",
                "",
            ]
        return lines
    return [f"**{name}** edited:", "", *_word_diff_lines(change), ""]


def _quote_text(text: str, brief: bool) -> list[str]:
    body = text.strip()
    if brief and len(body) > BRIEF_TEXT_CHARS:
        body = body[:BRIEF_TEXT_CHARS].rsplit(" ", 1)[0] + " …"
    return [f"> {_escape_line(line)}" if line.strip() else ">" for line in body.splitlines()]


def _escape_line(line: str) -> str:
    """A line of the user's Markdown shown as text, keeping its list marker readable."""
    marker = re.match(r"\s*(?:[-*+]|\d+[.)])\s+", line)
    head = ""
    if marker:
        head = "- " if marker.group().strip() in "-*+" else marker.group().strip() + " "
        line = line[marker.end() :]
    return head + inline(line)


def _word_diff_lines(change: TextChange) -> list[str]:
    """The new text with deletions struck and insertions marked; unchanged lines elided."""
    lines: list[list[str]] = [[]]
    changed: list[bool] = [False]
    for seg in change.segments:
        for i, piece in enumerate(seg.text.split("\n")):
            if i > 0:
                lines.append([])
                changed.append(False)
            if not piece:
                continue
            core = inline(piece)
            before = " " if piece[0].isspace() else ""
            after = " " if piece[-1].isspace() and core else ""
            if core and seg.op == "delete":
                core, changed[-1] = f"<del>{core}</del>", True
            elif core and seg.op == "insert":
                core, changed[-1] = f"<ins>{core}</ins>", True
            lines[-1].append(before + core + after)
    blocks = _blocks(["".join(parts) for parts in lines], changed)
    out: list[str] = []
    skipped = False
    for text, marked in blocks:
        if marked:
            if skipped and out:
                out.append("> …")
            if out:
                out.append(">")
            out.append(f"> {text}")
            skipped = False
        elif text:
            skipped = True
    return out


_BLOCK_START = re.compile(r"\s*(?:[-*+]|\d+[.)]|#+)\s")


def _blocks(lines: list[str], changed: list[bool]) -> list[tuple[str, bool]]:
    """Lines joined into paragraphs and list items, so a change is shown with its sentence."""
    blocks: list[tuple[str, bool]] = []
    open_block = False
    for text, marked in zip(lines, changed, strict=True):
        if not text.strip():
            if marked and blocks:
                blocks[-1] = (blocks[-1][0], True)
            open_block = False
            continue
        if open_block and not _BLOCK_START.match(text):
            joined, was = blocks[-1]
            blocks[-1] = (f"{joined} {text.strip()}", was or marked)
        else:
            blocks.append((text.strip(), marked))
        open_block = True
    return [(re.sub(r" {2,}", " ", text), marked) for text, marked in blocks]


def _settings(settings: list[Change], pages: list[Change]) -> list[str]:
    if not settings and not pages:
        return []
    lines = ["#### Site settings and pages", ""]
    lines += [f"- `site_config.yml` {_change(s)}" for s in settings]
    for p in pages:
        if p.old is None:
            lines.append(f"- {code(p.field)} added")
        elif p.new is None:
            lines.append(f"- {code(p.field)} removed")
        else:
            lines.append(f"- {code(p.field)} changed")
    return [*lines, ""]


def summary_counts(summary: SummaryChange) -> str:
    return _count_changes(summary.counts)
