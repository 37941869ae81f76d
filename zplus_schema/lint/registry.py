"""The RULES table: every lint rule, in code order. Adding a rule means adding a line here."""

from __future__ import annotations

from .rule import Rule
from .rules import (
    zs101_fk_undefined_table,
    zs102_redundant_index,
    zs103_fk_without_index,
    zs104_current_setting_missing_ok,
    zs105_unqualified_cross_schema,
    zs106_timestamp_without_time_zone,
    zs107_table_without_primary_key,
    zs108_varchar_without_length,
    zs109_char_type,
    zs110_serial_type,
    zs111_money_type,
    zs112_json_type,
    zs113_table_without_comment,
    zs114_reserved_word_identifier,
    zs115_identifier_too_long,
    zs116_cascade_fan_out,
    zs117_integer_primary_key,
    zs118_fk_type_mismatch,
    zs201_add_not_null_without_default,
    zs202_blocking_index_build,
    zs203_table_rewrite,
    zs204_drop_column,
    zs205_drop_table,
    zs206_drop_and_add_column,
    zs207_enum_value_removal,
    zs208_authorization_loosened,
    zs301_rls_without_policies,
    zs302_policy_undeclared_role,
    zs303_policy_missing_column,
    zs304_security_definer_search_path,
    zs305_rls_not_forced,
    zs306_shared_table_without_rls,
    zs307_role_powerful_attribute,
)

RULES: tuple[Rule, ...] = (
    # ZS1xx: definitions
    zs101_fk_undefined_table.RULE,
    zs102_redundant_index.RULE,
    zs103_fk_without_index.RULE,
    zs104_current_setting_missing_ok.RULE,
    zs105_unqualified_cross_schema.RULE,
    zs106_timestamp_without_time_zone.RULE,
    zs107_table_without_primary_key.RULE,
    zs108_varchar_without_length.RULE,
    zs109_char_type.RULE,
    zs110_serial_type.RULE,
    zs111_money_type.RULE,
    zs112_json_type.RULE,
    zs113_table_without_comment.RULE,
    zs114_reserved_word_identifier.RULE,
    zs115_identifier_too_long.RULE,
    zs116_cascade_fan_out.RULE,
    zs117_integer_primary_key.RULE,
    zs118_fk_type_mismatch.RULE,
    # ZS2xx: changes (over a plan's steps)
    zs201_add_not_null_without_default.RULE,
    zs202_blocking_index_build.RULE,
    zs203_table_rewrite.RULE,
    zs204_drop_column.RULE,
    zs205_drop_table.RULE,
    zs206_drop_and_add_column.RULE,
    zs207_enum_value_removal.RULE,
    zs208_authorization_loosened.RULE,
    # ZS3xx: security
    zs301_rls_without_policies.RULE,
    zs302_policy_undeclared_role.RULE,
    zs303_policy_missing_column.RULE,
    zs304_security_definer_search_path.RULE,
    zs305_rls_not_forced.RULE,
    zs306_shared_table_without_rls.RULE,
    zs307_role_powerful_attribute.RULE,
)


def rule(code: str) -> Rule:
    """Return the rule with this code (KeyError when there is none)."""
    for r in RULES:
        if r.code == code:
            return r
    raise KeyError(code)
