-- hazard: changes_authorization
GRANT zs_case_mb_group TO zs_case_mb_user;
