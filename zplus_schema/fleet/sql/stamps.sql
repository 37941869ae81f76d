-- Change stamps: per schema, what its catalog rows are, by identity and row version (xmin),
-- not by content, so a schema whose stamp is unchanged has not been touched since (see
-- fleet/stamps.py). Parameters: %(schemas)s (the schemas to stamp), %(roles)s (each one's
-- tenant role, or NULL), %(prefix)s (the tenant schema prefix) and %(role_prefix)s (the
-- tenant role prefix, NULL without tenant roles): every role named with it is taken for
-- a tenant role, whether its schema is in this database or not (another database of the
-- cluster may hold it).
--
-- Each row counts as hashint8(identity << 32 | xmin) (xor a per-catalog salt where one
-- part mixes catalogs); a part is its row count and the sum of those hashes, so adding,
-- dropping or rewriting any row moves it. Every catalog the introspection, the digest and
-- the access digest read is covered, except shared rows of role attributes, hashed by
-- content since pg_authid is not readable by everyone. The `shared` part is made of the
-- rows outside every tenant schema (public, pg_catalog, extensions) and the roles that
-- are not tenant roles: a tenant's model names such objects (types, referenced tables,
-- functions in defaults, grantees), so a change there counts for every tenant.
WITH s AS MATERIALIZED (
    SELECT n.oid AS nsp, u.name AS schema_name,
           (SELECT r.oid FROM pg_roles r WHERE r.rolname = u.role_name) AS role_oid
    FROM unnest(%(schemas)s::text[], %(roles)s::text[]) AS u(name, role_name)
    JOIN pg_namespace n ON n.nspname = u.name
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
    SELECT c.oid, c.relkind, ns.owner,
           hashint8((c.oid::bigint << 32) | c.xmin::text::bigint) AS h
    FROM pg_class c JOIN ns ON ns.nsp = c.relnamespace
    WHERE ns.owner IS NOT NULL
),
-- relations with columns of their own (an index's are its table's)
tbl AS MATERIALIZED (SELECT oid, owner FROM rel WHERE relkind NOT IN ('i', 'I')),
tenant_roles AS MATERIALIZED (
    SELECT r.oid FROM pg_roles r WHERE starts_with(r.rolname::text, %(role_prefix)s::text)
),
-- the catalogs read more than once, with each row's owner and hash
con AS MATERIALIZED (
    SELECT x.oid, ns.owner, hashint8((x.oid::bigint << 32) | x.xmin::text::bigint) AS h
    FROM pg_constraint x JOIN ns ON ns.nsp = x.connamespace WHERE ns.owner IS NOT NULL
),
typ AS MATERIALIZED (
    SELECT x.oid, ns.owner, hashint8((x.oid::bigint << 32) | x.xmin::text::bigint) AS h
    FROM pg_type x JOIN ns ON ns.nsp = x.typnamespace WHERE ns.owner IS NOT NULL
),
fn AS MATERIALIZED (
    SELECT x.oid, ns.owner, hashint8((x.oid::bigint << 32) | x.xmin::text::bigint) AS h
    FROM pg_proc x JOIN ns ON ns.nsp = x.pronamespace WHERE ns.owner IS NOT NULL
),
trg AS MATERIALIZED (
    SELECT x.oid, rel.owner, hashint8((x.oid::bigint << 32) | x.xmin::text::bigint) AS h
    FROM pg_trigger x JOIN rel ON rel.oid = x.tgrelid WHERE NOT x.tgisinternal
),
pol AS MATERIALIZED (
    SELECT x.oid, rel.owner, hashint8((x.oid::bigint << 32) | x.xmin::text::bigint) AS h
    FROM pg_policy x JOIN rel ON rel.oid = x.polrelid
),
rw AS MATERIALIZED (
    SELECT x.oid, rel.owner, hashint8((x.oid::bigint << 32) | x.xmin::text::bigint) AS h
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
    SELECT d.classid, d.objid, d.refobjsubid, d.xmin,
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
rows AS (
    SELECT ns.owner, 'n' AS part, hashint8((n.oid::bigint << 32) | n.xmin::text::bigint) AS h
        FROM pg_namespace n JOIN ns ON ns.nsp = n.oid WHERE ns.owner IS NOT NULL
    UNION ALL SELECT owner, 'c', h FROM rel
    UNION ALL SELECT tbl.owner, 'a',
            hashint8((a.attrelid::bigint << 32) | a.xmin::text::bigint) # hashint4(a.attnum)
        FROM pg_attribute a JOIN tbl ON tbl.oid = a.attrelid
        WHERE a.attnum > 0
    UNION ALL SELECT rel.owner, 'd', hashint8((x.oid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_attrdef x JOIN rel ON rel.oid = x.adrelid
    UNION ALL SELECT owner, 'k', h FROM con
    UNION ALL SELECT rel.owner, 'i',
            hashint8((x.indexrelid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_index x JOIN rel ON rel.oid = x.indrelid
    UNION ALL SELECT owner, 't', h FROM trg
    UNION ALL SELECT owner, 'p', h FROM pol
    UNION ALL SELECT owner, 'r', h FROM rw
    UNION ALL SELECT rel.owner, 'h',
            hashint8((x.inhrelid::bigint << 32) | x.xmin::text::bigint) # hashint4(x.inhseqno)
        FROM pg_inherits x JOIN rel ON rel.oid = x.inhrelid
    UNION ALL SELECT rel.owner, 'q',
            hashint8((x.seqrelid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_sequence x JOIN rel ON rel.oid = x.seqrelid
    UNION ALL SELECT owner, 'y', h FROM typ
    UNION ALL SELECT typ.owner, 'e', hashint8((x.oid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_enum x JOIN typ ON typ.oid = x.enumtypid
    UNION ALL SELECT typ.owner, 'g',
            hashint8((x.rngtypid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_range x JOIN typ ON typ.oid = x.rngtypid
    UNION ALL SELECT owner, 'f', h FROM fn
    UNION ALL SELECT ns.owner, 'o', o.h
        FROM (SELECT collnamespace AS nsp, hashint8((oid::bigint << 32) | xmin::text::bigint)
                    # 1 AS h FROM pg_collation
              UNION ALL SELECT connamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 2 FROM pg_conversion
              UNION ALL SELECT oprnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 3 FROM pg_operator
              UNION ALL SELECT opcnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 4 FROM pg_opclass
              UNION ALL SELECT opfnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 5 FROM pg_opfamily
              UNION ALL SELECT cfgnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 6 FROM pg_ts_config
              UNION ALL SELECT dictnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 7 FROM pg_ts_dict
              UNION ALL SELECT prsnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 8 FROM pg_ts_parser
              UNION ALL SELECT tmplnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 9 FROM pg_ts_template
              UNION ALL SELECT stxnamespace, hashint8((oid::bigint << 32)
                    | xmin::text::bigint) # 10 FROM pg_statistic_ext) o
        JOIN ns ON ns.nsp = o.nsp WHERE ns.owner IS NOT NULL
    UNION ALL SELECT obj.owner, 'x',
            hashint8((x.objoid::bigint << 32) | x.xmin::text::bigint) # hashint4(x.objsubid)
        FROM pg_description x JOIN obj ON obj.classoid = x.classoid AND obj.oid = x.objoid
    UNION ALL SELECT ns.owner, 'l', hashint8((x.oid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_default_acl x JOIN ns ON ns.nsp = x.defaclnamespace
        WHERE ns.owner IS NOT NULL
    UNION ALL SELECT ns.owner, 'D',
           hashint8((dep.objid::bigint << 32) | dep.xmin::text::bigint)
           # hashint4(dep.refobjsubid) # dep.classid::int
        FROM dep JOIN ns ON ns.nsp = dep.nsp WHERE ns.owner IS NOT NULL
    UNION ALL SELECT 0, 'X', hashint8((x.oid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_extension x
    UNION ALL  -- roles: a selected schema's own, and the shared ones, by content
    SELECT COALESCE(s.nsp, 0), 'R', hashtext(ROW(r.oid, r.rolname, r.rolsuper, r.rolinherit,
               r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication,
               r.rolconnlimit, r.rolvaliduntil, r.rolbypassrls, r.rolconfig)::text)
        FROM pg_roles r LEFT JOIN s ON s.role_oid = r.oid
        WHERE s.nsp IS NOT NULL OR r.oid NOT IN (SELECT oid FROM tenant_roles)
    UNION ALL  -- memberships: of a selected schema's role (either side), else shared
    SELECT s.nsp, 'm', hashint8((m.roleid::bigint << 32) | m.xmin::text::bigint)
           # hashint4(m.member::int)
        FROM pg_auth_members m JOIN s ON s.role_oid = m.roleid
    UNION ALL SELECT s.nsp, 'm', hashint8((m.roleid::bigint << 32) | m.xmin::text::bigint)
           # hashint4(m.member::int)
        FROM pg_auth_members m JOIN s ON s.role_oid = m.member
        WHERE m.roleid IS DISTINCT FROM s.role_oid
    UNION ALL SELECT 0, 'm', hashint8((m.roleid::bigint << 32) | m.xmin::text::bigint)
           # hashint4(m.member::int)
        FROM pg_auth_members m
        WHERE m.roleid NOT IN (SELECT oid FROM tenant_roles)
          AND m.member NOT IN (SELECT oid FROM tenant_roles)
    UNION ALL SELECT COALESCE(s.nsp, 0), 'z',
           hashint8((x.objoid::bigint << 32) | x.xmin::text::bigint)
        FROM pg_shdescription x LEFT JOIN s ON s.role_oid = x.objoid
        WHERE x.classoid = 'pg_authid'::regclass
          AND (s.nsp IS NOT NULL OR x.objoid NOT IN (SELECT oid FROM tenant_roles))
),
parts AS (
    SELECT owner, part, count(*) AS n, sum(h) AS total FROM rows GROUP BY owner, part
),
stamps AS (
    SELECT owner, string_agg(part || n || ':' || total, ' ' ORDER BY part) AS stamp
    FROM parts GROUP BY owner
)
SELECT s.schema_name, shared.stamp AS shared, own.stamp AS own
FROM s
CROSS JOIN (SELECT stamp FROM stamps WHERE owner = 0) AS shared
LEFT JOIN stamps own ON own.owner = s.nsp
