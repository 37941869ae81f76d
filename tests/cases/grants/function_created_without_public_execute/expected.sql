CREATE FUNCTION app.note_count()
 RETURNS bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO pg_catalog, pg_temp
AS $function$SELECT count(*) FROM app.notes$function$;
-- hazard: changes_authorization
REVOKE EXECUTE ON FUNCTION app.note_count() FROM PUBLIC;
-- hazard: changes_authorization
GRANT EXECUTE ON FUNCTION app.note_count() TO zs_case_fc_app;
