"""The JSON Schema editors use: generated from the models, accepting what perfpages accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from generator.commands.reference import model_classes
from generator.commands.schema import indicator_schema, schema_files, site_config_schema
from generator.site.models import Measure, Project, SiteConfig
from generator.site.problems import Problems
from generator.site.yaml_reader import read_yaml
from tests.conftest import REPO, run_cli

INDICATOR = jsonschema.Draft7Validator(indicator_schema())
SITE_CONFIG = jsonschema.Draft7Validator(site_config_schema())


def all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for info in model.model_fields.values():
            for nested in model_classes(info.annotation):
                walk(nested)

    for root in (SiteConfig, Measure, Project):
        walk(root)
    return seen


def data(path: Path):
    doc = read_yaml(path, path.name, Problems())
    assert doc is not None
    return doc.data


def messages(validator, instance) -> list[str]:
    return sorted(e.message for e in validator.iter_errors(instance))


def test_schemas_are_valid_draft_07():
    jsonschema.Draft7Validator.check_schema(indicator_schema())
    jsonschema.Draft7Validator.check_schema(site_config_schema())
    assert indicator_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_every_field_has_a_description_and_an_example(model):
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no description"
        assert info.examples, f"{model.__name__}.{name} has no example"


def test_the_examples_given_for_fields_are_valid_by_the_schema():
    for validator, roots in ((INDICATOR, ("Measure", "Project")), (SITE_CONFIG, None)):
        definitions = validator.schema["definitions"]
        for name, definition in [*definitions.items(), ("(root)", validator.schema)]:
            if roots and name == "(root)":
                continue
            for field, prop in definition.get("properties", {}).items():
                sub = {**prop, "definitions": definitions}
                for example in prop.get("examples", []):
                    errors = list(jsonschema.Draft7Validator(sub).iter_errors(example))
                    assert not errors, f"{name}.{field}: example {example!r}: {errors[0].message}"


def test_every_example_site_file_is_valid_by_the_schema():
    files = sorted((REPO / "indicators").rglob("*.yml"))
    assert len(files) > 30
    for path in files:
        assert messages(INDICATOR, data(path)) == [], path
    assert messages(SITE_CONFIG, data(REPO / "site_config.yml")) == []


def test_text_per_language_is_valid_by_the_schema():
    """The bilingual fixture (site: languages, texts as {en: ..., cy: ...}) as editors see it;
    a list where a text goes is still flagged."""
    bilingual = REPO / "tests" / "fixtures" / "bilingual"
    files = sorted((bilingual / "indicators").rglob("*.yml"))
    assert len(files) > 5
    for path in files:
        assert messages(INDICATOR, data(path)) == [], path
    assert messages(SITE_CONFIG, data(bilingual / "site_config.yml")) == []
    measure = data(files[0])
    measure["title"] = ["en", "cy"]
    assert messages(INDICATOR, measure)


def test_mistakes_are_flagged_as_an_editor_would():
    measure = {"title": "x", "priority": "p", "polarity": "up", "values": [], "colour": 1}
    assert messages(INDICATOR, measure) == [
        "'up' is not one of ['higher_is_better', 'lower_is_better', 'neutral']",
        "Additional properties are not allowed ('colour' was unexpected)",
    ]
    project = {"title": "x", "priority": "p", "kind": "project", "updates": [], "values": []}
    assert messages(INDICATOR, project) == [
        "Additional properties are not allowed ('values' was unexpected)",
        "[] should be non-empty",
    ]
    wrong_period = {
        "title": "x",
        "priority": "p",
        "polarity": "neutral",
        "values": [{"period": "Q5 2019", "value": 1}],
    }
    assert any("does not match" in m for m in messages(INDICATOR, wrong_period))


def test_a_value_may_be_left_out_when_missing_says_why():
    def measure(point):
        return {"title": "x", "priority": "p", "polarity": "neutral", "values": [point]}

    assert messages(INDICATOR, measure({"period": "2019", "missing": "tbc"})) == []
    assert messages(INDICATOR, measure({"period": "2019"})) != []


def test_target_accepts_its_three_forms_and_the_from_alias():
    def measure(target):
        return {
            "title": "x",
            "priority": "p",
            "polarity": "neutral",
            "values": [],
            "target": target,
        }

    for target in (90, [{"from": "2019/20 Q1", "value": 53}], {"label": "10 per 100,000"}, None):
        assert messages(INDICATOR, measure(target)) == [], target
    assert messages(INDICATOR, measure([{"from_": "2019/20 Q1", "value": 53}])) != []


def test_schema_command_writes_the_files(tmp_path):
    out = tmp_path / "schemas"
    result = run_cli("schema", "--output", out)
    assert result.exit_code == 0, result.stderr
    for name, payload in schema_files().items():
        assert (out / name).read_bytes() == payload
        json.loads(payload)


def test_schema_output_is_stable():
    assert schema_files() == schema_files()
