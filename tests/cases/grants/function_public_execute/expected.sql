-- hazard: changes_authorization
REVOKE EXECUTE ON FUNCTION app.secret() FROM PUBLIC;
-- hazard: changes_authorization
GRANT EXECUTE ON FUNCTION app.secret() TO zs_case_fx_app;
