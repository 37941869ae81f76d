-- hazard: untracked_dependency
CREATE OR REPLACE FUNCTION app.add_tax(amount numeric)
 RETURNS numeric
 LANGUAGE sql
 STABLE
 STRICT
 SECURITY DEFINER
AS $function$SELECT amount * 1.2$function$;
