-- hazard: changes_authorization
GRANT EXECUTE ON FUNCTION app.add_one(integer) TO zs_case_sf_app;
-- hazard: changes_authorization
GRANT EXECUTE ON FUNCTION app.next_ticket() TO zs_case_sf_app;
-- hazard: changes_authorization
GRANT SELECT, USAGE ON SEQUENCE app.ticket_no TO zs_case_sf_app;
