-- hazard: changes_authorization
ALTER ROLE zs_case_ra_app WITH NOINHERIT CONNECTION LIMIT 5;
COMMENT ON ROLE zs_case_ra_app IS 'the application, acting for one tenant at a time';
