"""perfpages diff between two folders: what is compared, and how the report reads."""

from __future__ import annotations

import json

from generator.diff.compare import compact, compare, read_version
from generator.diff.markdown import inline, markdown
from generator.diff.words import Segment, word_diff
from tests.conftest import MINIMAL_CONFIG, MINIMAL_MEASURE, run_cli

PROJECT = """\
title: Test project
priority: economy
kind: project
updates:
  - period: 2019/20 Q1
    rating: amber
    progress: progressing
    commentary: Work started late.
milestones:
  - title: Contract signed
    due: 2019-09
    status: on_track
next_steps:
  - Sign the contract
"""


def diff_of(make_site, old: dict, new: dict, old_config=None, new_config=None):
    a = make_site(config=old_config, indicators=old, folder="old")
    b = make_site(config=new_config, indicators=new, folder="new")
    return compare(read_version(a.root, "old"), read_version(b.root, "new"))


def test_identical_sites_have_no_changes(make_site):
    report = diff_of(make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": MINIMAL_MEASURE})
    assert report.indicators == []
    assert report.unchanged == 1
    assert report.summary == []
    assert "No change to what the site publishes." in markdown(report)


def test_values_added_changed_removed_with_units(make_site):
    new = MINIMAL_MEASURE.replace("value: 85", "value: 87.5").replace(
        "  - period: 2019/20 Q2\n    value: 91\n",
        "  - period: 2019/20 Q3\n    value: 92\n",
    )
    report = diff_of(make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": new})
    (change,) = report.indicators
    assert change.change == "changed"
    rows = [(p.period, p.change, p.old, p.new) for p in change.periods]
    # Each side as its site shows it: 87.5 makes the new side show one decimal place.
    assert rows == [
        ("Q3 2019/20", "added", None, "92.0%"),
        ("Q2 2019/20", "removed", "91%", None),
        ("Q1 2019/20", "changed", "85%", "87.5%"),
    ]
    assert [(p.old_value, p.new_value) for p in change.periods] == [
        (None, 92),
        (91, None),
        (85, 87.5),
    ]
    text = markdown(report)
    assert "| Q1 2019/20 | 85% | 87.5% | changed |" in text
    assert "| Q3 2019/20 | — | 92.0% | added |" in text


def test_target_rating_and_direction_at_the_reporting_period(make_site):
    new = MINIMAL_MEASURE.replace("target: 90", "target: 95")
    report = diff_of(make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": new})
    (change,) = report.indicators
    assert (change.target.old, change.target.new) == ("90%", "95%")
    p = change.position
    assert (p.old_rating, p.new_rating) == ("Green", "Amber")
    assert (p.old_direction, p.new_direction) == ("Improving", "Improving")
    overall = report.summary[0]
    assert overall.scope == "overall"
    assert [(c.name, c.old, c.new) for c in overall.counts] == [
        ("green", 1, 0),
        ("amber", 0, 1),
    ]
    assert overall.old_headline == "1 of 1 rated measures are Green (100%)"
    assert overall.new_headline == "0 of 1 rated measures are Green (0%)"
    text = markdown(report)
    assert "**Overall:** Green 1 → 0 · Amber 0 → 1" in text
    assert "| Health | Green 1 → 0 · Amber 0 → 1 |" in text
    assert "Green → Amber" in text  # the block's summary line
    assert "**Target:** 90% → 95%" in text


def test_moving_the_reporting_period_is_reported(make_site):
    later = {**MINIMAL_CONFIG, "reporting_period": "2019/20 Q1"}
    report = diff_of(
        make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": MINIMAL_MEASURE}, new_config=later
    )
    assert [(s.field, s.old, s.new) for s in report.settings] == [
        ("reporting_period", "Q2 2019/20", "Q1 2019/20")
    ]
    (change,) = report.indicators
    assert change.periods == []  # the file did not change; its position did
    assert (change.position.old_period, change.position.new_period) == (
        "Q2 2019/20",
        "Q1 2019/20",
    )
    assert (change.position.old_direction, change.position.new_direction) == ("Improving", None)
    assert "reporting period **Q2 2019/20 → Q1 2019/20**" in markdown(report)


def test_commentary_word_diff_shows_the_changed_sentence_only(make_site):
    old = MINIMAL_MEASURE + (
        "commentary: |\n"
        "  First paragraph stays the same.\n\n"
        "  Performance fell because of\n  late notices.\n\n"
        "  Last paragraph also stays.\n"
    )
    new = old.replace("Performance fell because of", "Performance rose despite")
    report = diff_of(make_site, {"m.yml": old}, {"m.yml": new})
    (text_change,) = report.indicators[0].texts
    assert text_change.field == "commentary"
    rendered = markdown(report)
    assert (
        "> Performance <del>fell because of</del><ins>rose despite</ins> late notices." in rendered
    )
    assert "First paragraph" not in rendered
    assert "Last paragraph" not in rendered


def test_rewritten_commentary_is_shown_in_full_with_the_old_text_folded(make_site):
    old = MINIMAL_MEASURE + "commentary: Alpha beta gamma delta.\n"
    new = MINIMAL_MEASURE + "commentary: Entirely different words here now.\n"
    rendered = markdown(diff_of(make_site, {"m.yml": old}, {"m.yml": new}))
    assert "**`commentary`** rewritten:" in rendered
    assert "> Entirely different words here now." in rendered
    assert "<details><summary>Previous text</summary>" in rendered
    assert "> Alpha beta gamma delta." in rendered


def test_other_fields_as_written(make_site):
    new = MINIMAL_MEASURE + "owner: Director of Health\ntags: [LAA, statutory]\n"
    new = new.replace("unit: percent", "unit: percent\ntolerance: {absolute: 2}")
    report = diff_of(make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": new})
    fields = [(f.field, f.old, f.new) for f in report.indicators[0].fields]
    assert fields == [
        ("tolerance", None, "{absolute: 2}"),
        ("owner", None, "Director of Health"),
        ("tags", None, "[LAA, statutory]"),
    ]


def test_ninety_and_ninety_point_zero_are_the_same_target(make_site):
    new = MINIMAL_MEASURE.replace("target: 90", "target: 90.0")
    report = diff_of(make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": new})
    assert report.indicators == []


def test_added_removed_and_renamed_indicators(make_site):
    other = MINIMAL_MEASURE.replace("Test measure", "Other measure")
    with_ref = MINIMAL_MEASURE.replace("title: Test measure", "title: Old name\nref: AB-1")
    renamed_ref = with_ref.replace("Old name", "New name").replace("value: 91", "value: 93")
    report = diff_of(
        make_site,
        {"a.yml": MINIMAL_MEASURE, "gone.yml": other, "coded.yml": with_ref},
        {"b.yml": MINIMAL_MEASURE, "new-one.yml": PROJECT, "recoded.yml": renamed_ref},
    )
    kinds = sorted((c.change, c.old_id, c.id) for c in report.indicators)
    assert kinds == [
        ("added", None, "new-one"),
        ("removed", None, "gone"),
        ("renamed", "a", "b"),
        ("renamed", "coded", "recoded"),
    ]
    text = markdown(report)
    assert "the page address changes from /indicators/a/ to /indicators/b/" in text
    assert "its page /indicators/gone/ and data files will no longer be published" in text
    # A rename with edits is also listed with its changes; a pure rename is not.
    assert "<code>recoded</code>" in text
    assert "<code>b</code>" not in text


def test_project_updates_milestones_and_next_steps(make_site):
    new = PROJECT.replace(
        "milestones:",
        "  - period: 2019/20 Q2\n    rating: green\n    progress: achieved_milestone\n"
        "    commentary: Contract signed in August.\nmilestones:",
    )
    new = new.replace("status: on_track", "status: done").replace(
        "Sign the contract", "Start building"
    )
    report = diff_of(make_site, {"p.yml": PROJECT}, {"p.yml": new})
    (change,) = report.indicators
    assert [(p.period, p.change, p.new) for p in change.periods] == [
        ("Q2 2019/20", "added", "Green, achieved a milestone")
    ]
    fields = [(f.field, f.old, f.new) for f in change.fields]
    assert fields == [
        ("milestones[Contract signed]", "On track, due Sep 2019", "Done, due Sep 2019"),
        ("next_steps", "Sign the contract", None),
        ("next_steps", None, "Start building"),
    ]
    assert [t.field for t in change.texts] == ["updates[2019/20 Q2].commentary"]
    assert (change.position.old_rating, change.position.new_rating) == ("Amber", "Green")


def test_warnings_the_change_brings_in_and_resolves(make_site):
    stated = MINIMAL_MEASURE.replace("value: 91\n", "value: 91\n    rating: red\n")
    report = diff_of(make_site, {"m.yml": MINIMAL_MEASURE}, {"m.yml": stated})
    (warning,) = report.new_warnings
    assert warning.code == "rating.mismatch"
    assert warning.file == "indicators/m.yml"
    assert "This change brings in 1 warning" in markdown(report)
    back = diff_of(make_site, {"m.yml": stated}, {"m.yml": MINIMAL_MEASURE})
    assert back.new_warnings == []
    assert len(back.resolved_warnings) == 1
    assert "It resolves 1 warning." in markdown(back)


def test_errors_on_either_side_are_reported_and_the_rest_still_compared(make_site):
    broken = MINIMAL_MEASURE.replace("polarity: higher_is_better", "polarity: up")
    changed = MINIMAL_MEASURE.replace("Test measure", "Renamed title")
    report = diff_of(
        make_site,
        {"m.yml": MINIMAL_MEASURE, "n.yml": MINIMAL_MEASURE.replace("85", "80")},
        {"m.yml": broken, "n.yml": changed.replace("85", "80")},
    )
    assert [e.file for e in report.new.errors] == ["indicators/m.yml"]
    assert report.old.errors == []
    by_id = {c.id: c for c in report.indicators}
    assert by_id["m"].invalid
    assert [(f.field, f.old, f.new) for f in by_id["m"].fields] == [
        ("polarity", "higher_is_better", "up")
    ]
    assert [(f.field, f.new) for f in by_id["n"].fields] == [("title", "Renamed title")]
    text = markdown(report)
    assert "1 error in the new version — the site will not build until it is fixed" in text
    assert '`indicators/m.yml:4` `polarity`: "up" is not allowed here' in text
    reverse = markdown(diff_of(make_site, {"m.yml": broken}, {"m.yml": MINIMAL_MEASURE}))
    assert "1 error in the old version:" in reverse


def test_pages_and_settings(make_site):
    a = make_site(folder="old", content={"about.md": "# About\n"})
    config = {**MINIMAL_CONFIG, "site": {**MINIMAL_CONFIG["site"], "title": "New title"}}
    b = make_site(folder="new", config=config, content={"help.md": "# Help\n"})
    report = compare(read_version(a.root, "old"), read_version(b.root, "new"))
    assert [(s.field, s.old, s.new) for s in report.settings] == [
        ("site.title", "Test council performance", "New title")
    ]
    assert [(p.field, p.old, p.new) for p in report.pages] == [
        ("content/about.md", "present", None),
        ("content/help.md", None, "present"),
    ]


def test_json_is_the_same_comparison_as_data(make_site):
    a = make_site(folder="old")
    b = make_site(folder="new", indicators={"test-measure.yml": MINIMAL_MEASURE + "owner: X\n"})
    result = run_cli("diff", a.root, b.root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["old"]["label"] == str(a.root)
    assert data["indicators"][0]["id"] == "test-measure"
    assert data["indicators"][0]["fields"] == [{"field": "owner", "old": None, "new": "X"}]
    assert data["unchanged"] == 0
    assert set(data) == {
        "old",
        "new",
        "settings",
        "summary",
        "indicators",
        "unchanged",
        "pages",
        "new_warnings",
        "resolved_warnings",
    }


def test_user_text_cannot_inject_markup_or_mentions(make_site):
    old = MINIMAL_MEASURE + "commentary: Fine.\n"
    new = old.replace(
        "title: Test measure", 'title: "</summary></details><script>x</script>"'
    ).replace("Fine.", "Ask @somebody about | pipes and *stars* </details>")
    text = markdown(diff_of(make_site, {"m.yml": old}, {"m.yml": new}))
    assert "<script>" not in text
    assert "&lt;/summary&gt;&lt;/details&gt;&lt;script&gt;" in text
    assert "@somebody" not in text
    assert "@\u2060somebody" in text
    assert text.count("<details>") == text.count("</details>")
    assert inline("a|b *c* _d_ `e`") == "a\\|b \\*c\\* \\_d\\_ \\`e\\`"


def test_max_chars_shortens_then_cuts(make_site):
    long_text = " ".join(f"word{i}" for i in range(3000))
    old = MINIMAL_MEASURE + "commentary: Short.\n"
    indicators_old = {f"m{i}.yml": old for i in range(8)}
    indicators_new = {f"m{i}.yml": old.replace("Short.", f"{long_text} {i}") for i in range(8)}
    report = diff_of(make_site, indicators_old, indicators_new)
    full = markdown(report)
    assert len(full) > 100_000
    shortened = markdown(report, max_chars=20_000)
    assert len(shortened) <= 20_000
    assert "Long texts are shortened to fit in one comment" in shortened
    assert "word2999 7" not in shortened
    cut = markdown(report, max_chars=3_000)
    assert len(cut) <= 3_000
    assert "The report is cut here to fit in one comment." in cut
    assert cut.count("<details>") == cut.count("</details>")


def test_wrong_arguments_exit_two(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not a git repository
    result = run_cli("diff", "no-such-folder", ".")
    assert result.exit_code == 2
    assert '"no-such-folder" is not a folder' in result.stderr
    assert "not in a git repository" in result.stderr


def test_word_diff_groups_a_run_of_changes():
    assert word_diff("a b c d", "a x y d") == [
        Segment("equal", "a "),
        Segment("delete", "b c"),
        Segment("insert", "x y"),
        Segment("equal", " d"),
    ]
    assert word_diff("same", "same") == [Segment("equal", "same")]


def test_compact_writes_values_as_yaml_flow():
    assert compact({"percent": 5}) == "{percent: 5}"
    assert compact(["LAA", "statutory"]) == "[LAA, statutory]"
    assert compact("Outcome: fewer delays") == '"Outcome: fewer delays"'
    assert compact(None) == "null"


def test_last_quarters_commentary_moved_to_earlier_commentary_is_not_repeated(make_site):
    old = MINIMAL_MEASURE + "commentary: |\n  Last quarter's words.\n"
    new = MINIMAL_MEASURE + (
        "commentary: |\n  This quarter's words.\n"
        "earlier_commentary:\n  - period: 2019/20 Q1\n    commentary: |\n"
        "      Last quarter's words.\n"
    )
    report = diff_of(make_site, {"m.yml": old}, {"m.yml": new})
    moved = report.indicators[0].texts[1]
    assert (moved.field, moved.moved_from) == (
        "earlier_commentary[2019/20 Q1].commentary",
        "commentary",
    )
    text = markdown(report)
    assert "added: the previous `commentary`, word for word." in text
    assert "<del>Last</del><ins>This</ins> quarter's words." in text
    assert text.count("Last") == 1  # struck out of the commentary, not repeated below
