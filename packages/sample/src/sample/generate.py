"""Generate all three publishers' downloads and the report of what a correct warehouse shows.

The work is split into independent tasks (one per MIND split, EB-NeRD zip and Adressa day) run
on a process pool, largest first. Every task is a pure function of (scale, seed, end), so the
files are byte-identical whatever the number of workers or the order the tasks finish in.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from datetime import datetime
from typing import Any

import duckdb
from ingestion import PUBLISHERS, Layout

from sample import adressa, ebnerd, mind
from sample.archives import TarMember
from sample.clock import resolve_end
from sample.counts import Tally, as_report, merge


class _Inline(Executor):
    """Runs each task on submit; used for a single worker, where a pool only adds start-up."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def generate_sample(
    layout: Layout,
    scale: float = 1,
    seed: int = 0,
    end: datetime | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Write the three publishers' landing folders and the sample report; return the
    report. `workers` defaults to the number of cores; `progress(done, total)` hears of each
    file (or Adressa day) as it is written."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    end = resolve_end(end)
    folders = {p: layout.raw_download(p) for p in PUBLISHERS}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    pool: Executor = (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        if workers > 1
        else _Inline()
    )
    with pool:
        days = {
            day: pool.submit(adressa.archive_member, folders["adressa"], day, scale, seed, end)
            for day in adressa.days(end)
        }
        files: dict[str, Future] = {
            mind.FILES["train"]: pool.submit(
                mind.write_split, folders["mind"], "train", scale, seed, end
            ),
            ebnerd.SMALL: pool.submit(ebnerd.write_small, folders["ebnerd"], scale, seed, end),
            mind.FILES["dev"]: pool.submit(
                mind.write_split, folders["mind"], "dev", scale, seed, end
            ),
            ebnerd.TESTSET: pool.submit(ebnerd.write_testset, folders["ebnerd"], scale, seed, end),
            mind.FILES["test"]: pool.submit(
                mind.write_split, folders["mind"], "test", scale, seed, end
            ),
        }
        total = len(days) + len(files) + 1  # and the Adressa archive of the days
        for done, _ in enumerate(as_completed([*days.values(), *files.values()]), start=1):
            if progress:
                progress(done, total)
        members: list[TarMember] = []
        adressa_tallies: list[Tally] = []
        for future in days.values():
            member, tally = future.result()
            members.append(member)
            adressa_tallies.append(tally)
        adressa.write_archive(folders["adressa"], members, end)
        if progress:
            progress(total, total)
        tallies = {
            "ebnerd": merge(files[name].result() for name in ebnerd.FILES),
            "adressa": merge(adressa_tallies),
            "mind": merge(files[mind.FILES[split]].result() for split in mind.SPLITS),
        }
    report = {
        "scale": int(scale) if float(scale).is_integer() else scale,
        "seed": seed,
        "end": end.isoformat(),
        "files": {
            "ebnerd": list(ebnerd.FILES),
            "adressa": [adressa.ARCHIVE],
            "mind": [mind.FILES[split] for split in mind.SPLITS],
        },
        "publishers": {p: as_report(tallies[p]) for p in PUBLISHERS},
        "bad_lines": {p: tallies[p].bad_lines for p in PUBLISHERS},
        "generator": {"duckdb": duckdb.__version__},
    }
    layout.sample_report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
