-- hazard: changes_authorization
REVOKE SELECT ON TABLE app.accounts FROM zs_case_ck_app;
-- hazard: changes_authorization
GRANT SELECT (email) ON TABLE app.accounts TO zs_case_ck_app;
