-- hazard: changes_authorization
REVOKE DELETE ON TABLE app.notes FROM zs_case_tp_reader;
-- hazard: changes_authorization
GRANT INSERT, UPDATE ON TABLE app.notes TO zs_case_tp_reader;
