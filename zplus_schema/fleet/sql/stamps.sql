-- Change stamps: per schema, what its catalog rows are, by identity and row version (xmin),
-- not by content, so a schema whose stamp is unchanged has not been touched since (see
-- fleet/stamps.py). Parameters: %(schemas)s (the schemas to stamp), %(roles)s (each one's
-- tenant role, or NULL), %(prefix)s (the tenant schema prefix) and %(role_prefix)s (the
-- tenant role prefix, NULL without tenant roles): every role named with it is taken for
-- a tenant role, whether its schema is in this database or not (another database of the
-- cluster may hold it).
--
-- Each row gives its owner (a selected schema's oid, 0 for shared, none: left out), its
-- part (one letter per catalog), a key (its identity: oid, or table oid and column
-- number, ...) and its xmin. A part is its row count and the sum of a 32-bit hash of
-- (key, xmin), so adding, dropping or rewriting any row moves it. Every catalog the
-- introspection, the digest and the access digest read is covered; role attributes are
-- hashed by content instead (pg_authid, with the row versions, is not readable by
-- everyone). The `shared` part is made of the rows outside every tenant schema (public,
-- pg_catalog, extensions) and the roles that are not tenant roles: a tenant's model names
-- such objects (types, referenced tables, functions in defaults, grantees), so a change
-- there counts for every tenant.
WITH s AS MATERIALIZED (
    SELECT n.oid AS nsp, u.name AS schema_name,
           (SELECT r.oid FROM pg_roles r WHERE r.rolname = u.role_name) AS role_oid
    FROM unnest(%(schemas)s::text[], %(roles)s::text[]) AS u(name, role_name)
    JOIN pg_namespace n ON n.nspname = u.name
),
own AS (  -- each schema's own transaction id, when checking for rows written by others
    SELECT s.nsp, u.xid FROM s
    JOIN unnest(%(schemas)s::text[], %(xids)s::bigint[]) AS u(name, xid)
      ON u.name = s.schema_name
),
-- every namespace: a selected schema (its own oid), shared (0), or left out (NULL: other
-- tenant schemas, temporary and toast schemas, whose rows come and go on their own)
ns AS MATERIALIZED (
    SELECT n.oid AS nsp,
           CASE WHEN s.nsp IS NOT NULL THEN s.nsp
                WHEN starts_with(n.nspname::text, %(prefix)s::text)
                     OR n.nspname ~ '^pg_(toast|temp_|toast_temp_)' THEN NULL
                ELSE 0::oid END AS owner
    FROM pg_namespace n LEFT JOIN s ON s.nsp = n.oid
),
rel AS MATERIALIZED (
    SELECT c.oid, c.relkind, ns.owner, c.xmin::text::bigint AS x
    FROM pg_class c JOIN ns ON ns.nsp = c.relnamespace
    WHERE ns.owner IS NOT NULL
),
-- relations with columns of their own (an index's are its table's)
tbl AS MATERIALIZED (SELECT oid, owner FROM rel WHERE relkind NOT IN ('i', 'I')),
tenant_roles AS MATERIALIZED (
    SELECT r.oid FROM pg_roles r WHERE starts_with(r.rolname::text, %(role_prefix)s::text)
),
-- the catalogs read more than once, with each row's owner
con AS MATERIALIZED (
    SELECT x.oid, ns.owner, x.xmin::text::bigint AS x
    FROM pg_constraint x JOIN ns ON ns.nsp = x.connamespace WHERE ns.owner IS NOT NULL
),
typ AS MATERIALIZED (
    SELECT x.oid, ns.owner, x.xmin::text::bigint AS x
    FROM pg_type x JOIN ns ON ns.nsp = x.typnamespace WHERE ns.owner IS NOT NULL
),
fn AS MATERIALIZED (
    SELECT x.oid, ns.owner, x.xmin::text::bigint AS x
    FROM pg_proc x JOIN ns ON ns.nsp = x.pronamespace WHERE ns.owner IS NOT NULL
),
trg AS MATERIALIZED (
    SELECT x.oid, rel.owner, x.xmin::text::bigint AS x
    FROM pg_trigger x JOIN rel ON rel.oid = x.tgrelid WHERE NOT x.tgisinternal
),
pol AS MATERIALIZED (
    SELECT x.oid, rel.owner, x.xmin::text::bigint AS x
    FROM pg_policy x JOIN rel ON rel.oid = x.polrelid
),
rw AS MATERIALIZED (
    SELECT x.oid, rel.owner, x.xmin::text::bigint AS x
    FROM pg_rewrite x JOIN rel ON rel.oid = x.ev_class
),
-- the objects a comment can be on
obj AS (
    SELECT 'pg_class'::regclass::oid AS classoid, oid, owner FROM rel
    UNION ALL SELECT 'pg_namespace'::regclass, nsp, owner FROM ns WHERE owner IS NOT NULL
    UNION ALL SELECT 'pg_constraint'::regclass, oid, owner FROM con
    UNION ALL SELECT 'pg_type'::regclass, oid, owner FROM typ
    UNION ALL SELECT 'pg_proc'::regclass, oid, owner FROM fn
    UNION ALL SELECT 'pg_trigger'::regclass, oid, owner FROM trg
    UNION ALL SELECT 'pg_policy'::regclass, oid, owner FROM pol
    UNION ALL SELECT 'pg_rewrite'::regclass, oid, owner FROM rw
),
-- the few dependencies that matter: extension membership, what owns a sequence
dep AS (
    SELECT d.classid, d.objid, d.refobjsubid, d.xmin::text::bigint AS x,
           CASE d.classid
               WHEN 'pg_class'::regclass THEN
                   (SELECT relnamespace FROM pg_class WHERE oid = d.objid)
               WHEN 'pg_type'::regclass THEN
                   (SELECT typnamespace FROM pg_type WHERE oid = d.objid)
               WHEN 'pg_proc'::regclass THEN
                   (SELECT pronamespace FROM pg_proc WHERE oid = d.objid)
               WHEN 'pg_collation'::regclass THEN
                   (SELECT collnamespace FROM pg_collation WHERE oid = d.objid)
               WHEN 'pg_conversion'::regclass THEN
                   (SELECT connamespace FROM pg_conversion WHERE oid = d.objid)
               WHEN 'pg_operator'::regclass THEN
                   (SELECT oprnamespace FROM pg_operator WHERE oid = d.objid)
               WHEN 'pg_opclass'::regclass THEN
                   (SELECT opcnamespace FROM pg_opclass WHERE oid = d.objid)
               WHEN 'pg_opfamily'::regclass THEN
                   (SELECT opfnamespace FROM pg_opfamily WHERE oid = d.objid)
               WHEN 'pg_ts_config'::regclass THEN
                   (SELECT cfgnamespace FROM pg_ts_config WHERE oid = d.objid)
               WHEN 'pg_ts_dict'::regclass THEN
                   (SELECT dictnamespace FROM pg_ts_dict WHERE oid = d.objid)
               WHEN 'pg_ts_parser'::regclass THEN
                   (SELECT prsnamespace FROM pg_ts_parser WHERE oid = d.objid)
               WHEN 'pg_ts_template'::regclass THEN
                   (SELECT tmplnamespace FROM pg_ts_template WHERE oid = d.objid)
           END AS nsp
    FROM pg_depend d
    WHERE d.deptype = 'e'
       OR (d.deptype IN ('a', 'i') AND d.classid = 'pg_class'::regclass AND d.objsubid = 0
           AND d.objid IN (SELECT seqrelid FROM pg_sequence))
),
-- (owner, part, key, xmin, content hash): keys combine an oid with a column number or
-- a catalog (oids of catalogs and column numbers fit in 16 bits)
rows AS (
    SELECT ns.owner, 'n' AS part, n.oid::bigint AS k, n.xmin::text::bigint AS x,
           NULL::int AS h
        FROM pg_namespace n JOIN ns ON ns.nsp = n.oid WHERE ns.owner IS NOT NULL
    UNION ALL SELECT owner, 'c', oid::bigint, x, NULL FROM rel
    UNION ALL SELECT tbl.owner, 'a', (a.attrelid::bigint << 16) | a.attnum,
                     a.xmin::text::bigint, NULL
        FROM pg_attribute a JOIN tbl ON tbl.oid = a.attrelid WHERE a.attnum > 0
    UNION ALL SELECT rel.owner, 'd', x.oid::bigint, x.xmin::text::bigint, NULL
        FROM pg_attrdef x JOIN rel ON rel.oid = x.adrelid
    UNION ALL SELECT owner, 'k', oid::bigint, x, NULL FROM con
    UNION ALL SELECT rel.owner, 'i', x.indexrelid::bigint, x.xmin::text::bigint, NULL
        FROM pg_index x JOIN rel ON rel.oid = x.indrelid
    UNION ALL SELECT owner, 't', oid::bigint, x, NULL FROM trg
    UNION ALL SELECT owner, 'p', oid::bigint, x, NULL FROM pol
    UNION ALL SELECT owner, 'r', oid::bigint, x, NULL FROM rw
    UNION ALL SELECT rel.owner, 'h', (x.inhrelid::bigint << 16) | x.inhseqno,
                     x.xmin::text::bigint, NULL
        FROM pg_inherits x JOIN rel ON rel.oid = x.inhrelid
    UNION ALL SELECT rel.owner, 'q', x.seqrelid::bigint, x.xmin::text::bigint, NULL
        FROM pg_sequence x JOIN rel ON rel.oid = x.seqrelid
    UNION ALL SELECT owner, 'y', oid::bigint, x, NULL FROM typ
    UNION ALL SELECT typ.owner, 'e', x.oid::bigint, x.xmin::text::bigint, NULL
        FROM pg_enum x JOIN typ ON typ.oid = x.enumtypid
    UNION ALL SELECT typ.owner, 'g', x.rngtypid::bigint, x.xmin::text::bigint, NULL
        FROM pg_range x JOIN typ ON typ.oid = x.rngtypid
    UNION ALL SELECT owner, 'f', oid::bigint, x, NULL FROM fn
    UNION ALL SELECT ns.owner, 'o', (o.oid::bigint << 16) | o.cat, o.x, NULL
        FROM (SELECT collnamespace AS nsp, oid, xmin::text::bigint AS x,
                     'pg_collation'::regclass::bigint AS cat FROM pg_collation
              UNION ALL SELECT connamespace, oid, xmin::text::bigint,
                     'pg_conversion'::regclass::bigint FROM pg_conversion
              UNION ALL SELECT oprnamespace, oid, xmin::text::bigint,
                     'pg_operator'::regclass::bigint FROM pg_operator
              UNION ALL SELECT opcnamespace, oid, xmin::text::bigint,
                     'pg_opclass'::regclass::bigint FROM pg_opclass
              UNION ALL SELECT opfnamespace, oid, xmin::text::bigint,
                     'pg_opfamily'::regclass::bigint FROM pg_opfamily
              UNION ALL SELECT cfgnamespace, oid, xmin::text::bigint,
                     'pg_ts_config'::regclass::bigint FROM pg_ts_config
              UNION ALL SELECT dictnamespace, oid, xmin::text::bigint,
                     'pg_ts_dict'::regclass::bigint FROM pg_ts_dict
              UNION ALL SELECT prsnamespace, oid, xmin::text::bigint,
                     'pg_ts_parser'::regclass::bigint FROM pg_ts_parser
              UNION ALL SELECT tmplnamespace, oid, xmin::text::bigint,
                     'pg_ts_template'::regclass::bigint FROM pg_ts_template
              UNION ALL SELECT stxnamespace, oid, xmin::text::bigint,
                     'pg_statistic_ext'::regclass::bigint FROM pg_statistic_ext) o
        JOIN ns ON ns.nsp = o.nsp WHERE ns.owner IS NOT NULL
    UNION ALL SELECT obj.owner, 'x',
                     (x.objoid::bigint << 32) | (x.classoid::bigint << 16) | x.objsubid,
                     x.xmin::text::bigint, NULL
        FROM pg_description x JOIN obj ON obj.classoid = x.classoid AND obj.oid = x.objoid
    UNION ALL SELECT ns.owner, 'l', x.oid::bigint, x.xmin::text::bigint, NULL
        FROM pg_default_acl x JOIN ns ON ns.nsp = x.defaclnamespace
        WHERE ns.owner IS NOT NULL
    UNION ALL SELECT ns.owner, 'D',
                     (dep.objid::bigint << 32) | (dep.classid::bigint << 16) | dep.refobjsubid,
                     dep.x, NULL
        FROM dep JOIN ns ON ns.nsp = dep.nsp WHERE ns.owner IS NOT NULL
    UNION ALL SELECT 0, 'X', x.oid::bigint, x.xmin::text::bigint, NULL FROM pg_extension x
    UNION ALL  -- roles, by content: a selected schema's own by its attributes alone (its
    -- name and oid are its tenant's; equal tenants' roles then hash equal), shared ones
    -- with their identity too
    SELECT s.nsp, 'R', NULL, NULL, hashtext(ROW(r.rolsuper, r.rolinherit, r.rolcreaterole,
               r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolconnlimit,
               r.rolvaliduntil, r.rolbypassrls, r.rolconfig)::text)
        FROM pg_roles r JOIN s ON s.role_oid = r.oid
    UNION ALL SELECT 0, 'R', NULL, NULL, hashtext(ROW(r.oid, r.rolname, r.rolsuper,
               r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
               r.rolreplication, r.rolconnlimit, r.rolvaliduntil, r.rolbypassrls,
               r.rolconfig)::text)
        FROM pg_roles r WHERE r.oid NOT IN (SELECT oid FROM tenant_roles)
    UNION ALL  -- memberships: of a selected schema's role (either side), else shared
    SELECT s.nsp, 'm', (m.roleid::bigint << 32) | m.member::bigint, m.xmin::text::bigint,
           NULL
        FROM pg_auth_members m JOIN s ON s.role_oid = m.roleid
    UNION ALL SELECT s.nsp, 'm', (m.roleid::bigint << 32) | m.member::bigint,
                     m.xmin::text::bigint, NULL
        FROM pg_auth_members m JOIN s ON s.role_oid = m.member
        WHERE m.roleid IS DISTINCT FROM s.role_oid
    UNION ALL SELECT 0, 'm', (m.roleid::bigint << 32) | m.member::bigint,
                     m.xmin::text::bigint, NULL
        FROM pg_auth_members m
        WHERE m.roleid NOT IN (SELECT oid FROM tenant_roles)
          AND m.member NOT IN (SELECT oid FROM tenant_roles)
    UNION ALL SELECT COALESCE(s.nsp, 0), 'z', x.objoid::bigint, x.xmin::text::bigint, NULL
        FROM pg_shdescription x LEFT JOIN s ON s.role_oid = x.objoid
        WHERE x.classoid = 'pg_authid'::regclass
          AND (s.nsp IS NOT NULL OR x.objoid NOT IN (SELECT oid FROM tenant_roles))
),
-- With %(xids)s (each schema's own transaction id, low 32 bits) and a snapshot
-- (%(xmax)s and %(xip)s, low 32 bits), `alien` counts the rows written since that
-- snapshot by any other transaction (fleet/after.py): visible in it are the xids that
-- precede its xmax (modulo 2^32) and are not in its xip list; 0 to 2 are special xids.
parts AS (
    SELECT r.owner, r.part, count(*) AS n,
           sum(COALESCE(r.h, (hashint8extended(r.k, r.x) >> 32)::int)) AS total,
           array_agg(r.x) FILTER (
               WHERE %(xmax)s::bigint IS NOT NULL AND r.x > 2
                 AND NOT ((%(xmax)s::bigint - r.x + 4294967296) %% 4294967296
                              BETWEEN 1 AND 2147483647
                          AND r.x <> ALL(%(xip)s::bigint[]))) AS fresh
    FROM rows r
    GROUP BY r.owner, r.part
),
stamps AS (
    SELECT p.owner, string_agg(p.part || p.n || ':' || p.total, ' ' ORDER BY p.part) AS stamp,
           sum((SELECT count(*) FROM unnest(p.fresh) AS f(x)
                WHERE f.x IS DISTINCT FROM own.xid)) AS alien
    FROM parts p LEFT JOIN own ON own.nsp = p.owner
    GROUP BY p.owner
)
-- One row per selected schema that exists; one row with no schema when none does (the
-- shared part alone: live/normcache.py keys normalized models by it).
SELECT s.schema_name, shared.stamp AS shared, mine.stamp AS own,
       COALESCE(mine.alien, 0) + shared.alien AS alien,
       txid_current_snapshot()::text AS snapshot
FROM (SELECT stamp, alien FROM stamps WHERE owner = 0) AS shared
LEFT JOIN s ON true
LEFT JOIN stamps mine ON mine.owner = s.nsp
