"""The in-place edit and the check that guards it (can it refuse what it should?)."""

from __future__ import annotations

import pytest

from generator.importers.yaml_edit import (
    EditError,
    FileEdit,
    PointEdit,
    RawNumber,
    check_edit,
    detect_indent,
    edit_measure,
    insert_position,
)
from generator.site.periods import parse_period

OLD = "title: T\n# keep me\nvalues:\n  - period: 2019\n    value: 1\n"


def test_check_accepts_an_edit_inside_the_allowed_lines() -> None:
    new = OLD.replace("value: 1", "value: 2")
    expected = {"title": "T", "values": [{"period": 2019, "value": 2}]}
    check_edit(OLD, new, "x.yml", expected, changeable=[(4, 5)], insertable=[(3, 5)])


def test_check_refuses_a_change_outside_the_allowed_lines() -> None:
    new = OLD.replace("# keep me", "# kept").replace("value: 1", "value: 2")
    expected = {"title": "T", "values": [{"period": 2019, "value": 2}]}
    with pytest.raises(EditError, match=r"line 2 would change \('# keep me'\)"):
        check_edit(OLD, new, "x.yml", expected, changeable=[(4, 5)], insertable=[(3, 5)])


def test_check_refuses_text_that_reads_back_differently() -> None:
    new = OLD.replace("period: 2019", "period: 2019-07")
    expected = {"title": "T", "values": [{"period": 2019, "value": 1}]}
    with pytest.raises(EditError, match="would not read back as the intended values"):
        check_edit(OLD, new, "x.yml", expected, changeable=[(4, 5)], insertable=[(3, 5)])


def test_check_refuses_lines_added_outside_the_values() -> None:
    new = "extra: 1\n" + OLD
    expected = {"extra": 1, "title": "T", "values": [{"period": 2019, "value": 1}]}
    with pytest.raises(EditError, match="lines would be added at line 1, outside the values"):
        check_edit(OLD, new, "x.yml", expected, changeable=[], insertable=[(3, 5)])


def test_indentation_is_read_from_the_values_list() -> None:
    assert detect_indent("a:\n  b: 1\nvalues:\n  - period: x\n") == (2, 2)
    assert detect_indent("tags:\n  - x\nvalues:\n- period: x\n") == (2, 0)
    assert detect_indent("site:\n    title: x\n") == (4, 2)


def test_insert_position_keeps_time_order_either_way() -> None:
    q = [parse_period(f"2019/20 Q{n}") for n in (1, 2, 4)]
    assert insert_position(q, parse_period("2019/20 Q3")) == 2
    assert insert_position(list(reversed(q)), parse_period("2019/20 Q3")) == 1
    assert insert_position([], parse_period("2019")) == 0


def test_numbers_are_written_as_given_and_year_periods_quoted() -> None:
    edit = FileEdit(
        periods=[],
        points=[PointEdit(parse_period("2020"), None, {"value": RawNumber("85.10")})],
    )
    text = edit_measure("title: T\nvalues: []\n", edit)
    assert text == 'title: T\nvalues:\n  - period: "2020"\n    value: 85.10\n'
