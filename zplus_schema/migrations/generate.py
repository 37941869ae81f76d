"""`migrations generate`: write the next up/down pair of each kind from the YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compile import Target
from ..ident import quote_ident
from ..load import Loaded, load
from ..model import SchemaModel, fingerprint
from ..plan.builder import plan_schema
from ..plan.document import PlanStep, TargetPlan
from ..plan.step import Hazard
from .files import KINDS, MigrationPair, check_name, next_version, scan_all, write_pair
from .replay import Conn, run_text, set_search_path
from .state import (
    SCRATCH_TENANT,
    build_files_state,
    models,
    plan_kind,
    render,
    scratch_connection,
    yaml_state,
)


@dataclass
class Draft:
    """The up and down statements of one kind, before they are written."""

    kind: str
    up: TargetPlan
    down: list[PlanStep] = field(default_factory=list)


@dataclass
class GenerateResult:
    """What generate wrote (nothing for a kind without changes) and what to look at."""

    written: list[MigrationPair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def generate(root: Path, base: Path, name: str) -> GenerateResult:
    """Write `NNN_name.{up,down}.sql` under base/system and base/tenant where the YAML moved."""
    check_name(name)
    loaded = load(root)
    pairs = scan_all(base)
    with scratch_connection() as conn:
        build_files_state(conn, loaded, pairs)
        before = models(conn, loaded)
        drafts = _drafts(conn, loaded, before)
        result = GenerateResult(warnings=_check_roundtrip(conn, loaded, drafts, before))
    header = _header(root, name)
    for draft in drafts:
        if draft.up.empty:
            continue
        version = next_version(pairs[draft.kind])
        up = render([*header, f"YAML fingerprint ({draft.kind}): {draft.up.fingerprint_desired}",
                     f"{draft.kind} schema: up", *_run_note(draft.kind)],
                    draft.up.steps, draft.kind)
        down = render([*header, f"{draft.kind} schema: down (reverts {version:03d}_{name})",
                       *_run_note(draft.kind)], draft.down, draft.kind)
        result.written.append(write_pair(base / draft.kind, version, name, up, down))
        result.warnings += _file_warnings(draft, up + down)
    return result


def _drafts(conn: Conn, loaded: Loaded, before: dict[str, SchemaModel]) -> list[Draft]:
    """Plan each kind, applying it in turn: tenant objects may use the new system ones."""
    drafts = []
    for kind in KINDS:
        up = plan_kind(conn, loaded, kind)
        _run_steps(conn, loaded, kind, up.steps, "the generated up")
        drafts.append(Draft(kind, up))
    after = models(conn, loaded)
    for draft in drafts:
        draft.down = _down_steps(loaded, draft, after[draft.kind], before[draft.kind])
    return drafts


def _down_steps(loaded: Loaded, draft: Draft, new: SchemaModel,
                old: SchemaModel) -> list[PlanStep]:
    """Return the statements taking the new state back to the files' state."""
    system = loaded.project.settings.system_schema
    schema = system if draft.kind == "system" else SCRATCH_TENANT
    renames = _reverse_renames(loaded, draft.kind)
    steps = [PlanStep.of(s) for s in plan_schema(new, old, Target(schema, system), renames)]
    if draft.up.steps and draft.up.steps[0].action == "create" and \
            draft.up.steps[0].object == f"schema {schema}":
        steps.append(PlanStep(sql=f"DROP SCHEMA {quote_ident(schema)}", object=f"schema {schema}",
                              action="drop", hazards=[Hazard.DELETES_DATA.value]))
    return steps


def _reverse_renames(loaded: Loaded, kind: str) -> dict[tuple[str, ...], str]:
    """Return the YAML's renames seen from the old state: new names become the old ones."""
    groups = ["system"] if kind == "system" else [
        g for g in loaded.origins if g == "tenant" or g.startswith("module:")]
    forward: dict[tuple[str, ...], str] = {}
    for g in groups:
        forward.update(loaded.origins[g].renames)
    tables = {key[1]: old for key, old in forward.items() if key[0] == "table"}
    out: dict[tuple[str, ...], str] = {}
    for key, old in forward.items():
        if key[0] == "table":
            out[("table", old)] = key[1]
        elif key[0] == "column":
            out[("column", tables.get(key[1], key[1]), old)] = key[2]
    return out


def _run_steps(conn: Conn, loaded: Loaded, kind: str, steps: list[PlanStep], what: str) -> None:
    """Run statements as a migration file would: one query, search_path at the kind's schema."""
    schema = loaded.project.settings.system_schema if kind == "system" else SCRATCH_TENANT
    set_search_path(conn, schema)
    run_text(conn, render([], steps, kind), f"{what} of the {kind} schema")


def _check_roundtrip(conn: Conn, loaded: Loaded, drafts: list[Draft],
                     before: dict[str, SchemaModel]) -> list[str]:
    """Run the downs (tenant first) and say which kind does not return to the files' state."""
    for draft in reversed(drafts):
        _run_steps(conn, loaded, draft.kind, draft.down, "the generated down")
    back = models(conn, loaded)
    return [f"{d.kind}: the down file does not restore the previous state exactly; review it"
            for d in drafts
            if not d.up.empty and fingerprint(back[d.kind]) != fingerprint(before[d.kind])]


def _file_warnings(draft: Draft, text: str) -> list[str]:
    """Return what a reviewer must know about a written pair."""
    warnings = []
    if draft.kind == "tenant" and SCRATCH_TENANT in text:
        warnings.append(f"tenant: the files still name schema {SCRATCH_TENANT} (e.g. in a "
                        "function setting); edit them before use")
    if any(not s.transactional for s in draft.up.steps):
        warnings.append(f"{draft.kind}: a statement cannot run inside migrate's transaction")
    return warnings


def _header(root: Path, name: str) -> list[str]:
    return [f"Generated by `zplus-schema migrations generate {name}`; review before merging",
            f"YAML state: {yaml_state(root)} (root {root.resolve().name})"]


def _run_note(kind: str) -> list[str]:
    if kind == "system":
        return []
    return ["Schema-agnostic: run with search_path set to the tenant schema",
            "(migrate DSN ...&search_path=tenant_x); the schema must already exist"]

