"""`python -m orchestration <command>`: the headless entry points behind `make manifest`,
`make demo` and `make materialize`."""

from __future__ import annotations

import argparse
import json
import os

import dagster as dg
from ingestion.config import data_dir

from orchestration.settings import FRESHNESS_AS_OF_ENV


def manifest() -> int:
    from orchestration.dbt_project import prepare_manifest

    print(f"dbt manifest written to {prepare_manifest().manifest_path}")
    return 0


def demo() -> int:
    """Materialise every asset and run every check in one run (after `manifest`)."""
    from orchestration.headless import materialize

    _sample_as_of()
    print(f"materialising the whole graph over {data_dir()}")
    summary = materialize(dg.AssetSelection.all())
    print(summary.render())
    return 0 if summary.ok else 1


def materialize_upstream(names: list[str]) -> int:
    """Materialise `+<asset>` for each name, checks included."""
    from orchestration.headless import materialize, upstream_of

    summary = materialize(upstream_of(names))
    print(summary.render())
    return 0 if summary.ok else 1


def _sample_as_of() -> None:
    """Generated sample data is a snapshot as of the generator's `end`; judge its freshness
    from there, so the demo stays green on a sample generated days ago. An explicit
    $NEWSREC_FRESHNESS_AS_OF wins."""
    report = data_dir() / "sample-report.json"
    if os.environ.get(FRESHNESS_AS_OF_ENV) or not report.exists():
        return
    end = json.loads(report.read_text(encoding="utf-8"))["end"]
    os.environ[FRESHNESS_AS_OF_ENV] = end
    print(f"sample data: checking freshness as of {end} ({report.name})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("manifest", help="run `dbt parse` to write the manifest Dagster loads")
    commands.add_parser("demo", help="every asset and check in one run")
    pick = commands.add_parser("materialize", help="materialise +ASSET (with its checks)")
    pick.add_argument("assets", nargs="+", metavar="ASSET", help="asset key, e.g. raw/mind")
    args = parser.parse_args(argv)
    if args.command == "manifest":
        return manifest()
    if args.command == "demo":
        return demo()
    return materialize_upstream(args.assets)
