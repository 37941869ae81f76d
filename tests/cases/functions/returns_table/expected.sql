CREATE FUNCTION app.item_count(prefix text DEFAULT ''::text)
 RETURNS bigint
 LANGUAGE plpgsql
 STABLE
AS $function$DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM items WHERE name LIKE prefix || '%';
  RETURN n;
END
$function$;
CREATE FUNCTION app.item_names()
 RETURNS SETOF text
 LANGUAGE sql
 STABLE
AS $function$SELECT name FROM items ORDER BY id$function$;
