-- hazard: untracked_dependency
CREATE OR REPLACE PROCEDURE app.noop(n integer)
 LANGUAGE sql
 SET search_path TO pg_catalog
AS $function$SELECT n + 1$function$;
