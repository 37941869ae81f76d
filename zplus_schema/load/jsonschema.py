"""The JSON Schema of the YAML format, for editors."""

from __future__ import annotations

from typing import Any

from .policyspec import PoliciesFile
from .spec import ModuleFile, ObjectsFile, ProjectFile


def objects_json_schema() -> dict[str, Any]:
    """Return a JSON Schema accepting object files, module.yaml, project.yaml and policies/."""
    objects = ObjectsFile.model_json_schema(by_alias=True)
    defs: dict[str, Any] = dict(objects.pop("$defs", {}))
    alternatives = [objects]
    for extra in (ModuleFile, ProjectFile, PoliciesFile):
        schema = extra.model_json_schema(by_alias=True)
        defs.update(schema.pop("$defs", {}))
        alternatives.append(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "zplus-schema definitions",
        "anyOf": alternatives,
        "$defs": defs,
    }
