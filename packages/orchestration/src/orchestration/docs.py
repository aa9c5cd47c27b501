"""`make docs`: the dbt project's documentation (models, columns, tests, lineage, and the
warehouse's catalogue of types and sizes) generated for this data directory and served on
127.0.0.1 only.

`dbt docs generate` reads the catalogue from the warehouse, so it must exist; the site goes to
`<data dir>/dbt/target/`, beside the other artefacts of runs over that data directory, never into
the project. `dbt docs serve --host 127.0.0.1` then serves it until stopped (Ctrl-C)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingestion import Layout, display
from transform import DBT_PROJECT_DIR

HOST = "127.0.0.1"


class DocsError(RuntimeError):
    """The docs cannot be generated; the message says what to run first."""


def dbt_executable() -> str:
    """The dbt of this environment (beside its Python), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    found = str(beside) if beside.exists() else shutil.which("dbt")
    if found is None:
        raise DocsError("dbt is not installed here: run `make sync`")
    return found


def _paths(layout: Layout) -> list[str]:
    return ["--target-path", str(layout.dbt_target), "--log-path", str(layout.dbt_logs)]


def generate(layout: Layout) -> Path:
    """`dbt docs generate` over `layout`'s warehouse; returns the folder holding the site."""
    if not layout.warehouse.is_file():
        raise DocsError(
            f"no warehouse at {layout.warehouse} yet: the docs describe what it holds, so build "
            "it first (`make demo`)"
        )
    with display() as shown:
        shown.start("docs", "dbt docs generate")
        result = subprocess.run(
            [dbt_executable(), "docs", "generate", "--quiet", *_paths(layout)],
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, "NEWSREC_DATA_DIR": str(layout.data_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        shown.finish("docs", f"dbt docs generate: {'done' if result.returncode == 0 else 'failed'}")
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip().splitlines()
        raise DocsError(f"dbt docs generate failed: {detail[-1] if detail else result.returncode}")
    return layout.dbt_target


def serve(layout: Layout, port: int) -> None:
    """Replace this process with `dbt docs serve` on 127.0.0.1:`port` (signals reach dbt)."""
    print(f"dbt docs of {layout.data_dir} on http://{HOST}:{port}/ (Ctrl-C stops)", flush=True)
    command = [dbt_executable(), "docs", "serve", "--host", HOST, "--port", str(port)]
    if not sys.stdout.isatty():
        command.append("--no-use-colors")
    os.chdir(DBT_PROJECT_DIR)
    os.execve(
        command[0],
        [*command, "--no-browser", *_paths(layout)],
        {**os.environ, "NEWSREC_DATA_DIR": str(layout.data_dir)},
    )
