-- hazard: untracked_dependency
CREATE OR REPLACE FUNCTION app.touch()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO pg_catalog, app
AS $function$BEGIN
  RETURN NEW;
END
$function$;
