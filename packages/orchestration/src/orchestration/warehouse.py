"""The warehouse beside its users. Readers open the published `warehouse.duckdb` read-only and
never wait; a run builds a private copy under `.build/<run id>/` and publishes it by an atomic
rename when its last dbt step ends. A reader keeps the build it opened (the old file lives on
until it closes); a killed build leaves readers on the previous published one, and the next run
starts from that again.

dbt steps of different runs take turns (a file lock, and the `duckdb_warehouse` pool in the
instance settings): each points `.build/current` — the path dbt's `build` target writes — to its
own run's folder before dbt starts."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout
from ingestion import Layout, register_lake

# every step that builds or reads the warehouse runs in this pool (instance.yaml limits it to 1)
WAREHOUSE_POOL = "duckdb_warehouse"
DATABASE_FILE = "warehouse.duckdb"
log = logging.getLogger(__name__)


class WarehouseMissingError(FileNotFoundError):
    """Nothing to read: no build has been published yet."""


@contextmanager
def spark_tables(spark: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Spark's build read through the Parquet it wrote: an in-memory DuckDB connection, in UTC,
    with a view `<schema>.<table>` over each managed table of Spark's warehouse
    (`<spark>/warehouse/<schema>.db/<table>/`). dbt's views are Spark's own, not files: they are
    not there."""
    root = spark / "warehouse"
    if not root.exists():
        raise WarehouseMissingError(f"{root} does not exist: build the dbt models on Spark first")
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        for schema in sorted(root.glob("*.db")):
            name = _identifier(schema.name.removesuffix(".db"))
            con.execute(f"create schema if not exists {name}")
            for table in sorted(schema.iterdir()):
                if any(table.glob("*.parquet")):
                    files = _literal(f"{table.as_posix()}/*.parquet")
                    con.execute(
                        f"create view {name}.{_identifier(table.name)} as "
                        f"select * from read_parquet({files})"
                    )
        yield con
    finally:
        con.close()


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, in UTC so timestamps compare as stored, able to read the lake (the
    staging views do). Never takes a writer's lock: readers of the published file and of a build
    both use it."""
    if not path.exists():
        raise WarehouseMissingError(f"{path} does not exist: build the dbt models first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        register_lake(con)
        con.execute("set TimeZone = 'UTC'")
        yield con
    finally:
        con.close()


class WarehouseBuild:
    """One run's private copy of the warehouse."""

    def __init__(self, layout: Layout, run_id: str) -> None:
        self.layout = layout
        self.folder = layout.warehouse_builds / run_id
        self.path = self.folder / DATABASE_FILE

    @property
    def current(self) -> Path:
        """What this run's steps read: its build while it has one, else the published file."""
        return self.path if self.path.exists() else self.layout.warehouse

    @contextmanager
    def writing(
        self,
        active: Callable[[str], bool],
        logger: logging.Logger | logging.LoggerAdapter = log,
    ) -> Iterator[Path]:
        """Hold the build turn, start the run's copy from the published warehouse if it has
        none yet, and point `.build/current` at it while dbt writes. Folders of other runs that
        are no longer `active` (finished, failed, killed) are removed first."""
        self.layout.warehouse_builds.mkdir(parents=True, exist_ok=True)
        turn = FileLock(self.layout.warehouse_builds / ".lock")
        try:
            turn.acquire(timeout=0)
        except Timeout:
            logger.info("waiting for another run's warehouse build to finish")
            turn.acquire()
        try:
            self._remove_abandoned(active)
            if not self.path.exists():
                self._start_from_published()
            _point(self.layout.warehouse_build_link, self.folder)
            yield self.path
        finally:
            turn.release()

    def publish(self) -> Path:
        """Make this build the warehouse readers see: checkpointed into one file, then renamed
        over the published one (atomic: a reader sees the old build or the new, never a mix)."""
        with duckdb.connect(str(self.path)) as con:
            con.execute("checkpoint")
        os.replace(self.path, self.layout.warehouse)
        _fsync_folder(self.layout.warehouse.parent)
        shutil.rmtree(self.folder, ignore_errors=True)
        return self.layout.warehouse

    def _remove_abandoned(self, active: Callable[[str], bool]) -> None:
        for folder in self.layout.warehouse_builds.iterdir():
            abandoned = folder != self.folder and not folder.name.startswith(".")
            if (
                abandoned
                and folder.is_dir()
                and not folder.is_symlink()
                and not active(folder.name)
            ):
                shutil.rmtree(folder, ignore_errors=True)

    def _start_from_published(self) -> None:
        """A fresh folder holding a copy of the published warehouse (none before the first
        publish): leftovers of a killed attempt, its write-ahead log included, are dropped."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        if self.layout.warehouse.exists():
            partial = self.folder / f".{DATABASE_FILE}.copying"
            shutil.copyfile(self.layout.warehouse, partial)
            os.replace(partial, self.path)


def _point(link: Path, folder: Path) -> None:
    """Re-point a symbolic link atomically (a new link renamed over the old)."""
    staged = link.with_name(f".{link.name}.{os.getpid()}")
    staged.unlink(missing_ok=True)
    staged.symlink_to(folder.name, target_is_directory=True)
    os.replace(staged, link)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
