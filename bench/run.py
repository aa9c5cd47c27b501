"""`make bench`: time every stage as its own process against the DuckDB-native floor.

Generates the sample (not timed), then runs each stage `--repeats` times, reporting the median wall
time and the peak resident memory of the stage's processes. Writes `<results>/latest.json` and
`<results>/scale-<S>.json`, and prints the same as a table.

Usage: python bench/run.py [--scale 100] [--repeats 3] [--work DIR] [--results DIR] [--stages a,b]

With `--stages`, the stages measured replace theirs in an existing `scale-<S>.json`; the others are
kept, so one stage can be re-measured after a change that touches only it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import duckdb
from ingestion import DATA_DIR_ENV, PUBLISHERS, Layout, lake_store
from sample import generate_sample, write_adressa_day
from transform import DBT_PROJECT_DIR

BENCH_DIR = Path(__file__).resolve().parent
PY = sys.executable
DBT = str(Path(PY).with_name("dbt"))
EXPORT = str(Path(PY).with_name("newsrec-export"))
SCORING = "benchmark_article_hours benchmark_adressa_pool_hours benchmark_baseline_scores+"
"""The models that score the baselines: clicks per article and hour (popularity), the Adressa
pools' hours, then the scores, ranks, per-impression metrics and the leaderboard."""
SPARK_LAKE = str(Path(PY).with_name("newsrec-spark-lake"))
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
T = TypeVar("T")
PUBLISH = """
import sys
from ingestion import Layout
from orchestration.warehouse import WarehouseBuild
build = WarehouseBuild(Layout.at(sys.argv[1]), "bench")
with build.writing(lambda run: False):
    pass
build.publish()
"""


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_rss_mb: float
    cpu_s: float


@dataclass(frozen=True)
class Stage:
    """What to prepare before each repeat (not timed), and the commands timed together."""

    prepare: Callable[[], None]
    commands: list[list[str]]
    # sum the resident memory of each command's whole process tree, sampled while it runs: a
    # child's peak RSS counts only its largest descendant, not a driver and its JVM together
    sample_tree: bool = False


def tree_rss_kb(roots: list[int]) -> int:
    """Resident memory of `roots` and all their descendants now (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            pages = int(Path(f"/proc/{entry.name}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        rss[int(entry.name)] = pages
    total, todo = 0, list(roots)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total * PAGE_KB


def run(commands: list[list[str]], env: dict[str, str], sample_tree: bool = False) -> Sample:
    """Start the commands together; wall time until all end, the sum of their peaks (each
    child's own peak RSS, including the descendants it waited for; with `sample_tree`, the
    largest sampled sum over their process trees when that is more) and of their CPU seconds
    (user + system: on a shared machine the figure that does not depend on the neighbours)."""
    started = time.monotonic()
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL) for c in commands]
    tree_peak_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak_kb
        while not done.wait(0.2):
            tree_peak_kb = max(tree_peak_kb, tree_rss_kb([p.pid for p in procs]))

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_tree:
        sampler.start()
    peak_kb = 0
    cpu = 0.0
    failed = []
    for proc, command in zip(procs, commands, strict=True):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb += usage.ru_maxrss
        cpu += usage.ru_utime + usage.ru_stime
        if proc.returncode:
            failed.append(" ".join(command))
    done.set()
    if sample_tree:
        sampler.join()
    if failed:
        raise SystemExit(f"stage command failed: {failed}")
    return Sample(time.monotonic() - started, max(peak_kb, tree_peak_kb) / 1024, cpu)


def in_child(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run untimed preparation in a fresh process. A child's peak RSS counts its parent's
    resident memory at the moment it was started (Linux records it at exec), so this process
    must stay small, or every stage after a large preparation would inherit its peak."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result()


class Bench:
    """The stages over one working data directory holding the generated sample."""

    def __init__(self, work: Path, scale: float) -> None:
        self.layout = Layout.from_env(work)
        self.scale = scale
        self.env = {
            **os.environ,
            DATA_DIR_ENV: str(self.layout.data_dir),
            "PYTHONWARNINGS": "ignore",
        }
        self.new_days = self.layout.raw_download("adressa") / "new-days"

    def ensure_sample(self) -> dict:
        """The sample at this scale, generated once and reused by later runs."""
        report = self.layout.sample_report
        if report.exists():
            existing = json.loads(report.read_text(encoding="utf-8"))
            if existing["scale"] == self.scale:
                return existing
        shutil.rmtree(self.layout.data_dir, ignore_errors=True)
        self.layout.data_dir.mkdir(parents=True)
        return in_child(generate_sample, self.layout, scale=self.scale, seed=0)

    def stages(self) -> dict[str, Stage]:
        project = str(DBT_PROJECT_DIR)
        stages = {
            f"ingest_{p}": Stage(lambda p=p: self.reset(p), self.ingest(p)) for p in PUBLISHERS
        }
        stages["ingest_total"] = Stage(lambda: self.reset(*PUBLISHERS), self.ingest(*PUBLISHERS))
        stages["floor_duckdb"] = Stage(
            lambda: None, [[PY, str(BENCH_DIR / "floor.py"), str(self.layout.data_dir)]]
        )
        stages["dbt_build"] = Stage(
            self.landed_lake_without_warehouse,
            [[DBT, "build", "--project-dir", project, "--profiles-dir", project, "--quiet"]],
        )
        # the same build on Spark (dbt-spark in session mode, local[*]): the lake's visible files
        # written for it, then `dbt build --target spark`; driver and JVM measured together. The
        # profile's 2 GB driver runs out of heap on the leaderboard's self-join at scale 100
        spark_build = (
            f"{shlex.quote(SPARK_LAKE)} >/dev/null && NEWSREC_SPARK_DRIVER_MEMORY=6g "
            f"{shlex.quote(DBT)} build --target spark "
            f"--project-dir {shlex.quote(project)} --profiles-dir {shlex.quote(project)} --quiet"
        )
        stages["dbt_build_spark"] = Stage(
            self.landed_lake_without_spark_warehouse, [["sh", "-c", spark_build]], sample_tree=True
        )
        stages["end_to_end"] = Stage(
            lambda: self.reset(*PUBLISHERS, warehouse=True),
            [[PY, "-m", "orchestration", "demo"]],
        )
        # copying the published warehouse into a run's build, checkpointing it and publishing it
        # back by a rename: what a Dagster run pays so that readers never wait (after end_to_end,
        # which leaves a published warehouse)
        stages["warehouse_publish"] = Stage(
            self.published_warehouse,
            [[PY, "-c", PUBLISH, str(self.layout.data_dir)]],
        )
        # over that published warehouse: every split in MIND's format, and the baselines scored
        # again in full (the popularity counts, scores, ranks, metrics and leaderboard, with their
        # tests; incrementally, an unchanged lake would rebuild nothing)
        stages["export_mind_format"] = Stage(
            self.published_warehouse_without_exports,
            [[EXPORT, "--format", "mind", "--to", str(self.layout.exports)]],
        )
        stages["score_baselines"] = Stage(
            self.published_warehouse,
            [
                [
                    DBT,
                    "build",
                    "--project-dir",
                    project,
                    "--profiles-dir",
                    project,
                    "--quiet",
                    "--full-refresh",
                    "--select",
                    *SCORING.split(),
                ]
            ],
        )
        stages["import_defs"] = Stage(
            lambda: None,
            [[PY, "-c", "from orchestration.definitions import defs; defs()"]],
        )
        # last: it leaves the extra day in the landing zone until the next reset
        stages["ingest_adressa_add_day"] = Stage(self.one_more_adressa_day, self.ingest("adressa"))
        return stages

    def ingest(self, *publishers: str) -> list[list[str]]:
        """One `newsrec-ingest` process per publisher, as Dagster runs the raw assets."""
        return [
            [PY, "-m", "ingestion.cli", p, "--data-dir", str(self.layout.data_dir)]
            for p in publishers
        ]

    def reset(self, *publishers: str, warehouse: bool = False) -> None:
        """Forget what was landed (the downloads stay), so the next load is a full one."""
        for publisher in publishers:
            lake_store(self.layout).remove_dataset(publisher)
            shutil.rmtree(self.layout.dlt_pipelines / f"newsrec_{publisher}", ignore_errors=True)
        if "adressa" in publishers:
            shutil.rmtree(self.new_days, ignore_errors=True)
        if warehouse:
            self.layout.warehouse.unlink(missing_ok=True)

    def published_warehouse(self) -> None:
        if not self.layout.warehouse.exists():
            run([[PY, "-m", "orchestration", "demo"]], self.env)

    def published_warehouse_without_exports(self) -> None:
        self.published_warehouse()
        shutil.rmtree(self.layout.exports, ignore_errors=True)

    def landed_lake_without_warehouse(self) -> None:
        self.layout.warehouse.unlink(missing_ok=True)
        if not all(lake_store(self.layout).has_dataset(p) for p in PUBLISHERS):
            self.reset(*PUBLISHERS)
            run(self.ingest(*PUBLISHERS), self.env)

    def landed_lake_without_spark_warehouse(self) -> None:
        shutil.rmtree(self.layout.spark, ignore_errors=True)
        if not all(lake_store(self.layout).has_dataset(p) for p in PUBLISHERS):
            self.reset(*PUBLISHERS)
            run(self.ingest(*PUBLISHERS), self.env)

    def one_more_adressa_day(self) -> None:
        """A full 7-day load, then the day after the last one dropped in as a loose file."""
        self.reset("adressa")
        run(self.ingest("adressa"), self.env)
        report = json.loads(self.layout.sample_report.read_text(encoding="utf-8"))
        next_day = datetime.fromisoformat(report["end"]).date() + timedelta(days=1)
        self.new_days.mkdir(parents=True)
        in_child(write_adressa_day, self.new_days, next_day, self.scale, seed=0)

    def warehouse_mb(self) -> float | None:
        """The published warehouse's size: a run's build needs as much again while it runs."""
        path = self.layout.warehouse
        return round(path.stat().st_size / 2**20, 1) if path.exists() else None

    def rows(self) -> dict[str, int]:
        path = self.layout.warehouse
        if not path.exists():
            return {}
        with duckdb.connect(str(path), read_only=True) as con:
            found = con.execute(
                "select table_schema from information_schema.tables "
                "where table_name = 'stg_unified_impressions'"
            ).fetchall()
            if not found:
                return {}
            count = con.execute(
                f"select count(*) from {found[0][0]}.stg_unified_impressions"
            ).fetchall()[0][0]
        return {"stg_unified_impressions": count}


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def ratio(medians: dict[str, float], numerator: str, denominator: str) -> float | None:
    if numerator in medians and medians.get(denominator):
        return round(medians[numerator] / medians[denominator], 2)
    return None


def table(result: dict) -> str:
    lines = [f"scale {result['scale']}, median of {result['repeats']}, {result['machine']}"]
    lines.append(f"{'stage':<24} {'median s':>9} {'CPU s':>9} {'peak MB':>9}")
    cpu = result.get("median_cpu_s", {})
    for name, seconds in result["median_s"].items():
        cpu_s = f"{cpu[name]:>9.2f}" if name in cpu else f"{'':>9}"
        lines.append(f"{name:<24} {seconds:>9.2f} {cpu_s} {result['peak_rss_mb'][name]:>9.0f}")
    for key in (
        "ratio_ingest_to_floor",
        "ratio_add_day_to_full",
        "ratio_scoring_to_dbt_build",
        "ratio_spark_to_duckdb_build",
    ):
        lines.append(f"{key:<24} {result[key]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="default: bench/work/scale-<S>")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--stages", default="", help="comma-separated subset of the stages")
    args = parser.parse_args(argv)
    scale = int(args.scale) if float(args.scale).is_integer() else args.scale
    bench = Bench((args.work or BENCH_DIR / "work" / f"scale-{scale}").resolve(), scale)
    bench.ensure_sample()
    # parsed with the stages' environment, as `make demo` does: dbt reparses the whole project
    # when the profile's env_var values differ from the ones the manifest was parsed with
    subprocess.run([PY, "-m", "orchestration", "manifest"], env=bench.env, check=True)
    wanted = [s for s in args.stages.split(",") if s]
    medians: dict[str, float] = {}
    cpus: dict[str, float] = {}
    peaks: dict[str, float] = {}
    for name, stage in bench.stages().items():
        if wanted and name not in wanted:
            continue
        samples = []
        for _ in range(args.repeats):
            stage.prepare()
            samples.append(run(stage.commands, bench.env, stage.sample_tree))
        medians[name] = round(statistics.median(s.seconds for s in samples), 3)
        cpus[name] = round(statistics.median(s.cpu_s for s in samples), 3)
        peaks[name] = round(max(s.peak_rss_mb for s in samples), 1)
        print(
            f"{name:<24} {medians[name]:>9.2f} s {cpus[name]:>9.2f} CPU s {peaks[name]:>9.0f} MB",
            flush=True,
        )
    previous = args.results / f"scale-{scale}.json"
    if wanted and previous.exists():
        # a subset re-measured: it replaces those stages in this scale's results, the rest stay
        kept = json.loads(previous.read_text(encoding="utf-8"))
        medians = {**kept["median_s"], **medians}
        cpus = {**kept.get("median_cpu_s", {}), **cpus}
        peaks = {**kept["peak_rss_mb"], **peaks}
    result = {
        "scale": scale,
        "repeats": args.repeats,
        "date": date.today().isoformat(),
        "median_s": medians,
        "median_cpu_s": cpus,
        "peak_rss_mb": peaks,
        "rows": bench.rows(),
        "warehouse_mb": bench.warehouse_mb(),
        "ratio_ingest_to_floor": ratio(medians, "ingest_total", "floor_duckdb"),
        "ratio_add_day_to_full": ratio(medians, "ingest_adressa_add_day", "ingest_adressa"),
        "ratio_scoring_to_dbt_build": ratio(medians, "score_baselines", "dbt_build"),
        "ratio_spark_to_duckdb_build": ratio(medians, "dbt_build_spark", "dbt_build"),
        "machine": machine(),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2) + "\n"
    (args.results / "latest.json").write_text(text, encoding="utf-8")
    (args.results / f"scale-{scale}.json").write_text(text, encoding="utf-8")
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
