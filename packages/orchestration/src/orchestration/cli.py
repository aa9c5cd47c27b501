"""`python -m orchestration <command>`: the headless entry points behind `make manifest`,
`make demo`, `make materialize`, `make assets` and `make docs`.

Exit codes: 0 done, 1 the run failed (an asset not materialised or a check failed), 2 a usage or
setup error (unknown asset, no data directory, nothing to ingest, no manifest, no warehouse for
the docs), said in one line.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import dagster as dg
from ingestion import PUBLISHERS, DataDirError, Layout, NothingToIngestError, require_input

from orchestration.dbt_project import ManifestMissingError
from orchestration.docs import DocsError

if TYPE_CHECKING:
    from orchestration.headless import RunSummary

PROG = "python -m orchestration"


class UnknownAssetError(LookupError):
    """An asset key the code location does not define; the message lists close matches."""


def manifest() -> int:
    from ingestion import display

    from orchestration.dbt_project import prepare_manifest

    with display() as shown:
        shown.start("parse", "dbt parse")
        project = prepare_manifest()
        shown.finish("parse", "dbt parse: done")
    print(f"dbt manifest written to {project.manifest_path}")
    return 0


def asset_keys() -> list[str]:
    """Every asset key of the code location, as `make materialize SELECT=` takes them."""
    from orchestration.headless import load_definitions

    graph = load_definitions().resolve_asset_graph()
    return sorted(key.to_user_string() for key in graph.get_all_asset_keys())


def list_assets() -> int:
    from orchestration.headless import LAYERS, load_definitions

    graph = load_definitions().resolve_asset_graph()
    by_group: dict[str, list[str]] = {}
    for key in graph.get_all_asset_keys():
        by_group.setdefault(graph.get(key).group_name or "other", []).append(key.to_user_string())
    for group in sorted(by_group, key=lambda g: LAYERS.index(g) if g in LAYERS else len(LAYERS)):
        print(f"{group}:")
        for name in sorted(by_group[group]):
            print(f"  {name}")
    return 0


def check_assets(names: Sequence[str], known: Sequence[str]) -> None:
    """Raise `UnknownAssetError` for the first name that is not an asset key."""
    for name in names:
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UnknownAssetError(
            f"unknown asset {name!r}{hint} (`make assets` or `{PROG} assets` lists them all)"
        )


def demo(layout: Layout) -> int:
    """Materialise every asset and run every check in one run (after `manifest`), every table
    rebuilt in full."""
    from orchestration.defs.assets.dbt import FULL_REFRESH_TAG
    from orchestration.headless import materialize

    require_input(layout, PUBLISHERS)
    print(f"materialising the whole graph over {layout.data_dir}", file=sys.stderr)
    full = {FULL_REFRESH_TAG: "true"}
    return _report(materialize(dg.AssetSelection.all(), layout, tags=full))


def materialize_upstream(names: list[str], layout: Layout) -> int:
    """Materialise `+<asset>` for each name, checks included."""
    from orchestration.headless import materialize, upstream_of

    check_assets(names, asset_keys())
    require_input(layout, PUBLISHERS)
    return _report(materialize(upstream_of(names), layout))


def docs(layout: Layout, port: int, serve: bool) -> int:
    """Generate the dbt docs for this data directory, then serve them on 127.0.0.1."""
    from orchestration import docs as dbt_docs

    site = dbt_docs.generate(layout)
    print(f"dbt docs generated in {site}", file=sys.stderr)
    if serve:
        dbt_docs.serve(layout, port)
    return 0


def _report(summary: RunSummary) -> int:
    print(summary.render(styled=sys.stdout.isatty()))
    return 0 if summary.ok else 1


def instance(layout: Layout) -> int:
    """Print this data directory's Dagster home, made ready (`make dev` runs the UI on it)."""
    from orchestration.instance import dagster_home

    print(dagster_home(layout))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("manifest", help="run `dbt parse` to write the manifest Dagster loads")
    commands.add_parser("assets", help="list every asset key, by group")
    commands.add_parser("demo", help="every asset and check in one run")
    commands.add_parser("instance", help="print the data directory's Dagster home (DAGSTER_HOME)")
    pick = commands.add_parser("materialize", help="materialise +ASSET (with its checks)")
    pick.add_argument("assets", nargs="+", metavar="ASSET", help="asset key, e.g. raw/mind")
    site = commands.add_parser("docs", help="generate the dbt docs and serve them on 127.0.0.1")
    site.add_argument("--port", type=int, default=8080, help="default 8080")
    site.add_argument("--no-serve", action="store_true", help="generate only")
    args = parser.parse_args(argv)
    try:
        # dbt, started by this process and its Dagster steps, reads the data directory from here
        layout = Layout.from_env()
        layout.export()
        if args.command == "manifest":
            return manifest()
        if args.command == "assets":
            return list_assets()
        if args.command == "demo":
            return demo(layout)
        if args.command == "instance":
            return instance(layout)
        if args.command == "docs":
            return docs(layout, args.port, not args.no_serve)
        return materialize_upstream(args.assets, layout)
    except (
        UnknownAssetError,
        DataDirError,
        NothingToIngestError,
        ManifestMissingError,
        DocsError,
    ) as error:
        print(f"{PROG} {args.command}: {error}", file=sys.stderr)
        return 2
