DROP VIEW app.doubled_sales;
-- hazard: untracked_dependency
DROP FUNCTION app.doubled(integer);
-- hazard: untracked_dependency
CREATE FUNCTION app.doubled(n integer)
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT n::bigint * 2$function$;
CREATE VIEW app.doubled_sales AS
SELECT id,
    doubled(amount) AS d
   FROM sales;
