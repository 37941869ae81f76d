CREATE PROCEDURE app.archive_items(keep integer)
 LANGUAGE sql
 SET search_path TO pg_catalog, app
AS $function$DELETE FROM items WHERE id > keep$function$;
