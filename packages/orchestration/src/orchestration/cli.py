"""`python -m orchestration <command>`: the headless entry points behind `make manifest`,
`make demo` and `make materialize`."""

from __future__ import annotations

import argparse

import dagster as dg
from ingestion import Layout


def manifest() -> int:
    from orchestration.dbt_project import prepare_manifest

    print(f"dbt manifest written to {prepare_manifest().manifest_path}")
    return 0


def demo(layout: Layout) -> int:
    """Materialise every asset and run every check in one run (after `manifest`)."""
    from orchestration.headless import materialize

    print(f"materialising the whole graph over {layout.data_dir}")
    summary = materialize(dg.AssetSelection.all(), layout)
    print(summary.render())
    return 0 if summary.ok else 1


def materialize_upstream(names: list[str], layout: Layout) -> int:
    """Materialise `+<asset>` for each name, checks included."""
    from orchestration.headless import materialize, upstream_of

    summary = materialize(upstream_of(names), layout)
    print(summary.render())
    return 0 if summary.ok else 1


def instance(layout: Layout) -> int:
    """Print this data directory's Dagster home, made ready (`make dev` runs the UI on it)."""
    from orchestration.instance import dagster_home

    print(dagster_home(layout))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("manifest", help="run `dbt parse` to write the manifest Dagster loads")
    commands.add_parser("demo", help="every asset and check in one run")
    commands.add_parser("instance", help="print the data directory's Dagster home (DAGSTER_HOME)")
    pick = commands.add_parser("materialize", help="materialise +ASSET (with its checks)")
    pick.add_argument("assets", nargs="+", metavar="ASSET", help="asset key, e.g. raw/mind")
    args = parser.parse_args(argv)
    # dbt, started by this process and its Dagster steps, reads the data directory from here
    layout = Layout.from_env()
    layout.export()
    if args.command == "manifest":
        return manifest()
    if args.command == "demo":
        return demo(layout)
    if args.command == "instance":
        return instance(layout)
    return materialize_upstream(args.assets, layout)
