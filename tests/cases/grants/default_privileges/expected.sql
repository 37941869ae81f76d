-- hazard: changes_authorization
ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE DELETE ON TABLES FROM zs_case_dp_app;
-- hazard: changes_authorization
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO zs_case_dp_app WITH GRANT OPTION;
-- hazard: changes_authorization
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO zs_case_dp_app;
