COMMENT ON TRIGGER docs_touch ON app.docs IS 'Stamps edits';
