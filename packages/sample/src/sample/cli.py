"""`newsrec-sample`: write sample downloads into the data directory and say what was written."""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

from ingestion import Layout, display

from sample.generate import generate_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsrec-sample", description=__doc__)
    parser.add_argument(
        "--scale", type=float, default=1, help="1 for tests, 100 ≈ the real small releases"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--end",
        type=datetime.fromisoformat,
        default=None,
        help="newest timestamp, ISO-8601 (UTC if no offset); default: now, truncated to the hour",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="default: $NEWSREC_DATA_DIR, else the repository's data/",
    )
    args = parser.parse_args(argv)
    layout = Layout.from_env(args.data_dir)
    started = time.monotonic()
    with display(unit="steps") as shown:
        shown.start("sample", f"sample scale {args.scale:g}: writing")

        def written(done: int, total: int) -> None:
            shown.update("sample", done, total)

        report = generate_sample(
            layout, scale=args.scale, seed=args.seed, end=args.end, progress=written
        )
        files = sum(len(names) for names in report["files"].values())
        shown.finish("sample", f"sample scale {args.scale:g}: {files} files written")
    seconds = time.monotonic() - started
    print(
        f"sample scale {report['scale']}, seed {report['seed']}, end {report['end']} "
        f"in {layout.data_dir}"
    )
    for publisher, counts in report["publishers"].items():
        folder = layout.raw_download(publisher)
        size = sum((folder / name).stat().st_size for name in report["files"][publisher])
        summary = ", ".join(f"{value:,} {key}" for key, value in counts.items())
        print(f"  {publisher:<8} {size / 2**20:8.1f} MiB  {', '.join(report['files'][publisher])}")
        print(f"  {'':<8} {summary}")
    print(f"report: {layout.sample_report} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
