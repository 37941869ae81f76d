-- hazard: changes_authorization
REVOKE INSERT, SELECT ON TABLE app.notes FROM PUBLIC;
-- hazard: changes_authorization
REVOKE INSERT, SELECT ON TABLE app.notes FROM zs_case_re_writer;
