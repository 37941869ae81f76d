-- hazard: changes_authorization
REVOKE SELECT ON TABLE app.accounts FROM zs_case_cp_analyst;
-- hazard: changes_authorization
GRANT SELECT (email, id) ON TABLE app.accounts TO zs_case_cp_analyst;
