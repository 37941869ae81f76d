"""Plan against live databases: targets, scratch normalization, per-target plans."""
