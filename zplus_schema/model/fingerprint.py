"""Fingerprints: a stable hash of a schema's normalized model, independent of its name."""

from __future__ import annotations

import hashlib
import json

from .schema import SchemaModel


def fingerprint(model: SchemaModel) -> str:
    """Return a sha256 hex digest of the model's canonical JSON.

    The model is schema-relative (its own schema's name appears nowhere in it), so two
    schemas built from the same definitions fingerprint equal whatever they are called.
    """
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
