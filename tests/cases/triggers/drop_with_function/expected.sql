DROP TRIGGER docs_touch ON app.docs;
-- hazard: untracked_dependency
DROP FUNCTION app.note_change();
-- hazard: untracked_dependency
DROP FUNCTION app.touch();
