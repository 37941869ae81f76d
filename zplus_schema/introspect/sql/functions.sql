-- Functions and procedures. Extension members ('e') and objects another object creates
-- for itself ('i', e.g. a range type's constructors) are left out; aggregates and window
-- functions are reported by unmanaged.sql. Argument arrays are in declaration order:
-- proallargtypes when there are OUT/TABLE arguments, else proargtypes.
SELECT n.nspname::text AS schema_name,
       p.proname::text AS name,
       p.prokind::text AS kind,
       ARRAY(
           SELECT format_type(a.typ, NULL)
           FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]))
                WITH ORDINALITY AS a(typ, ord)
           ORDER BY a.ord) AS arg_types,
       p.proargnames::text[] AS arg_names,
       p.proargmodes::text[] AS arg_modes,
       pg_get_expr(p.proargdefaults, 0) AS arg_defaults,
       p.pronargdefaults::int AS default_count,
       pg_get_function_result(p.oid) AS returns,
       pg_get_function_identity_arguments(p.oid) AS identity_args,
       l.lanname::text AS language,
       p.provolatile::text AS volatility,
       p.prosecdef AS security_definer,
       p.proisstrict AS strict,
       p.proconfig AS config,
       p.prosrc AS body,
       p.prosqlbody IS NOT NULL AS has_sql_body,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
ORDER BY 1, 2, identity_args
