-- hazard: untracked_dependency
CREATE OR REPLACE FUNCTION app.add_tax(amount numeric)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT amount * 1.25$function$;
