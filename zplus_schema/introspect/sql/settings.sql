-- Settings for the introspection transaction only (is_local = true; rolled back after).
-- search_path = pg_catalog: pg_get_expr, format_type, pg_get_*def qualify every name outside
-- pg_catalog, so each object's text can be made relative to its own schema.
-- The others fix how constants print (dates, timestamps, intervals, floats, strings), so
-- the same schema reads the same from any session: fingerprints must not depend on them.
-- jit = off: the catalog queries are costed high (per-row functions and subplans) but run
-- in well under a second; compiling them took longer than running them.
SELECT set_config('search_path', 'pg_catalog', true),
       set_config('DateStyle', 'ISO, MDY', true),
       set_config('IntervalStyle', 'postgres', true),
       set_config('TimeZone', 'UTC', true),
       set_config('extra_float_digits', '1', true),
       set_config('standard_conforming_strings', 'on', true),
       set_config('jit', 'off', true)
