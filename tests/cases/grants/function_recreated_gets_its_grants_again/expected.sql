-- hazard: untracked_dependency
DROP FUNCTION app.score(integer);
-- hazard: untracked_dependency
CREATE FUNCTION app.score(n integer)
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO pg_catalog, pg_temp
AS $function$SELECT n::bigint * 2$function$;
-- hazard: changes_authorization
REVOKE EXECUTE ON FUNCTION app.score(integer) FROM PUBLIC;
-- hazard: changes_authorization
GRANT EXECUTE ON FUNCTION app.score(integer) TO zs_case_fr_app;
