COMMENT ON TABLE app.items IS 'Things we sell; don''t delete';
