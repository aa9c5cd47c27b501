"""`make bench` at scale 1, once per stage: every stage runs and the results file is complete.
No timing is asserted: speed is judged by the benchmark itself, on a quiet machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ingestion import Layout

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"
STAGES = (
    "ingest_total",
    "ingest_mind",
    "ingest_ebnerd",
    "ingest_adressa",
    "floor_duckdb",
    "dbt_build",
    "dbt_build_spark",
    "end_to_end",
    "warehouse_publish",
    "export_mind_format",
    "score_baselines",
    "import_defs",
    "ingest_adressa_add_day",
)


def bench(tmp_path: Path, *args: str) -> None:
    subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--scale",
            "1",
            "--repeats",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--results",
            str(tmp_path / "results"),
            *args,
        ],
        check=True,
    )


def test_every_stage_runs_and_is_reported(tmp_path: Path) -> None:
    results = tmp_path / "results"
    bench(tmp_path)
    report = json.loads((results / "scale-1.json").read_text(encoding="utf-8"))
    assert report == json.loads((results / "latest.json").read_text(encoding="utf-8"))
    assert report["scale"] == 1
    for key in ("median_s", "peak_rss_mb"):
        assert set(report[key]) == set(STAGES)
        assert all(value > 0 for value in report[key].values())
    sample = json.loads(Layout.at(tmp_path / "work").sample_report.read_text(encoding="utf-8"))
    expected = sum(p["candidates"] for p in sample["publishers"].values())
    assert report["rows"] == {"stg_unified_impressions": expected}
    assert report["ratio_ingest_to_floor"] > 0
    assert report["ratio_add_day_to_full"] > 0
    assert report["ratio_scoring_to_dbt_build"] > 0
    assert list((tmp_path / "work" / "exports" / "mind").glob("*.zip"))
    assert report["ratio_spark_to_duckdb_build"] > 0
    assert report["warehouse_mb"] > 0
    assert report["machine"]

    # one stage re-measured replaces only its own figures
    bench(tmp_path, "--stages", "import_defs")
    again = json.loads((results / "scale-1.json").read_text(encoding="utf-8"))
    assert list(again["median_s"]) == list(report["median_s"])
    unchanged = [name for name in STAGES if name != "import_defs"]
    assert [again["median_s"][n] for n in unchanged] == [report["median_s"][n] for n in unchanged]
    assert again["ratio_ingest_to_floor"] == report["ratio_ingest_to_floor"]
