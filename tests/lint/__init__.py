"""Lint examples (the seed's defects as YAML) and the helpers that lint example projects."""
