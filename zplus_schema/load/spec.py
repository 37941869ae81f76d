"""The YAML document format: pydantic models with the short forms people write.

These models define what a file may say (and the JSON Schema editors use); `normalize`
turns them into the model, where every short form has become its long form.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..model.constraint import FkAction
from ..model.function import ArgMode, Volatility
from ..model.trigger import Event, Timing

SqlValue = str | int | float | bool


class Spec(BaseModel):
    """Base of the document models: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SuppressionSpec(Spec):
    """One lint rule switched off for an object (and what is under it), and why."""

    code: str = Field(pattern=r"^ZS[0-9]{3}$", description="rule code, e.g. ZS104")
    reason: str = Field(description="why the finding is accepted; required")

    @model_validator(mode="before")
    @classmethod
    def _needs_reason(cls, data: object) -> object:
        # A bare code is the most likely mistake: say what to write instead.
        if isinstance(data, str):
            raise ValueError(f"a suppression needs a reason: write {{code: {data}, "
                             "reason: \"why this is accepted\"}")
        return data

    @field_validator("reason")
    @classmethod
    def _reason_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the reason of a suppression must not be empty")
        return value.strip()


class LintSpec(Spec):
    """Lint settings of one object: the rules switched off for it."""

    ignore: list[SuppressionSpec] = Field([], description="[{code: ZS104, reason: ...}]")


class ColumnSpec(Spec):
    """A column in long form."""

    type: str = Field(description="SQL type, e.g. uuid, varchar(255), numeric(10,2), jsonb")
    renamed_from: str | None = Field(None, description="old name: rename instead of drop+add")
    nullable: bool = True
    default: SqlValue | None = Field(None, description="SQL expression, e.g. now() or \"'x'\"")
    identity: Literal["always", "by default"] | None = None
    generated: str | None = Field(None, description="expression of a STORED generated column")
    collation: str | None = None
    comment: str | None = None
    primary_key: bool = False
    unique: bool = False
    check: str | None = Field(None, description="SQL boolean expression")
    references: str | None = Field(None, description="users, users(id) or public.tenants(id)")
    on_delete: FkAction | None = None
    on_update: FkAction | None = None
    lint: LintSpec | None = None


class RefSpec(Spec):
    """The referenced side of a foreign key."""

    table: str
    columns: list[str] | None = None
    schema_name: str | None = Field(None, alias="schema")


class ForeignKeySpec(Spec):
    """A table-level foreign key."""

    name: str | None = None
    columns: list[str]
    references: RefSpec
    on_delete: FkAction = "no action"
    on_update: FkAction = "no action"
    deferrable: bool = False
    initially_deferred: bool = False


class UniqueSpec(Spec):
    """A table-level unique constraint."""

    name: str | None = None
    columns: list[str]
    nulls_not_distinct: bool = False
    deferrable: bool = False
    initially_deferred: bool = False


class IndexKeySpec(Spec):
    """An index key in long form: a column or an expression."""

    column: str | None = None
    expression: str | None = None
    order: Literal["asc", "desc"] | None = None
    nulls: Literal["first", "last"] | None = None
    opclass: str | None = None
    collation: str | None = None


class IndexSpec(Spec):
    """An index on the table it is written under."""

    columns: list[str | IndexKeySpec]
    unique: bool = False
    method: str = "btree"
    include: list[str] = []
    where: str | None = None
    nulls_not_distinct: bool = False
    comment: str | None = None
    lint: LintSpec | None = None


class TriggerSpec(Spec):
    """A trigger on the table it is written under."""

    timing: Timing
    events: list[Event]
    update_of: list[str] = []
    level: Literal["row", "statement"] = "row"
    when: str | None = None
    function: str = Field(description="function name, e.g. set_updated_at or public.audit")
    arguments: list[str] = []
    comment: str | None = None
    lint: LintSpec | None = None


class PolicySpec(Spec):
    """A row-level security policy on the table it is written under."""

    command: Literal["all", "select", "insert", "update", "delete"] = "all"
    permissive: bool = Field(True, description="false: AS RESTRICTIVE")
    roles: list[str] = ["public"]
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None
    lint: LintSpec | None = None


class TableSpec(Spec):
    """A table with its columns, constraints, indexes, triggers and policies."""

    comment: str | None = None
    columns: dict[str, str | ColumnSpec] = {}
    renamed_from: str | None = Field(None, description="old name: rename instead of drop+add")
    row_level_security: Literal["enabled", "forced"] | None = None
    partition_by: str | None = Field(None, description="e.g. RANGE (created_at)")
    partition_of: str | None = Field(None, description="parent table of this partition")
    partition_bound: str | None = Field(None, description="FOR VALUES ... or DEFAULT")
    exclusions: dict[str, str] = Field({}, description="name: USING gist (c WITH &&)")
    policies: dict[str, PolicySpec] = {}
    primary_key: list[str] | None = None
    unique: list[UniqueSpec] = []
    checks: dict[str, str] = {}
    foreign_keys: list[ForeignKeySpec] = []
    indexes: dict[str, IndexSpec] = {}
    triggers: dict[str, TriggerSpec] = {}
    skip_templates: list[str] = []
    lint: LintSpec | None = None


class ArgumentSpec(Spec):
    """A function argument."""

    name: str | None = None
    type: str
    mode: ArgMode = "in"
    default: str | None = None


class FunctionSpec(Spec):
    """A function (or, with kind: procedure, a procedure)."""

    kind: Literal["function", "procedure"] = "function"
    returns: str | None = Field(None, description="required for a function")
    language: str = "sql"
    body: str
    arguments: list[ArgumentSpec] = []
    volatility: Volatility = "volatile"
    security_definer: bool = False
    strict: bool = False
    set: dict[str, str] = {}
    comment: str | None = None
    lint: LintSpec | None = None


class SequenceSpec(Spec):
    """A sequence."""

    type: Literal["smallint", "integer", "bigint"] = "bigint"
    start: int | None = None
    increment: int = 1
    min_value: int | None = None
    max_value: int | None = None
    cache: int = 1
    cycle: bool = False
    owned_by: str | None = Field(None, description="table.column")
    comment: str | None = None


class EnumSpec(Spec):
    """An enum type."""

    values: list[str]
    comment: str | None = None


class ViewSpec(Spec):
    """A view."""

    query: str
    options: dict[str, str] = Field({}, description="e.g. security_barrier: 'true'")
    comment: str | None = None


class MaterializedViewSpec(Spec):
    """A materialized view (created WITH DATA)."""

    query: str
    comment: str | None = None


class DomainSpec(Spec):
    """A domain type."""

    type: str
    nullable: bool = True
    default: SqlValue | None = None
    collation: str | None = None
    checks: dict[str, str] = {}
    comment: str | None = None


class ExtensionSpec(Spec):
    """An extension."""

    schema_name: str | None = Field(None, alias="schema")
    version: str | None = None


class ObjectsFile(Spec):
    """A file of objects under schema/system, schema/tenant or schema/modules/NAME."""

    extensions: dict[str, ExtensionSpec | None] = {}
    enums: dict[str, EnumSpec | list[str]] = {}
    domains: dict[str, DomainSpec] = {}
    sequences: dict[str, SequenceSpec] = {}
    functions: dict[str, FunctionSpec] = {}
    tables: dict[str, TableSpec] = {}
    views: dict[str, ViewSpec | str] = {}
    materialized_views: dict[str, MaterializedViewSpec | str] = {}


class ModuleInfo(Spec):
    """What module.yaml says about its module."""

    display_name: str | None = None
    description: str | None = None
    version: str | None = None
    depends_on: list[str] = []


class ModuleFile(Spec):
    """schema/modules/NAME/module.yaml."""

    module: ModuleInfo


class TriggerTemplateSpec(Spec):
    """A trigger added to every table of some groups that has a given column."""

    groups: list[Literal["system", "tenant", "modules"]]
    if_column: str | None = None
    timing: Timing
    events: list[Event]
    level: Literal["row", "statement"] = "row"
    when: str | None = None
    function: str
    arguments: list[str] = []


class ProjectInfo(Spec):
    """Project settings."""

    system_schema: str = "public"
    tenant_schema_prefix: str = "tenant_"


class ProjectLintSpec(LintSpec):
    """Project-wide lint settings: default rule selection, accepted findings, known roles."""

    select: list[str] = Field([], description="codes or prefixes run by default, e.g. [ZS1, ZS3]")
    known_roles: list[str] = Field(
        [], description="roles created outside these definitions that policies may name")


class ProjectFile(Spec):
    """schema/project.yaml."""

    project: ProjectInfo = ProjectInfo()
    trigger_templates: dict[str, TriggerTemplateSpec] = {}
    lint: ProjectLintSpec = ProjectLintSpec()
