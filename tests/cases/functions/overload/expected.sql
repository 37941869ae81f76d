CREATE FUNCTION app.add_tax_int(amount integer)
 RETURNS numeric
 LANGUAGE sql
AS $function$SELECT amount * 1.2$function$;
