"""Changes -> ordered steps with hazards; the plan document and its renderers."""

from .builder import plan_schema
from .context import PlanOptions
from .document import Plan, PlanStep, TargetPlan
from .step import Hazard, Step

__all__ = ["Hazard", "Plan", "PlanOptions", "PlanStep", "Step", "TargetPlan", "plan_schema"]
