"""One module per lint rule, each exporting RULE; the RULES table lists them explicitly."""
