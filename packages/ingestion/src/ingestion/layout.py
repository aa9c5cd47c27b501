"""Where everything lives under the data directory: the one definition every package uses.

`Layout.from_env()` reads `$NEWSREC_DATA_DIR` when it is called (never at import); unset, the data
directory is the repository's `data/` folder, wherever the command was started from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "NEWSREC_DATA_DIR"
# what marks the repository root: the workspace's lock file next to its packages
_REPOSITORY_MARKERS = ("uv.lock", "packages")


class DataDirError(RuntimeError):
    """The data directory cannot be found; the message says what to set."""


@dataclass(frozen=True)
class Layout:
    """The paths of one data directory. Every path is absolute."""

    data_dir: Path

    @classmethod
    def at(cls, data_dir: str | os.PathLike[str]) -> Layout:
        return cls(Path(data_dir).expanduser().resolve())

    @classmethod
    def from_env(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Layout:
        """`data_dir` when given (a command's `--data-dir`), else `$NEWSREC_DATA_DIR` (relative
        to the current directory if relative), else the repository's `data/`."""
        if data_dir:
            return cls.at(data_dir)
        value = (os.environ if environ is None else environ).get(DATA_DIR_ENV, "").strip()
        return cls.at(value) if value else cls(default_data_dir())

    def export(self) -> None:
        """Set `$NEWSREC_DATA_DIR` for the processes this one starts (dbt, Dagster steps), so
        they resolve the same directory."""
        os.environ[DATA_DIR_ENV] = str(self.data_dir)

    @property
    def raw_download_root(self) -> Path:
        """The landing zone: one folder per publisher."""
        return self.data_dir / "raw-download"

    def raw_download(self, publisher: str) -> Path:
        return self.raw_download_root / publisher

    @property
    def lake(self) -> Path:
        """The Parquet lake: one dlt dataset per publisher."""
        return self.data_dir / "lake"

    def lake_dataset(self, publisher: str) -> Path:
        return self.lake / dataset_name(publisher)

    @property
    def dlt_pipelines(self) -> Path:
        """dlt's working folders (one per pipeline); disposable between runs."""
        return self.data_dir / ".dlt" / "pipelines"

    @property
    def warehouse(self) -> Path:
        """The published warehouse: what readers open (read-only). Builds go elsewhere and
        replace it whole, by an atomic rename."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def warehouse_builds(self) -> Path:
        """One folder per run that builds the warehouse: a private copy it writes, published
        when the run's last dbt step ends."""
        return self.data_dir / ".build"

    @property
    def warehouse_build_link(self) -> Path:
        """`.build/current`: points to the build folder of the dbt step that runs now; dbt's
        `build` target writes `current/warehouse.duckdb`."""
        return self.warehouse_builds / "current"

    @property
    def warehouse_spill(self) -> Path:
        """Where DuckDB spills joins and sorts beyond its memory limit."""
        return self.data_dir / "warehouse.duckdb.tmp"

    @property
    def spark(self) -> Path:
        """dbt's `spark` target: Spark's warehouse and metastore, and the lake's visible files
        as Spark reads them (`transform.spark_lake`)."""
        return self.data_dir / "spark"

    @property
    def dbt_target(self) -> Path:
        """dbt's artefacts of runs over this data directory (not the project's manifest)."""
        return self.data_dir / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.data_dir / "dbt" / "logs"

    @property
    def reports(self) -> Path:
        """The editorial report: HTML pages and chart images."""
        return self.data_dir / "reports"

    @property
    def exports(self) -> Path:
        """Exports for researchers (MIND format, Parquet)."""
        return self.data_dir / "exports"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance of this data directory: runs, schedules, sensor cursors."""
        return self.data_dir / ".dagster"

    @property
    def sample_report(self) -> Path:
        """What the sample generator wrote and what a correct warehouse shows for it."""
        return self.data_dir / "sample-report.json"


def dataset_name(publisher: str) -> str:
    """The dlt dataset (and lake folder) of a publisher: `raw_<publisher>`."""
    return f"raw_{publisher}"


def default_data_dir() -> Path:
    """The repository's `data/`: found by walking up from this package to the workspace root."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        if all((folder / marker).exists() for marker in _REPOSITORY_MARKERS):
            return folder / "data"
    raise DataDirError(
        f"{DATA_DIR_ENV} is not set and {here} is not inside the newsrec-lakehouse repository: "
        f"set {DATA_DIR_ENV} to the data directory"
    )
