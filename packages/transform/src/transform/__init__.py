"""Where the dbt project lives, for orchestration and for running dbt by hand."""

from pathlib import Path

from transform.spark_lake import write_spark_lake

DBT_PROJECT_DIR = Path(__file__).resolve().parent / "dbt"

__all__ = ["DBT_PROJECT_DIR", "write_spark_lake"]
