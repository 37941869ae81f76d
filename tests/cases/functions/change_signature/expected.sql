CREATE FUNCTION app.add_tax(amount numeric, rate numeric DEFAULT 1.2)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT amount * rate$function$;
-- hazard: untracked_dependency
DROP FUNCTION app.add_tax(numeric);
