"""`adapter` for sqlfluff, which renders the models' Jinja without dbt (`.sqlfluff`:
`library_path = lint`): `adapter.dispatch(name)` picks the `duckdb__` macro, as dbt does on the
DuckDB targets, so the SQL that is linted is the SQL DuckDB runs."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context


@pass_context
def dispatch(context: Context, macro_name: str, macro_namespace: str | None = None) -> Any:
    for prefix in ("duckdb__", "default__"):
        macro = context.get(prefix + macro_name)
        if macro is not None:
            return macro
    raise KeyError(f"no duckdb__{macro_name} or default__{macro_name} macro")


def quote(identifier: str) -> str:
    return f'"{identifier}"'
