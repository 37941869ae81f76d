CREATE PROCEDURE app.prune_items(keep integer)
 LANGUAGE plpgsql
 SET search_path TO pg_catalog, app
AS $function$BEGIN
  DELETE FROM items WHERE id > keep;
END
$function$;
COMMENT ON PROCEDURE app.prune_items(integer) IS 'Deletes all but the first rows';
