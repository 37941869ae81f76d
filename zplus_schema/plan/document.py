"""A plan as a reviewable artifact: JSON-stable, hashed, with the fingerprints it assumed."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from .. import __version__
from .step import Step

PLAN_FORMAT = "zplus-schema.plan/1"


class PlanStep(BaseModel):
    """One statement of a plan, as stored in plan.json."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sql: str
    object: str
    action: str
    hazards: list[str] = []
    transactional: bool = True

    @classmethod
    def of(cls, step: Step) -> PlanStep:
        """Return the stored form of a step."""
        return cls(sql=step.sql, object=step.object, action=step.action,
                   hazards=[str(h) for h in step.hazards], transactional=step.transactional)


class TargetPlan(BaseModel):
    """The steps for one target, and the live fingerprint they were planned against."""

    model_config = ConfigDict(extra="forbid")

    target: str  # e.g. system, tenant:acme, schema:app
    schema_name: str
    fingerprint_live: str
    fingerprint_desired: str
    steps: list[PlanStep] = []
    unmanaged: list[str] = []

    @property
    def hazards(self) -> list[str]:
        """Return the distinct hazards of the steps, sorted."""
        return sorted({h for s in self.steps for h in s.hazards})

    @property
    def empty(self) -> bool:
        """Return True when the target is already as desired."""
        return not self.steps


class Plan(BaseModel):
    """Everything `apply --plan` needs, and nothing it must recompute."""

    model_config = ConfigDict(extra="forbid")

    format: str = PLAN_FORMAT
    tool_version: str = __version__
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    targets: list[TargetPlan] = []

    def content_hash(self) -> str:
        """Return a sha256 over what would run (targets, fingerprints, steps), not the time."""
        body = [t.model_dump(mode="json") for t in self.targets]
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def empty(self) -> bool:
        """Return True when no target has a step."""
        return all(t.empty for t in self.targets)

    def to_json(self) -> str:
        """Return the stable JSON document (with its content hash)."""
        data = self.model_dump(mode="json")
        data["plan_hash"] = self.content_hash()
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Read a plan document; the recorded hash must match its content."""
        data = json.loads(text)
        recorded = data.pop("plan_hash", None)
        plan = cls.model_validate(data)
        if recorded is not None and recorded != plan.content_hash():
            raise ValueError("plan_hash does not match the plan's content (edited by hand?)")
        return plan
