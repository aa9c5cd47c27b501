"""`newsrec-export`, `newsrec-leaderboard` and `newsrec-evaluate`."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ingestion import Layout

from research import leaderboard
from research.evaluate import SubmissionError, score_files
from research.export import FORMATS, ExportError, export
from research.warehouse import WarehouseError, connect


def export_main(argv: list[str] | None = None) -> int:
    """Write the warehouse's evaluation splits in MIND's format (one zip per release and split,
    as MIND ships them), as Parquet in the unified schema (one folder per publisher and split),
    or the baselines' rankings as MIND submissions."""
    parser = argparse.ArgumentParser(prog="newsrec-export", description=export_main.__doc__)
    parser.add_argument("--publisher", help="ebnerd, adressa or mind (default: all)")
    parser.add_argument("--split", help="train, validation or test (default: all)")
    parser.add_argument("--format", choices=FORMATS, default="mind", dest="fmt")
    parser.add_argument("--to", type=Path, help="default: $NEWSREC_DATA_DIR/exports")
    parser.add_argument(
        "--warehouse", type=Path, help="default: $NEWSREC_DATA_DIR/warehouse.duckdb"
    )
    args = parser.parse_args(argv)
    layout = Layout.from_env()
    try:
        written = export(
            (args.warehouse or layout.warehouse).resolve(),
            (args.to or layout.exports).resolve(),
            publisher=args.publisher,
            split=args.split,
            fmt=args.fmt,
        )
    except (WarehouseError, ExportError) as error:
        print(f"newsrec-export: {error}", file=sys.stderr)
        return 1
    unit = "candidates" if args.fmt == "parquet" else "impressions"
    for item in written:
        print(f"{item.path}  {item.rows:,} {unit}")
    return 0


def leaderboard_main(argv: list[str] | None = None) -> int:
    """Print the leaderboard of the baselines on every labeled split as a Markdown table."""
    parser = argparse.ArgumentParser(
        prog="newsrec-leaderboard", description=leaderboard_main.__doc__
    )
    parser.add_argument(
        "--warehouse", type=Path, help="default: $NEWSREC_DATA_DIR/warehouse.duckdb"
    )
    args = parser.parse_args(argv)
    warehouse = (args.warehouse or Layout.from_env().warehouse).resolve()
    try:
        with tempfile.TemporaryDirectory() as spill, connect(warehouse, Path(spill)) as con:
            print(leaderboard.markdown(con), end="")
    except WarehouseError as error:
        print(f"newsrec-leaderboard: {error}", file=sys.stderr)
        return 1
    return 0


def evaluate_main(argv: list[str] | None = None) -> int:
    """Score a submission in MIND's format (`impid [r1,r2,...]` per line) against a truth file
    (an exported behaviors.tsv or its zip, or evaluate.py's truth.txt) exactly as MIND's
    evaluate.py does: AUC, MRR, nDCG@5 and nDCG@10, averaged over impressions."""
    parser = argparse.ArgumentParser(prog="newsrec-evaluate", description=evaluate_main.__doc__)
    parser.add_argument("truth", type=Path, metavar="TRUTH")
    parser.add_argument("prediction", type=Path, metavar="PREDICTION")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        scores = score_files(args.truth, args.prediction)
    except SubmissionError as error:
        print(f"newsrec-evaluate: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(scores.to_dict(), indent=2))
        return 0
    print(f"AUC      {scores.auc:.6f}")
    print(f"MRR      {scores.mrr:.6f}")
    print(f"nDCG@5   {scores.ndcg_5:.6f}")
    print(f"nDCG@10  {scores.ndcg_10:.6f}")
    print(
        f"impressions scored {scores.impressions_scored:,}; skipped {scores.impressions_skipped:,}"
        " (no click, or every candidate clicked: AUC undefined); unlabeled "
        f"{scores.impressions_unlabeled:,}"
    )
    if scores.predictions_missing:
        print(
            f"the prediction ended early: {scores.predictions_missing:,} impressions scored as "
            "all ties (every rank 1), as evaluate.py does",
            file=sys.stderr,
        )
    return 0
