"""The kill harness: a real `newsrec-ingest` in a child process that SIGKILLs itself inside a
chosen write (killhook.c, loaded with LD_PRELOAD), then what readers and the next run see.

Per publisher there are two starting points, each with the inputs of the same load L2: an empty
lake ("first load": dlt writes `init`, its folders, schema and state too) and a lake after two
loads L0 and L1 ("next load": L2 replaces a file and adds one, and its cleanup deletes the files
L0 wrote). A kill point is a kind of write, an operation and a place in it.
"""

from __future__ import annotations

import fnmatch
import io
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import (
    FIXTURES,
    MIND_BEHAVIORS,
    adressa_day,
    adressa_event,
    mind_zip,
    write_tar,
    write_zip,
)
from ingestion import Layout, install_lake_rules, run_publisher
from ingestion.inventory import finished_loads
from ingestion.lake import temporary

HOOK_SOURCE = Path(__file__).with_name("killhook.c")
TABLES = {
    "mind": ("behaviors", "news", "entity_embedding", "relation_embedding"),
    "ebnerd": ("behaviors", "history"),
    "adressa": ("events",),
}
FIRST, NEXT = "first load", "next load"
WHEN = ("before", "after")

State = dict[str, tuple[int, int] | None]
"""Per raw table: visible row count and an order-free checksum, or None while not readable."""


def compile_hook(folder: Path) -> Path:
    """Build the hook with the system C compiler (CI has gcc)."""
    cc = shutil.which("cc")
    if cc is None:
        pytest.fail("the kill tests build killhook.c with `cc`, which is not on PATH: install gcc")
    library = folder / "libkillhook.so"
    flags = ["-shared", "-fPIC", "-O2", "-Wall", "-Werror"]
    subprocess.run(
        [cc, *flags, "-o", str(library), str(HOOK_SOURCE), "-ldl", "-lpthread"],
        check=True,
        capture_output=True,
    )
    return library


# ----------------------------------------------------------------------------- inputs


def write_inputs(data: Path, publisher: str, load: int) -> None:
    """The landing folder of load 0, 1 or 2: file A in version `load`, file B from load 2."""
    folder = data / "raw-download" / publisher
    folder.mkdir(parents=True, exist_ok=True)
    if publisher == "mind":
        extra = f"9{load}\tU9\t11/13/2019 8:00:00 AM\tN1\tN2-{load % 2}\n"
        a = mind_zip(folder, "MINDsmall_train.zip", MIND_BEHAVIORS + extra)
        if load == 2:
            mind_zip(folder, "MINDsmall_dev.zip", MIND_BEHAVIORS)
    elif publisher == "ebnerd":
        a = write_zip(folder / "ebnerd_demo.zip", _ebnerd_members(rows=40 * (load + 1)))
        if load == 2:
            write_zip(folder / "ebnerd_small.zip", _ebnerd_members(rows=25))
    else:
        events = [adressa_event(i, article=i % 3 != 0) for i in range(3 + load)]
        a = write_tar(folder / "one_week.tar.gz", {"one_week/20170101": adressa_day(events)})
        if load == 2:
            (folder / "20170108").write_bytes(adressa_day([adressa_event(99, article=True)]))
    stat = a.stat()
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + load * 10**9))


def _ebnerd_members(rows: int) -> dict[str, bytes]:
    members = {}
    for table in ("behaviors", "history"):
        buffer = io.BytesIO()
        pq.write_table(pq.read_table(FIXTURES / f"{table}.parquet").slice(0, rows), buffer)
        members[f"train/{table}.parquet"] = buffer.getvalue()
    return members


# ----------------------------------------------------------------------------- what is seen


def visible_state(data: Path, publisher: str) -> State:
    con = install_lake_rules(duckdb.connect(), Layout.at(data))
    state: State = {}
    for table in TABLES[publisher]:
        args = [f"raw_{publisher}", table]
        if not con.execute("select lake_table_ready(?, ?)", args).fetchall()[0][0]:
            state[table] = None
            continue
        ((count, checksum),) = con.execute(
            "select count(*), coalesce(sum(hash(r)), 0) "
            "from (select * exclude (_dlt_load_id) from lake_visible_rows(?, ?)) as r",
            args,
        ).fetchall()
        state[table] = (count, int(checksum))
    return state


def leftovers(data: Path, publisher: str) -> list[str]:
    """What a finished run must not leave: temporary files, and files of loads not finished."""
    root = Layout.at(data).lake / f"raw_{publisher}"
    finished = set(finished_loads(Layout.at(data), publisher))
    found = [str(p.relative_to(root)) for p in root.rglob(temporary.GLOB)]
    for path in root.rglob("*"):
        load = _load_of(path)
        if load is not None and load not in finished:
            found.append(str(path.relative_to(root)))
    return sorted(found)


def _load_of(path: Path) -> str | None:
    if path.suffix == ".parquet":
        return ".".join(path.name.split(".")[:2])
    if path.parent.name == "_dlt_pipeline_state":
        return path.name.split("__")[1]
    return None


# ----------------------------------------------------------------------------- starting points


@dataclass(frozen=True)
class Start:
    """A data directory to copy for each kill, what readers see in it, and what a clean run of
    the same inputs shows."""

    folder: Path
    previous: State
    reference: State


def prepare(publisher: str, scratch: Path) -> dict[str, Start]:
    reference_dir = scratch / "reference"
    write_inputs(reference_dir, publisher, 2)
    run_publisher(publisher, Layout.at(reference_dir))
    reference = visible_state(reference_dir, publisher)
    first = scratch / "first"
    write_inputs(first, publisher, 2)
    history = scratch / "next"
    for load in (0, 1):
        write_inputs(history, publisher, load)
        assert run_publisher(publisher, Layout.at(history)).status == "loaded"
    previous = visible_state(history, publisher)
    write_inputs(history, publisher, 2)
    return {
        FIRST: Start(first, {table: None for table in TABLES[publisher]}, reference),
        NEXT: Start(history, previous, reference),
    }


# ----------------------------------------------------------------------------- kill points


@dataclass(frozen=True)
class KillPoint:
    kind: str
    label: str
    env: dict[str, str]


def write_point(kind: str, pattern: str, cut: str, nth: int = 1) -> KillPoint:
    """Kill inside the `nth` file matching `pattern`: `cut` is `byte N` (N bytes reach it) or
    `N short` (all but its last N bytes)."""
    first, second = cut.split()
    key, value = ("KILLHOOK_BYTES", second) if first == "byte" else ("KILLHOOK_FROM_END", first)
    env = {
        "KILLHOOK_PATTERN": pattern,
        "KILLHOOK_OP": "write",
        key: value,
        "KILLHOOK_NTH": str(nth),
    }
    return KillPoint(kind, f"{kind}: torn at {cut}", env)


def call_point(kind: str, op: str, when: str, pattern: str, nth: int = 1) -> KillPoint:
    """Kill just before or just after the `nth` `op` call (rename, unlink, mkdir) on a path
    matching `pattern`."""
    env = {
        "KILLHOOK_PATTERN": pattern,
        "KILLHOOK_OP": op,
        "KILLHOOK_WHEN": when,
        "KILLHOOK_NTH": str(nth),
    }
    return KillPoint(kind, f"{kind}: {when} {op} #{nth}", env)


def quick_points(publisher: str) -> list[tuple[str, KillPoint]]:
    """One kill point per kind of write, for each publisher (what `make test` runs)."""
    lake = f"*/lake/raw_{publisher}"
    table = TABLES[publisher][0]
    return [
        (FIRST, call_point("mkdir (dataset folder)", "mkdir", "after", lake)),
        (FIRST, write_point("init", f"{lake}/*init*", "byte 7")),
        (FIRST, write_point("schema version", f"{lake}/_dlt_version/*", "1 short")),
        (FIRST, write_point("dlt state", f"{lake}/_dlt_pipeline_state/*", "1 short")),
        # the state is whole but its load never finished: dlt must not restore it
        (
            FIRST,
            call_point("rename (dlt state)", "rename", "after", f"{lake}/_dlt_pipeline_state/*"),
        ),
        (NEXT, write_point(f"data file ({table})", f"{lake}/{table}/*", "byte 7")),
        (NEXT, write_point("inventory", f"{lake}/source_files/*", "8 short")),
        (NEXT, write_point("load record", f"{lake}/_dlt_loads/*", "1 short")),
        (NEXT, call_point("rename (load record)", "rename", "before", f"{lake}/_dlt_loads/*")),
        (NEXT, call_point("rename (load record)", "rename", "after", f"{lake}/_dlt_loads/*")),
        (NEXT, call_point("unlink (cleanup)", "unlink", "after", f"{lake}/*.parquet")),
    ]


def kind_of(path: str, publisher: str) -> str:
    """The kind of lake file `path` is (a temporary name is of its final name's kind)."""
    rel = path.split(f"/raw_{publisher}/", 1)[1]
    top = rel.split("/", 1)[0]
    if "/" not in rel:
        return "init"
    return {
        "_dlt_version": "schema version",
        "_dlt_pipeline_state": "dlt state",
        "_dlt_loads": "load record",
        "source_files": "inventory",
    }.get(top, f"data file ({top})")


def traced_points(hook: Path, start: Start, publisher: str, scratch: Path) -> list[KillPoint]:
    """Every write the load makes in the lake, cut at 5 places (empty, 7 bytes, half, all but
    the Parquet footer's 8 bytes, all but 1), and every rename, unlink and mkdir, killed before
    and after: the full sweep."""
    run = scratch / "trace"
    shutil.copytree(start.folder, run, symlinks=True)
    lake = f"*/lake/raw_{publisher}"
    code, log = run_child(
        hook, run, publisher, {"KILLHOOK_PATTERN": f"{lake}*", "KILLHOOK_TRACE": "1"}
    )
    assert code == 0, f"traced run failed: {code}"
    shutil.rmtree(run)
    sizes: dict[str, int] = {}
    calls: list[tuple[str, str]] = []
    for line in log:
        op, path, _, written = line.split("\t")
        if op == "write":
            sizes[path] = sizes.get(path, 0) + int(written)
        else:
            calls.append((op, path))
    points = []
    for index, (path, size) in enumerate(sizes.items()):
        rel = path.split(f"/raw_{publisher}/", 1)[1]
        pattern = f"{lake}/*init*" if "/" not in rel else f"{lake}/{rel.rsplit('/', 1)[0]}/*"
        nth = sum(fnmatch.fnmatchcase(p, pattern) for p in list(sizes)[: index + 1])
        cuts = ["byte 0", "byte 7", f"byte {size // 2}", "8 short", "1 short"]
        points += [write_point(kind_of(path, publisher), pattern, cut, nth) for cut in cuts]
    counters: dict[str, int] = {}
    for op, path in calls:
        counters[op] = counters.get(op, 0) + 1
        if op == "mkdir":
            folder = path.split(f"/raw_{publisher}", 1)[1].strip("/") or "dataset folder"
            kind = f"mkdir ({folder})"
        else:
            kind = f"{op} ({kind_of(path, publisher)})"
        points += [call_point(kind, op, when, f"{lake}*", counters[op]) for when in WHEN]
    return points


# ----------------------------------------------------------------------------- one kill


def run_child(
    hook: Path, data: Path, publisher: str, hook_env: dict[str, str]
) -> tuple[int, list[str]]:
    """`newsrec-ingest <publisher>` with the hook preloaded: its exit code (-9 when killed) and
    the hook's log."""
    log = data.with_name(f"{data.name}.killhook.log")
    log.unlink(missing_ok=True)
    env = {**os.environ, "LD_PRELOAD": str(hook), "KILLHOOK_LOG": str(log), **hook_env}
    command = [sys.executable, "-m", "ingestion.cli", publisher, "--data-dir", str(data)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, log.read_text().splitlines() if log.exists() else []


@dataclass(frozen=True)
class Outcome:
    killed: bool
    committed: bool
    seen: State
    next_error: str
    after_next: State
    leftovers: list[str]

    def failures(self, start: Start) -> list[str]:
        """What broke, if anything: readers must see exactly the newest finished load (the
        previous one unless the kill came after the load record's rename), and the next run
        must succeed, equal a clean run, and leave nothing behind."""
        problems = []
        if not self.killed:
            problems.append("the kill point was never reached")
        expected = start.reference if self.committed else start.previous
        if self.seen != expected:
            problems.append(f"readers saw {self.seen}, expected {expected}")
        if self.next_error:
            problems.append(f"the next run failed: {self.next_error}")
        elif self.after_next != start.reference:
            problems.append(f"after the next run: {self.after_next} != {start.reference}")
        if self.leftovers:
            problems.append(f"left behind: {self.leftovers}")
        return problems


def kill_and_recover(
    hook: Path, start: Start, publisher: str, point: KillPoint, scratch: Path
) -> Outcome:
    case = scratch / "case"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(start.folder, case, symlinks=True)
    before = set(finished_loads(Layout.at(case), publisher))
    code, _ = run_child(hook, case, publisher, point.env)
    committed = bool(set(finished_loads(Layout.at(case), publisher)) - before)
    seen = visible_state(case, publisher)
    try:
        run_publisher(publisher, Layout.at(case))
        error = ""
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"
    return Outcome(
        killed=code == -signal.SIGKILL,
        committed=committed,
        seen=seen,
        next_error=error,
        after_next=visible_state(case, publisher),
        leftovers=leftovers(case, publisher),
    )
