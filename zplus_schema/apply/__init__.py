"""Execute plans safely: transactions, advisory locks, timeouts, fingerprints, ledger."""

from .executor import (
    ApplyOptions,
    HazardsNotAllowed,
    StalePlan,
    TargetBusy,
    TargetResult,
    apply_plan,
    apply_target,
    check_hazards,
)

__all__ = ["ApplyOptions", "HazardsNotAllowed", "StalePlan", "TargetBusy", "TargetResult",
           "apply_plan", "apply_target", "check_hazards"]
