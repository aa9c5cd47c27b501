"""dbt-duckdb plugin: every connection dbt opens gets the lake's visibility macros from the
ingestion package, the one place the rule is written (`ingestion.install_lake_rules`).

profiles.yml: `plugins: [{module: transform.lake_plugin, config: {data_dir: ...}}]`. The macros
are created in the warehouse's `main` schema, so the staging views over them keep working for
anyone who opens `warehouse.duckdb` (and, for a lake on object storage, `$NEWSREC_LAKE_URL`,
registers its filesystem first: `ingestion.register_lake`).
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from ingestion import Layout, install_lake_rules


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        if not plugin_config.get("data_dir"):
            raise ValueError("transform.lake_plugin needs `data_dir` in its profile config")
        self.layout = Layout.from_env(plugin_config["data_dir"])

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        install_lake_rules(conn, self.layout)
