-- One digest per schema of what the model, the grants and the tenant role make of it, so
-- that tenants whose digests are equal can share one introspection (fleet/digest.py).
-- Parameters, parallel arrays: %(schemas)s, %(roles)s (each schema's tenant role, or
-- NULL), %(comments)s (that role's declared comment) and %(names)s (each schema name
-- escaped for a regular expression). Run with introspect/sql/settings.sql in force, so
-- texts print as the introspection reads them.
--
-- Each object gives one line: its kind, ROW(...)::text of the fields that are compared
-- as they are (names, flags, comments, function bodies: self-delimiting), then the fields
-- the model makes relative to the schema, each encoded by the `rel` CASE below:
--   NULL -> N;  no mention of the schema -> quote_literal(text);
--   ASCII text -> quote_literal(text without the schema's own qualifier), the very
--   rewrite of introspect/text.py's relativize (same look-behind and look-ahead);
--   other text naming the schema -> '#' || the schema || the text: never equal across
--   schemas (a character class could differ from Python's outside ASCII).
-- So equal digests mean equal inputs to the model, up to what relativize drops. Extra
-- fields (attnums, flags, parallel safety, ...) can only split equal schemas, costing an
-- introspection, never join different ones. Index operator classes and collations are
-- oids (equal across schemas when built in). Grantees are role oids (a role's name is the
-- same for every schema), the tenant role NULL wherever it is a grantee, a member or a
-- group, as plans substitute it per tenant.
WITH s AS (
    SELECT n.oid AS nsp, u.name AS schema_name, u.role_name, u.role_comment,
           (SELECT r.oid FROM pg_roles r WHERE r.rolname = u.role_name) AS role_oid,
           '(?<![A-Za-z0-9_$."])(?:"' || u.rx || '"|' || u.rx
               || ')\.(?=[A-Za-z0-9_"$])' AS pattern
    FROM unnest(%(schemas)s::text[], %(roles)s::text[], %(comments)s::text[],
                %(names)s::text[]) AS u(name, role_name, role_comment, rx)
    JOIN pg_namespace n ON n.nspname = u.name
),
lines AS (
    SELECT s.schema_name, s.pattern, 'schema' AS kind,
           ROW(CASE WHEN n.nspacl IS NOT NULL THEN ARRAY(
               SELECT ROW(NULLIF(a.grantee, s.role_oid), a.privilege_type,
                              a.is_grantable)::text
                   FROM aclexplode(n.nspacl) a
                     WHERE a.grantee <> n.nspowner ORDER BY 1) END)::text AS plain,
           ARRAY[]::text[] AS rel
    FROM s JOIN pg_namespace n ON n.oid = s.nsp
    UNION ALL  -- the tenant role: attributes, then its memberships either way
    SELECT s.schema_name, s.pattern, 'role',
           ROW(r.rolcanlogin, r.rolinherit, r.rolconnlimit, r.rolsuper, r.rolcreatedb,
               r.rolcreaterole, r.rolbypassrls, r.rolreplication,
               -- the comment: NULL when as declared (it may name the tenant), else itself
               CASE WHEN shobj_description(r.oid, 'pg_authid') IS DISTINCT FROM s.role_comment
                    THEN ARRAY[shobj_description(r.oid, 'pg_authid')] END,
               ARRAY(SELECT ROW(g.rolname, m.admin_option)::text FROM pg_auth_members m
                     JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1),
               ARRAY(SELECT ROW(g.rolname, m.admin_option)::text FROM pg_auth_members m
                     JOIN pg_roles g ON g.oid = m.member WHERE m.roleid = r.oid ORDER BY 1)
           )::text, ARRAY[]::text[]
    FROM s JOIN pg_roles r ON r.rolname = s.role_name
    UNION ALL  -- every relation: tables, views, sequences, indexes, types' rows, ...
    SELECT s.schema_name, s.pattern, 'class',
           ROW(c.relname, c.relkind, c.relpersistence, c.relrowsecurity,
               c.relforcerowsecurity, c.relispartition, c.reloftype <> 0, c.reloptions,
               pn.nspname = n.nspname, CASE WHEN pn.nspname <> n.nspname THEN pn.nspname END,
               p.relname, EXISTS (SELECT FROM pg_inherits i2 WHERE i2.inhrelid = c.oid),
               CASE WHEN c.relkind NOT IN ('i', 'I') THEN (  -- indexes: no extension owns
                   SELECT array_agg(d.deptype ORDER BY d.deptype) FROM pg_depend d
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.objsubid = 0 AND d.deptype IN ('e', 'i')) END,
               descr.description,
               CASE WHEN c.relacl IS NOT NULL THEN ARRAY(
                   SELECT ROW(NULLIF(a.grantee, s.role_oid), a.privilege_type,
                              a.is_grantable)::text
                   FROM aclexplode(c.relacl) a
                     WHERE a.grantee <> c.relowner ORDER BY 1) END)::text,
           ARRAY[CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                 pg_get_expr(c.relpartbound, c.oid),
                 CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END]
    FROM s
    JOIN pg_namespace n ON n.oid = s.nsp
    JOIN pg_class c ON c.relnamespace = s.nsp
    LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
    LEFT JOIN pg_class p ON p.oid = i.inhparent
    LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
    LEFT JOIN pg_description descr
           ON descr.objoid = c.oid AND descr.classoid = 'pg_class'::regclass
          AND descr.objsubid = 0
    WHERE c.relkind <> 't'
    UNION ALL  -- columns, with their privileges
    SELECT s.schema_name, s.pattern, 'column',
           ROW(c.relname, a.attnum, a.attname, a.attnotnull, a.attidentity, a.attgenerated,
               a.attislocal, CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
               descr.description,
               CASE WHEN a.attacl IS NOT NULL THEN ARRAY(
                   SELECT ROW(NULLIF(x.grantee, s.role_oid), x.privilege_type,
                              x.is_grantable)::text
                   FROM aclexplode(a.attacl) x
                   WHERE x.grantee <> c.relowner ORDER BY 1) END)::text,
           ARRAY[format_type(a.atttypid, a.atttypmod),
                 pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid
                                            ELSE 0 END)]
    FROM s
    JOIN pg_class c ON c.relnamespace = s.nsp
    JOIN pg_attribute a ON a.attrelid = c.oid
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_description descr
           ON descr.objoid = a.attrelid AND descr.classoid = 'pg_class'::regclass
          AND descr.objsubid = a.attnum
    WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f', 'c')
      AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL  -- indexes, from the fields pg_get_indexdef prints (opclasses and
               -- collations by oid: built-in ones are equal across schemas)
    SELECT s.schema_name, s.pattern, 'index',
           ROW(ic.relname, c.relname, ic.relam, ix.indnatts, ix.indnkeyatts, ix.indisunique,
               ix.indnullsnotdistinct, ix.indisprimary, ix.indisexclusion, ix.indimmediate,
               ix.indisvalid, ix.indkey::int2[], ix.indcollation::oid[], ix.indclass::oid[],
               ix.indoption::int2[])::text,
           ARRAY[pg_get_expr(ix.indexprs, ix.indrelid), pg_get_expr(ix.indpred, ix.indrelid)]
    FROM s
    JOIN pg_class ic ON ic.relnamespace = s.nsp AND ic.relkind IN ('i', 'I')
    JOIN pg_index ix ON ix.indexrelid = ic.oid
    JOIN pg_class c ON c.oid = ix.indrelid
    UNION ALL  -- constraints: attnums (named by the column lines), references, texts
    SELECT s.schema_name, s.pattern, 'constraint',
           ROW(c.relname, con.conname, con.contype, con.condeferrable, con.condeferred,
               con.conkey, con.confkey, rn.nspname = n.nspname,
               CASE WHEN rn.nspname <> n.nspname THEN rn.nspname END,
               rc.relname, con.confupdtype, con.confdeltype, con.confmatchtype,
               con.confdelsetcols, con.conindid <> 0,
               con.connoinherit, con.conislocal, con.conparentid <> 0, con.convalidated,
               (SELECT description FROM pg_description WHERE objoid = con.oid
                AND classoid = 'pg_constraint'::regclass AND objsubid = 0),
               CASE WHEN con.confrelid <> 0 AND rn.nspname <> n.nspname THEN ARRAY(
                   SELECT ra.attname::text
                   FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.attnum
                   ORDER BY k.ord) END)::text,
           ARRAY[CASE WHEN con.contype NOT IN ('p', 'u', 'f', 'c')
                      THEN pg_get_constraintdef(con.oid) END,
                 pg_get_expr(con.conbin, con.conrelid)]
    FROM s
    JOIN pg_namespace n ON n.oid = s.nsp
    JOIN pg_constraint con ON con.connamespace = s.nsp
    LEFT JOIN pg_class c ON c.oid = con.conrelid
    LEFT JOIN pg_class rc ON rc.oid = con.confrelid
    LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    UNION ALL  -- user triggers (not the internal ones of foreign keys)
    SELECT s.schema_name, s.pattern, 'trigger',
           ROW(c.relname, t.tgname, t.tgtype, t.tgenabled, t.tgparentid <> 0,
               t.tgconstraint <> 0, t.tgdeferrable, t.tginitdeferred, t.tgnargs, t.tgargs,
               t.tgattr::int2[], t.tgoldtable, t.tgnewtable, fn.oid = s.nsp,
               CASE WHEN fn.oid <> s.nsp THEN fn.nspname END, p.proname,
               pg_get_function_identity_arguments(p.oid),
               (SELECT description FROM pg_description WHERE objoid = t.oid
                AND classoid = 'pg_trigger'::regclass AND objsubid = 0))::text,
           ARRAY[CASE WHEN t.tgqual IS NOT NULL THEN pg_get_triggerdef(t.oid, true) END]
    FROM s
    JOIN pg_class c ON c.relnamespace = s.nsp
    JOIN pg_trigger t ON t.tgrelid = c.oid
    JOIN pg_proc p ON p.oid = t.tgfoid
    JOIN pg_namespace fn ON fn.oid = p.pronamespace
    WHERE NOT t.tgisinternal
    UNION ALL  -- functions, procedures, aggregates: every field functions.sql reads
    SELECT s.schema_name, s.pattern, 'function',
           ROW(p.proname, p.prokind, p.proargnames, p.proargmodes, p.pronargdefaults,
               l.lanname, p.provolatile, p.prosecdef, p.proisstrict, p.proleakproof,
               p.proparallel, p.procost, p.prorows, p.proretset, p.proconfig, p.prosrc,
               p.prosqlbody IS NOT NULL,
               (SELECT array_agg(d.deptype ORDER BY d.deptype) FROM pg_depend d
                WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                  AND d.deptype IN ('e', 'i')),
               (SELECT description FROM pg_description WHERE objoid = p.oid
                AND classoid = 'pg_proc'::regclass AND objsubid = 0),
               CASE WHEN p.proacl IS NOT NULL THEN ARRAY(
                   SELECT ROW(NULLIF(a.grantee, s.role_oid), a.privilege_type,
                              a.is_grantable)::text
                   FROM aclexplode(p.proacl) a
                     WHERE a.grantee <> p.proowner ORDER BY 1) END)::text,
           ARRAY[pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid),
                 pg_get_expr(p.proargdefaults, 0),
                 CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_functiondef(p.oid) END]
           || ARRAY(SELECT format_type(a.typ, NULL)  -- each argument's type, in order
                    FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]))
                         WITH ORDINALITY AS a(typ, ord)
                    ORDER BY a.ord)
    FROM s
    JOIN pg_proc p ON p.pronamespace = s.nsp
    JOIN pg_language l ON l.oid = p.prolang
    UNION ALL  -- types: enums' labels, domains' definitions, the others by kind
    SELECT s.schema_name, s.pattern, 'type',
           ROW(t.typname, t.typtype, t.typnotnull,
               CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation
                    THEN co.collname END,
               CASE WHEN t.typtype = 'e' THEN ARRAY(
                   SELECT e.enumlabel::text FROM pg_enum e
                   WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,
               (SELECT array_agg(d.deptype ORDER BY d.deptype) FROM pg_depend d
                WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                  AND d.deptype IN ('e', 'i')),
               (SELECT description FROM pg_description WHERE objoid = t.oid
                AND classoid = 'pg_type'::regclass AND objsubid = 0),
               ARRAY(SELECT con.conname::text FROM pg_constraint con
                     WHERE con.contypid = t.oid ORDER BY con.conname))::text,
           ARRAY[CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
                 pg_get_expr(t.typdefaultbin, 0)]
           || ARRAY(SELECT pg_get_constraintdef(con.oid) FROM pg_constraint con
                    WHERE con.contypid = t.oid ORDER BY con.conname)
    FROM s
    JOIN pg_type t ON t.typnamespace = s.nsp
    LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
    LEFT JOIN pg_collation co ON co.oid = t.typcollation
    WHERE NOT (t.typtype = 'c' AND t.typrelid <> 0
               AND (SELECT k.relkind FROM pg_class k WHERE k.oid = t.typrelid) <> 'c')
      AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
    UNION ALL  -- sequences' parameters (the relation line has their name and grants)
    SELECT s.schema_name, s.pattern, 'sequence',
           ROW(c.relname, sq.seqstart, sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcache,
               sq.seqcycle, own.table_own, own.table_schema, own.table_name,
               own.column_name)::text,
           ARRAY[format_type(sq.seqtypid, NULL)]
    FROM s
    JOIN pg_class c ON c.relnamespace = s.nsp
    JOIN pg_sequence sq ON sq.seqrelid = c.oid
    LEFT JOIN LATERAL (
        SELECT tn.oid = s.nsp AS table_own,
               CASE WHEN tn.oid <> s.nsp THEN tn.nspname END AS table_schema,
               tc.relname AS table_name, a.attname AS column_name
        FROM pg_depend d
        JOIN pg_class tc ON tc.oid = d.refobjid
        JOIN pg_namespace tn ON tn.oid = tc.relnamespace
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
          AND d.deptype IN ('a', 'i')
        ORDER BY d.deptype LIMIT 1
    ) own ON true
    UNION ALL  -- row-level security policies (their roles as the model keeps them)
    SELECT s.schema_name, s.pattern, 'policy',
           ROW(c.relname, pol.polname, pol.polcmd, pol.polpermissive,
               ARRAY(SELECT COALESCE(r.rolname::text, 'public')
                     FROM unnest(pol.polroles) AS u(role_oid)
                     LEFT JOIN pg_roles r ON r.oid = u.role_oid),
               (SELECT description FROM pg_description WHERE objoid = pol.oid
                AND classoid = 'pg_policy'::regclass AND objsubid = 0))::text,
           ARRAY[pg_get_expr(pol.polqual, pol.polrelid),
                 pg_get_expr(pol.polwithcheck, pol.polrelid)]
    FROM s
    JOIN pg_class c ON c.relnamespace = s.nsp
    JOIN pg_policy pol ON pol.polrelid = c.oid
    UNION ALL  -- rewrite rules other than a view's own
    SELECT s.schema_name, s.pattern, 'rule', ROW(c.relname, ru.rulename)::text,
           ARRAY[pg_get_ruledef(ru.oid)]
    FROM s
    JOIN pg_class c ON c.relnamespace = s.nsp
    JOIN pg_rewrite ru ON ru.ev_class = c.oid
    WHERE ru.rulename <> '_RETURN'
    UNION ALL  -- extensions installed in the schema
    SELECT s.schema_name, s.pattern, 'extension', ROW(e.extname, e.extversion)::text, ARRAY[]::text[]
    FROM s JOIN pg_extension e ON e.extnamespace = s.nsp
    UNION ALL  -- objects the model reports as unmanaged, by name (unmanaged.sql's rest)
    SELECT s.schema_name, s.pattern, 'other', ROW(o.kind, o.name)::text, ARRAY[]::text[]
    FROM s JOIN (
        SELECT oprnamespace, 'operator', oprname || '(' || oprleft::regtype::text || ','
                                         || oprright::regtype::text || ')'
        FROM pg_operator
        UNION ALL SELECT collnamespace, 'collation', collname::text FROM pg_collation
        UNION ALL SELECT connamespace, 'conversion', conname::text FROM pg_conversion
        UNION ALL SELECT opcnamespace, 'operator class', opcname::text FROM pg_opclass
        UNION ALL SELECT opfnamespace, 'operator family', opfname::text FROM pg_opfamily
        UNION ALL SELECT cfgnamespace, 'ts config', cfgname::text FROM pg_ts_config
        UNION ALL SELECT dictnamespace, 'ts dictionary', dictname::text FROM pg_ts_dict
        UNION ALL SELECT prsnamespace, 'ts parser', prsname::text FROM pg_ts_parser
        UNION ALL SELECT tmplnamespace, 'ts template', tmplname::text FROM pg_ts_template
        UNION ALL SELECT stxnamespace, 'statistics', stxname::text FROM pg_statistic_ext
    ) AS o(nsp, kind, name) ON o.nsp = s.nsp
    UNION ALL  -- default privileges in the schema, by the role that set them
    SELECT s.schema_name, s.pattern, 'default acl',
           ROW(CASE WHEN dr.rolname = s.role_name THEN NULL ELSE dr.rolname END,
               d.defaclobjtype,
               ARRAY(SELECT ROW(NULLIF(a.grantee, s.role_oid), a.privilege_type,
                              a.is_grantable)::text
                   FROM aclexplode(d.defaclacl) a
                     ORDER BY 1))::text,
           ARRAY[]::text[]
    FROM s
    JOIN pg_default_acl d ON d.defaclnamespace = s.nsp
    LEFT JOIN pg_roles dr ON dr.oid = d.defaclrole
),
rendered AS MATERIALIZED (  -- hashed before the sort: the sort then moves 32 bytes a line
    SELECT l.schema_name, sha256(convert_to(l.kind || ' ' || l.plain || ' ' || CASE
        WHEN strpos(l.rel::text, l.schema_name) = 0 THEN l.rel::text
        ELSE '|' || COALESCE((
            SELECT string_agg(CASE
                WHEN f IS NULL THEN 'N'
                WHEN strpos(f, l.schema_name) = 0 THEN quote_literal(f)
                WHEN f ~ '^[\x01-\x7f]*$'
                    THEN quote_literal(regexp_replace(f, l.pattern, '', 'g'))
                ELSE '#' || quote_literal(l.schema_name) || quote_literal(f) END,
                ',' ORDER BY u.ord)
            FROM unnest(l.rel) WITH ORDINALITY AS u(f, ord)), '') END, 'UTF8')) AS hash
    FROM lines l
)
SELECT schema_name, encode(sha256(string_agg(hash, '' ORDER BY hash)), 'hex') AS digest
FROM rendered
GROUP BY schema_name
