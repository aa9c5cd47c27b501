"""Where everything lives under the data directory: the one definition every package uses.

`Layout.from_env()` reads `$NEWSREC_DATA_DIR` when it is called (never at import); unset, the data
directory is the repository's `data/` folder, wherever the command was started from. The lake is
the data directory's `lake/` folder unless `$NEWSREC_LAKE_URL` puts it on object storage
(`s3://bucket/lake`); everything else, the publishers' locks included, stays in the data directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "NEWSREC_DATA_DIR"
LAKE_URL_ENV = "NEWSREC_LAKE_URL"
# what marks the repository root: the workspace's lock file next to its packages
_REPOSITORY_MARKERS = ("uv.lock", "packages")


class DataDirError(RuntimeError):
    """The data directory cannot be found; the message says what to set."""


@dataclass(frozen=True)
class Layout:
    """The paths of one data directory. Every path is absolute."""

    data_dir: Path
    lake_url: str = ""
    """Where the lake is when it is not the local `lake/` folder: an fsspec URL (`s3://bucket/lake`,
    no trailing slash). Empty: the local folder."""

    @classmethod
    def at(cls, data_dir: str | os.PathLike[str], lake_url: str = "") -> Layout:
        return cls(Path(data_dir).expanduser().resolve(), lake_url.strip().rstrip("/"))

    @classmethod
    def from_env(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Layout:
        """`data_dir` when given (a command's `--data-dir`), else `$NEWSREC_DATA_DIR` (relative
        to the current directory if relative), else the repository's `data/`; the lake at
        `$NEWSREC_LAKE_URL` when set. Every process of a run (dbt, Dagster steps) inherits both
        variables, so each resolves the same directory and lake."""
        environ = os.environ if environ is None else environ
        value = data_dir or environ.get(DATA_DIR_ENV, "").strip() or default_data_dir()
        return cls.at(value, environ.get(LAKE_URL_ENV, ""))

    def export(self) -> None:
        """Set `$NEWSREC_DATA_DIR` (and `$NEWSREC_LAKE_URL`) for the processes this one starts
        (dbt, Dagster steps), so they resolve the same directory and lake."""
        os.environ[DATA_DIR_ENV] = str(self.data_dir)
        if self.lake_url:
            os.environ[LAKE_URL_ENV] = self.lake_url
        else:
            os.environ.pop(LAKE_URL_ENV, None)

    @property
    def raw_download_root(self) -> Path:
        """The landing zone: one folder per publisher."""
        return self.data_dir / "raw-download"

    def raw_download(self, publisher: str) -> Path:
        return self.raw_download_root / publisher

    @property
    def lake(self) -> Path:
        """The local lake folder: the Parquet lake (one dlt dataset per publisher) unless
        `lake_url` names another, and the publishers' locks in any case. Lake files are reached
        only through `ingestion.lake.store.lake_store`, which knows where the lake is."""
        return self.data_dir / "lake"

    @property
    def lake_root(self) -> str:
        """The lake as its readers name it: `lake_url`, or the local folder's path."""
        return self.lake_url or self.lake.as_posix()

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
