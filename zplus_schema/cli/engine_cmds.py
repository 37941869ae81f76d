"""Commands against live databases: plan, apply, drift, diff."""
