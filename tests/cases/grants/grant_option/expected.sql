-- hazard: changes_authorization
GRANT SELECT ON TABLE app.notes TO zs_case_go_lead WITH GRANT OPTION;
