"""JSON Schema of the user's files, generated from the models, for editors and other tools.

Editors with the YAML language server (VS Code's YAML extension and others) read these files
to complete field names, show each field's description on hover and mark mistakes as the user
types. The schemas follow draft-07, which every version of that language server supports; the
generator itself never reads them: ``generator/site/models.py`` stays the single source of truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from generator.site.models import Measure, Project, SiteConfig

DIALECT = "http://json-schema.org/draft-07/schema#"
INDICATOR_SCHEMA = "indicator.schema.json"
SITE_CONFIG_SCHEMA = "site_config.schema.json"
SCHEMA_DIR = "schemas"


def indicator_schema() -> dict[str, Any]:
    """One schema for both kinds of indicator: a project when ``kind: project``, else a measure."""
    _, schema = models_json_schema(
        [(Measure, "validation"), (Project, "validation")],
        by_alias=True,
        ref_template="#/definitions/{model}",
    )
    definitions = schema.pop("$defs")
    body = {
        "$schema": DIALECT,
        "title": "perfpages indicator",
        "description": "One indicator or project of a perfpages site: indicators/<id>.yml. "
        "A file is a project when it says kind: project, otherwise a measure.",
        "type": "object",
        # if/then/else rather than oneOf: an editor then reports the mistakes of the one kind
        # the file is, not a confusing "matches none of two schemas".
        "if": {"properties": {"kind": {"const": "project"}}, "required": ["kind"]},
        "then": {"$ref": "#/definitions/Project"},
        "else": {"$ref": "#/definitions/Measure"},
        "definitions": definitions,
    }
    return _tidy(body)


def site_config_schema() -> dict[str, Any]:
    schema = SiteConfig.model_json_schema(
        by_alias=True, mode="validation", ref_template="#/definitions/{model}"
    )
    definitions = schema.pop("$defs", {})
    body = {
        "$schema": DIALECT,
        **schema,
        "title": "perfpages site_config.yml",
        "description": "The site, its reporting period, priorities and rating rules.",
        "definitions": definitions,
    }
    return _tidy(body)


def _tidy(schema: dict[str, Any]) -> dict[str, Any]:
    """Adjust pydantic's output to what editors read well and to what perfpages accepts."""
    data_point = schema["definitions"].get("DataPoint")
    if data_point is not None:
        # A value may be left out when `missing` says why (the model fills in value: null).
        data_point["required"] = [r for r in data_point["required"] if r != "value"]
        data_point["anyOf"] = [{"required": ["value"]}, {"required": ["missing"]}]
    cleaned: dict[str, Any] = _clean(schema)
    return cleaned


# Keywords whose values are data written by users, not schemas: left exactly as they are.
_DATA_KEYWORDS = ("examples", "default", "const", "enum")


def _clean(node: Any, *, in_properties: bool = False) -> Any:
    """Drop pydantic's generated titles ("Rating Reason") and keep $ref alone in its object.

    Draft-07 ignores keywords beside ``$ref``, so a description next to one is moved out of
    its way with ``allOf``.
    """
    if isinstance(node, list):
        return [_clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    if in_properties:
        return {name: _clean(value) for name, value in node.items()}
    out = {
        key: value
        if key in _DATA_KEYWORDS
        else _clean(value, in_properties=key in ("properties", "definitions"))
        for key, value in node.items()
        if not (key == "title" and isinstance(value, str) and "$schema" not in node)
    }
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}]
    return out


def schema_files() -> dict[str, bytes]:
    """The schema files by name, as written (stable bytes: the same models, the same files)."""
    schemas = {
        INDICATOR_SCHEMA: indicator_schema(),
        SITE_CONFIG_SCHEMA: site_config_schema(),
    }
    return {
        name: (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        for name, schema in schemas.items()
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in schema_files().items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written
