-- hazard: untracked_dependency
DROP FUNCTION app.add_tax(numeric);
