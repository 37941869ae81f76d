DROP TRIGGER docs_touch ON app.docs;
