-- hazard: untracked_dependency
DROP FUNCTION app.add_tax(numeric);
-- hazard: untracked_dependency
CREATE FUNCTION app.add_tax(amount numeric)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT (amount * 1.2)::text$function$;
COMMENT ON FUNCTION app.add_tax(numeric) IS 'Price with tax';
