CREATE OR REPLACE TRIGGER docs_audit AFTER INSERT ON app.docs FOR EACH STATEMENT EXECUTE FUNCTION app.note_change('it''s', 'two words');
