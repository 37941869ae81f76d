CREATE FUNCTION app.add_tax(amount numeric)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT amount * 1.2$function$;
