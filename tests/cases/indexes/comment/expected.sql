COMMENT ON INDEX app.people_email_idx IS 'Login lookups';
