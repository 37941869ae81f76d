"""Plan the fleet once per group of identical tenants, then re-target to each schema.

Tenants whose live schemas fingerprint equal (the fingerprint is schema-relative) and that
enable the same modules want the same change. One of them, the representative, is planned
with the statements bound to a placeholder schema name; each tenant's plan is that
template with the placeholder replaced by the tenant's quoted schema name. The placeholder
is a random plain identifier, so it cannot occur in the definitions by accident; a test
proves the result equals planning each tenant on its own.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from ..errors import ZplusError
from ..ident import quote_ident, quote_literal
from ..live.planner import PlanRequest, plan_target
from ..live.targets import TargetSpec
from ..load import Loaded
from ..model import Project
from ..model.role import Role
from ..plan.context import PlanOptions
from ..plan.document import PlanStep, TargetPlan
from .inventory import Conn, FleetTenant, Inventory, open_server
from .servers import FleetConfig
from .stamps import Stamps, shared_of

# server major version, schema fingerprint, access digest, modules
GroupKey = tuple[int, str, str, tuple[str, ...]]


@dataclass
class Group:
    """Tenants that get the same plan, and that plan bound to a placeholder schema."""

    key: GroupKey
    tenants: list[FleetTenant]
    template: TargetPlan
    placeholder: str
    role_placeholder: str = ""

    @property
    def modules(self) -> tuple[str, ...]:
        """Return the module set shared by the group."""
        return self.key[3]

    @property
    def empty(self) -> bool:
        """Return True when the group's tenants are already as desired."""
        return self.template.empty

    def plan_for(self, tenant: FleetTenant) -> TargetPlan:
        """Return the template re-targeted to one tenant's schema."""
        return retarget(self.template, self.placeholder, tenant, self.role_placeholder)


@dataclass
class FleetPlan:
    """The plan of the whole fleet: groups, and tenants on servers that could not be read."""

    groups: list[Group] = field(default_factory=list)
    unreachable: dict[str, str] = field(default_factory=dict)  # server -> reason
    stranded: list[FleetTenant] = field(default_factory=list)  # not read: server or locks
    project: Project | None = None  # what the access digests are read against
    reads: dict[str, Stamps] = field(default_factory=dict)  # server -> inventory's stamps

    @property
    def tenant_count(self) -> int:
        """Return how many tenants the plan covers, reachable or not."""
        return sum(len(g.tenants) for g in self.groups) + len(self.stranded)

    @property
    def empty(self) -> bool:
        """Return True when no reachable tenant needs a change."""
        return all(g.empty for g in self.groups)


def group_key(tenant: FleetTenant) -> GroupKey:
    """Return what must be equal for two tenants to share a plan."""
    assert tenant.fingerprint is not None
    return (tenant.server_version, tenant.fingerprint, tenant.access, tenant.record.modules)


def plan_fleet(config: FleetConfig, loaded: Loaded, inventory: Inventory,
               options: PlanOptions | None = None) -> FleetPlan:
    """Group the reachable tenants and plan each group once, on its representative."""
    buckets: dict[GroupKey, list[FleetTenant]] = {}
    for tenant in inventory.reachable:
        buckets.setdefault(group_key(tenant), []).append(tenant)
    result = FleetPlan(unreachable=dict(inventory.unreachable),
                       reads=dict(inventory.reads),
                       stranded=[t for t in inventory.tenants if t.fingerprint is None],
                       project=loaded.project)
    conns: dict[str, Conn] = {}
    try:
        for key, members in buckets.items():
            rep = members[0]
            if rep.record.server not in conns:
                conns[rep.record.server] = open_server(config.server(rep.record.server))
            template, placeholder, role = plan_template(conns[rep.record.server], loaded, rep,
                                                        options or PlanOptions())
            result.groups.append(Group(key, members, template, placeholder, role))
    finally:
        for conn in conns.values():
            conn.close()
    # Groups with work first, the biggest first: that is what a reviewer reads.
    result.groups.sort(key=lambda g: (g.empty, -len(g.tenants), g.tenants[0].record.slug))
    return result


def plan_template(conn: Conn, loaded: Loaded, rep: FleetTenant,
                  options: PlanOptions) -> tuple[TargetPlan, str, str]:
    """Plan the representative with its statements bound to a fresh placeholder schema,
    and its own tenant role (roles and grants) replaced by a placeholder role name."""
    placeholder = f"zplus_fleet_{secrets.token_hex(8)}"
    spec = TargetSpec(rep.label, rep.record.schema, "tenant", rep.record.slug)
    # Normalized models are remembered under the state outside the tenant schemas.
    outside = shared_of(rep.stamp) if rep.stamp else None
    request = PlanRequest((), list(rep.record.modules), options, outside)
    template = plan_target(conn, loaded, spec, request, bind=placeholder)
    if template.fingerprint_live != rep.fingerprint:
        raise ZplusError(f"{rep.label}: schema {rep.record.schema} changed while planning",
                         hint="re-run the command")
    if rep.role is None:
        return template, placeholder, ""
    token = f"zplus_role_{secrets.token_hex(8)}"
    return _substitute(template, _role_texts(rep.role, token)), placeholder, token


def _role_texts(role: Role, token: str) -> dict[str, str]:
    """Return the texts of a tenant's role in SQL -> what stands for them in the template.

    The role's name (a whole word: by now the schema name is already a placeholder, so
    what is left of it is the role, in GRANT ... TO, CREATE/ALTER/COMMENT ON ROLE) and its
    comment (which may name the tenant) are per tenant; the rest of the plan is not.
    """
    texts = {quote_ident(role.name): token}
    if role.comment:
        texts[quote_literal(role.comment)] = quote_literal(token + "_comment")
    return texts


def _substitute(plan: TargetPlan, texts: dict[str, str]) -> TargetPlan:
    """Return the plan with each text (as a whole word) replaced by what stands for it."""
    def sub(text: str) -> str:
        for old, new in texts.items():
            # Only a backslash is special in a replacement string.
            text = re.sub(r"(?<![\w$])" + re.escape(old) + r"(?![\w$])",
                          new.replace("\\", "\\\\"), text)
        return text

    return plan.model_copy(update={"steps": [
        s.model_copy(update={"sql": sub(s.sql), "object": sub(s.object)}) for s in plan.steps]})


def retarget(template: TargetPlan, placeholder: str, tenant: FleetTenant,
             role_placeholder: str = "") -> TargetPlan:
    """Return the template's plan with the placeholder schema replaced by the tenant's, and
    the placeholder role by the tenant's own role."""
    quoted = quote_ident(tenant.record.schema)
    texts = ({v: k for k, v in _role_texts(tenant.role, role_placeholder).items()}
             if role_placeholder and tenant.role else {})

    def bind(text: str, schema: str) -> str:
        text = text.replace(placeholder, schema)
        for token in sorted(texts, key=len, reverse=True):  # the role token prefixes the others
            text = text.replace(token, texts[token])
        return text

    steps = [PlanStep(sql=bind(s.sql, quoted), object=bind(s.object, tenant.record.schema),
                      action=s.action, hazards=list(s.hazards), transactional=s.transactional)
             for s in template.steps]
    return TargetPlan(target=tenant.label, schema_name=tenant.record.schema,
                      fingerprint_live=template.fingerprint_live,
                      fingerprint_desired=template.fingerprint_desired, steps=steps,
                      unmanaged=list(template.unmanaged))
