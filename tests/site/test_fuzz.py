"""Fuzzing: whatever a file holds, the only outcomes are a valid model or reported problems.

Hypothesis generates (a) YAML documents: token soup with anchors, aliases, tags, odd unicode,
tabs and line ends; real YAML dumped from random data with shared (aliased) parts; random bytes;
and (b) near-valid indicator and site files with random wrong types, values and periods. Each
goes through the loader, the validator, assessment and page rendering. Any exception other than
a reported problem fails the test.

CI runs a fixed number of examples per property, derandomized and without a database, so runs
are repeatable. PERFPAGES_FUZZ_EXAMPLES sets the number (default 300); each test prints how many
examples it ran (``pytest -s``).
"""

from __future__ import annotations

import copy
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from generator.assess.assessment import assess_site
from generator.render.pages import all_outputs
from generator.site.loader import load_site
from generator.site.periods import parse_period
from generator.site.problems import Problems
from generator.site.yaml_reader import parse_yaml

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---- (a) YAML documents --------------------------------------------------------------------

FRAGMENTS = [
    "title", "values", "period", "value", "target", "priority", "kind", "project", "note",
    ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ", "*b", "*undefined",
    "!!python/object/apply:os.system ", "!!python/name:os.system", "!!str ", "!!int ",
    "!!float ", "!!binary ", "!!set ", "!!omap ", "!!timestamp ", "!!map ", "!!seq ",
    "!include ", "!", "!!", "---", "...", "|", ">", "|-", ">+", "|2", "'", '"', "''", '\\"',
    "#", "# comment", "? ", "<<: *a", "<<", "%YAML 1.1", "%TAG ! tag:x,2000:", "\t", "  ",
    "2019/20 Q1", "2019 Q5", "Apr-19", "2019/21", "9999/00 Q4", "0000", "0001-01-01",
    "85%", "1,234", "TBC", ".nan", ".inf", "-.inf", "0x1F", "1e400", "-1e400", "1e30",
    "1_000", "0o17", "~", "null", "yes", "no", "on", "true", "=HYPERLINK(1)", "@", "`", "%",
    "\ufeff", "\u2028", "\u2029", "\x85", "\x00", "\x7f", "\x1b", "\ud7ff", "\ue000", "\U0001f600",
    "\u200b", "\u202e", "é", "ß", "İ", "ǅ", "\u0301", "😀", "\\u0000", "\\x41", "\r",
]  # fmt: skip

_line = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "    ", "\t", "  - ", "- "]),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=6),
).map(lambda t: t[0] + "".join(t[1]))

token_soup = st.tuples(st.lists(_line, max_size=25), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda t: t[1].join(t[0])
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(FRAGMENTS),
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=8), st.sampled_from(FRAGMENTS)), inner, max_size=4
        ),
    ),
    max_leaves=20,
)


@st.composite
def dumped_yaml(draw: st.DrawFn) -> str:
    """Real YAML from random data; a part used twice is written with an anchor and an alias."""
    shared = draw(plain_data)
    keys = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5, unique=True))
    data: dict[str, Any] = {
        key: (shared if draw(st.booleans()) else draw(plain_data)) for key in keys
    }
    style = draw(st.sampled_from([None, True, False]))
    return yaml.dump(data, default_flow_style=style, allow_unicode=draw(st.booleans()))


yaml_bytes = st.one_of(
    token_soup.map(lambda s: s.encode("utf-8", "surrogatepass")),
    dumped_yaml().map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(max_size=300),
    st.tuples(
        st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]), st.binary(max_size=100)
    ).map(lambda t: t[0] + t[1]),
)


def run_counted(test: Callable[[], None], counter: list[int], name: str) -> None:
    test()
    print(f"{name}: {len(counter)} examples")
    # Hypothesis stops early only when it has tried every distinct input of a strategy.
    assert len(counter) >= min(EXAMPLES, 50)


def check_problems(problems: Problems) -> None:
    """Reported problems are well formed: a file, a line, a message; never a Python repr."""
    assert problems.errors
    for p in problems:
        assert p.file
        assert p.message.strip()
        assert "Traceback" not in p.message
        assert "object at 0x" not in p.message


def test_loader_never_raises() -> None:
    counter: list[int] = []

    @FUZZ
    @given(raw=yaml_bytes)
    def check(raw: bytes) -> None:
        counter.append(1)
        problems = Problems()
        doc = parse_yaml(raw, Path("x.yml"), "indicators/x.yml", problems)
        if doc is None:
            check_problems(problems)
        else:
            assert not problems.errors
            assert doc.line(()) >= 1

    run_counted(check, counter, "YAML documents")


# ---- (b) near-valid indicator and site files -------------------------------------------------

CONFIG: dict[str, Any] = {
    "site": {"title": "Fuzz council", "organisation": "Fuzz Council"},
    "reporting_period": "2019/20 Q2",
    "priorities": [{"id": "health", "title": "Health"}],
}
MEASURE: dict[str, Any] = {
    "title": "A measure",
    "ref": "M-1",
    "priority": "health",
    "unit": "percent",
    "decimals": 1,
    "polarity": "higher_is_better",
    "target": [{"from": "2019/20 Q1", "value": 50}],
    "tolerance": {"percent": 5},
    "benchmarks": [{"label": "England", "value": 48.5, "period": "2018/19"}],
    "values": [
        {"period": "2019/20 Q1", "value": 45.5, "note": "Provisional"},
        {"period": "2019/20 Q2", "value": 51, "rating": "green", "rating_reason": "As published"},
        {"period": "2019 Q1", "value": None, "missing": "tbc"},
    ],
    "commentary": "It *rose*.",
    "earlier_commentary": [{"period": "2019/20 Q1", "commentary": "Before."}],
}
PROJECT: dict[str, Any] = {
    "title": "A project",
    "priority": "health",
    "kind": "project",
    "updates": [
        {"period": "2019/20 Q1", "rating": "amber", "progress": "progressing"},
        {"period": "2019/20 Q2", "rating": "green", "progress": "achieved_milestone"},
    ],
    "milestones": [{"title": "Open", "due": "2019-11", "status": "on_track"}],
    "next_steps": ["Open the doors"],
}

PERIODS = [
    "2019", "2019 Q3", "2019-07", "2019-09-30", "2019/20", "2019/20 Q2", "2020-02-29",
    "2019-02-29", "Apr-19", "2019/21", "2019 Q5", "2019-13", "0000", "0001", "0001 Q1",
    "0001-01", "0001-01-01", "9999", "9999 Q4", "9999-12-31", "9999/00", "9999/00 Q4",
    "1899/00", "2019/20 q2", "Q2 2019/20", "", " ", "2019.5",
]  # fmt: skip
NUMBERS = [
    "85%", "TBC", "1,234", ">72%", "£1.2m", "NaN", "inf", "-0", "1e308", "1e-320", "0.1",
    1e308, -1e308, 1e30, -1e30, 1e-320, 5e-324, 0.0, -0.0, 10**30, -(10**30), 2**63, 123456789.123456789,
]  # fmt: skip
WORDS = ["measure", "project", "percent", "currency", "days", "red", "green", "neutral", "tbc",
         "higher_is_better", "lower_is_better", "quarterly", "discontinued", "closed", "GBP",
         "million", "health", "Health", "x" * 300, "<script>", "=cmd"]  # fmt: skip

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(PERIODS + NUMBERS + WORDS),
    st.lists(st.sampled_from(PERIODS + NUMBERS + WORDS), max_size=3),
    st.dictionaries(st.sampled_from(["from", "value", "label", "period", "percent", "x"]),
                    st.sampled_from(PERIODS + NUMBERS + WORDS), max_size=3),
)  # fmt: skip


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document where a value sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with a few random edits: values replaced by junk, fields removed or misnamed,
    list items repeated (the same period twice)."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        where = list(paths(doc))
        if not where:
            break
        path = draw(st.sampled_from(where))
        parent, key = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["set", "set", "set", "delete", "rename", "repeat"]))
        if action == "set":
            parent[key] = draw(junk)
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from([str(key).upper(), f"{key}s", "colour", f"{key} "]))] = (
                parent.pop(key)
            )
        elif action == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return doc


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


class SiteFolder:
    """One temporary site folder, rewritten for every example."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "indicators").mkdir(parents=True, exist_ok=True)

    def write(self, config: Any, indicators: dict[str, Any]) -> None:
        (self.root / "site_config.yml").write_text(_dump(config), encoding="utf-8")
        for old in (self.root / "indicators").glob("*.yml"):
            old.unlink()
        for name, data in indicators.items():
            (self.root / "indicators" / f"{name}.yml").write_text(_dump(data), encoding="utf-8")


def build_in_memory(root: Path, valid: bool = False) -> None:
    """load -> validate -> assess -> render (everything before MkDocs); problems or pages.

    With ``valid`` the files are valid by construction: any reported error fails the test, and
    every indicator must reach a page of its own."""
    problems = Problems()
    site = load_site(root, problems)
    if valid:
        assert site is not None and not problems.errors, [p.format() for p in problems.errors]
    if site is None:
        check_problems(problems)
        return
    assert not problems.errors
    assessed = assess_site(site, problems)
    outputs = all_outputs(site, assessed)
    paths = {o.path for o in outputs}
    assert "index.md" in paths
    for indicator in site.indicators:
        assert f"indicators/{indicator.id}.md" in paths, indicator.id
    for output in outputs:
        output.data.decode("utf-8")


def test_indicator_files_never_raise() -> None:
    counter: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        site = SiteFolder(Path(folder))

        @FUZZ
        @given(
            measure=mutated(MEASURE),
            project=st.one_of(st.just(PROJECT), mutated(PROJECT)),
            reporting=st.sampled_from(PERIODS),
        )
        def check(measure: dict[str, Any], project: dict[str, Any], reporting: str) -> None:
            counter.append(1)
            config = {**CONFIG, "reporting_period": reporting}
            site.write(config, {"fuzz-measure": measure, "fuzz-project": project})
            build_in_memory(site.root)

        run_counted(check, counter, "indicator structures")


def test_site_config_never_raises() -> None:
    counter: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        site = SiteFolder(Path(folder))
        config_base = {
            **CONFIG,
            "financial_year_start_month": 4,
            "ratings": {"tolerance": {"absolute": 2}, "stale_after_months": 12},
            "accessibility": {"last_tested": "2019-09-30", "known_limitations": ["Charts"]},
            "data": {"licence": "OGL", "licence_url": "https://example.org/"},
        }

        @FUZZ
        @given(config=mutated(config_base))
        def check(config: dict[str, Any]) -> None:
            counter.append(1)
            site.write(config, {"fuzz-measure": MEASURE, "fuzz-project": PROJECT})
            build_in_memory(site.root)

        run_counted(check, counter, "site configurations")


def test_numbers_that_are_valid_render() -> None:
    """Extreme but valid numbers (tiny, huge, negative zero) reach the pages without error."""
    counter: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        site = SiteFolder(Path(folder))

        @FUZZ
        @given(
            values=st.lists(
                st.one_of(
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.integers(min_value=-(10**20), max_value=10**20),
                ),
                min_size=1,
                max_size=4,
            ),
            target=st.floats(allow_nan=False, allow_infinity=False),
            decimals=st.integers(min_value=0, max_value=6),
            unit=st.sampled_from(["percent", "number", "currency", "days", "placements"]),
        )
        def check(values: list[float], target: float, decimals: int, unit: str) -> None:
            counter.append(1)
            measure = {
                **MEASURE,
                "unit": unit,
                "decimals": decimals,
                "target": target,
                "values": [
                    {"period": f"{2000 + i}/{(1 + i) % 100:02d}", "value": v}
                    for i, v in enumerate(values)
                ],
            }
            site.write(CONFIG, {"fuzz-measure": measure})
            build_in_memory(site.root, valid=True)

        run_counted(check, counter, "valid numbers")


@st.composite
def valid_period(draw: st.DrawFn) -> str:
    """Any period in any of the six forms, across every year perfpages accepts."""
    year = draw(
        st.one_of(st.integers(min_value=1000, max_value=9998), st.sampled_from([1000, 9998]))
    )
    form = draw(st.sampled_from(["year", "quarter", "month", "date", "fy", "fyq"]))
    if form == "year":
        return f"{year}"
    if form == "quarter":
        return f"{year} Q{draw(st.integers(1, 4))}"
    if form == "month":
        return f"{year}-{draw(st.integers(1, 12)):02d}"
    if form == "date":
        return f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
    fy = f"{year}/{(year + 1) % 100:02d}"
    return fy if form == "fy" else f"{fy} Q{draw(st.integers(1, 4))}"


def test_valid_periods_render() -> None:
    """Every valid period, as reporting period or value period, under any financial year start
    and staleness limit, reaches the pages (no date arithmetic falls off the calendar)."""
    counter: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        site = SiteFolder(Path(folder))

        @FUZZ
        @given(
            reporting=valid_period(),
            periods=st.lists(valid_period(), min_size=1, max_size=3, unique=True),
            start=st.integers(min_value=1, max_value=12),
            stale=st.one_of(st.integers(min_value=1, max_value=1200), st.just(1200)),
        )
        def check(reporting: str, periods: list[str], start: int, stale: int) -> None:
            # Two forms of one period (1000 and 1000/01 when the year starts in January) are
            # a duplicate, which the loader rightly refuses: not valid input.
            assume(len({parse_period(p, start) for p in periods}) == len(periods))
            counter.append(1)
            config = {
                **CONFIG,
                "reporting_period": reporting,
                "financial_year_start_month": start,
                "ratings": {"stale_after_months": stale},
            }
            measure = {
                **MEASURE,
                "target": 50,
                "values": [{"period": p, "value": i} for i, p in enumerate(periods)],
                "earlier_commentary": [],
            }
            project = {
                **PROJECT,
                "updates": [
                    {"period": p, "rating": "green", "progress": "progressing"} for p in periods
                ],
                "milestones": [{"title": "x", "due": periods[0], "status": "done"}],
            }
            site.write(config, {"fuzz-measure": measure, "fuzz-project": project})
            build_in_memory(site.root, valid=True)

        run_counted(check, counter, "valid periods")


def test_fuzz_checks_can_fail() -> None:
    """The property holds by what the code does, not by the checks being empty."""
    problems = Problems()
    assert parse_yaml(b"title: [", Path("x.yml"), "x.yml", problems) is None
    check_problems(problems)
    assert math.isnan(float("nan"))
    try:
        check_problems(Problems())
    except AssertionError:
        pass
    else:
        raise AssertionError("an empty problem list was accepted as a reported failure")


# A planted bug fails every example: the first few show it, and shrinking them is not needed.
PLANTED = settings(FUZZ, max_examples=10, phases=[Phase.generate])


@pytest.mark.parametrize("test", [test_numbers_that_are_valid_render, test_valid_periods_render])
def test_the_valid_input_properties_fail_when_valid_input_is_rejected(
    test: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A planted bug: a loader that rejects every file with a well-formed message. The two
    properties over valid input must catch it (they once passed, since a reported problem was
    all they asked for)."""

    def rejecting(root: Path, problems: Problems, *args: Any, **kwargs: Any) -> None:
        problems.add("site_config.yml", 1, "title", "planted: rejected")
        return None

    monkeypatch.setattr(sys.modules[__name__], "load_site", rejecting)
    monkeypatch.setattr(sys.modules[__name__], "FUZZ", PLANTED)
    with pytest.raises(AssertionError, match="planted: rejected"):
        test()


def test_the_valid_input_properties_fail_when_an_indicator_page_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A planted bug: the renderer drops the indicator pages without a word."""

    real = all_outputs

    def without_indicators(site: Any, assessed: Any) -> list[Any]:
        return [o for o in real(site, assessed) if not o.path.startswith("indicators/")]

    monkeypatch.setattr(sys.modules[__name__], "all_outputs", without_indicators)
    monkeypatch.setattr(sys.modules[__name__], "FUZZ", PLANTED)
    with pytest.raises(AssertionError, match="fuzz-measure"):
        test_numbers_that_are_valid_render()
