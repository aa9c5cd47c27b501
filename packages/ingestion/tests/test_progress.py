"""What a person at the keyboard sees: progress per file with rows and rate, never silent for
long, plain lines when not on a terminal; and one clear line when there is nothing to load."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import adressa_day, adressa_event, mind_zip, write_tar
from ingestion import Layout, LoadStep, lake_summary, run_publisher
from ingestion.cli import main
from ingestion.console import PlainDisplay, RichDisplay, display, load_display
from rich.console import Console


def test_a_load_reports_each_file_as_it_reads_it_then_the_write(data: Path) -> None:
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    mind_zip(data / "raw-download/mind", "MINDsmall_dev.zip")
    steps: list[LoadStep] = []
    report = run_publisher("mind", Layout.at(data), steps.append)
    reads = [s for s in steps if s.stage == "read"]
    finished = {(s.table, s.file): s.rows for s in reads if s.finished}
    tables = ("behaviors", "news", "entity_embedding", "relation_embedding")
    assert set(finished) == {
        (t, f) for t in tables for f in ("MINDsmall_dev.zip", "MINDsmall_train.zip")
    }
    assert finished[("behaviors", "MINDsmall_train.zip")] == 3
    for table, rows in report.rows_per_table.items():
        assert sum(n for (t, _), n in finished.items() if t == table) == rows
    # each file of each table starts at 0 rows and ends before the next one starts
    for (table, file), rows in finished.items():
        own = [s for s in reads if (s.table, s.file) == (table, file)]
        assert own[0].rows == 0 and not own[0].finished
        assert own[-1].finished and own[-1].rows == rows
    stages = [s.stage for s in steps]
    assert stages.index("write") > max(i for i, s in enumerate(stages) if s == "read")
    assert stages[-1] == "done"


def test_plain_output_shows_running_tasks_at_least_every_heartbeat() -> None:
    out = io.StringIO()
    with PlainDisplay(out, heartbeat_s=0.2) as shown:
        shown.start("t", "mind: behaviors from MINDlarge_train.zip")
        shown.update("t", 120_000)
        time.sleep(0.7)  # a slow batch: the display speaks up on its own
        shown.finish("t", "mind: 120,000 behaviors rows from MINDlarge_train.zip")
    lines = out.getvalue().splitlines()
    beats = [line for line in lines if "120,000 rows" in line and "rows/s" in line]
    assert len(beats) >= 2, lines
    assert beats[0].startswith("  mind: behaviors from MINDlarge_train.zip: 120,000 rows, ")
    assert lines[-1].startswith("mind: 120,000 behaviors rows from MINDlarge_train.zip in ")
    assert lines[-1].endswith(" rows/s")
    assert "\x1b" not in out.getvalue()


def test_a_quiet_display_stays_quiet_between_tasks() -> None:
    out = io.StringIO()
    with PlainDisplay(out, heartbeat_s=0.1):
        time.sleep(0.4)
    assert out.getvalue() == ""


def test_a_terminal_gets_bars_and_a_pipe_gets_plain_text() -> None:
    with display(stream=io.StringIO()) as shown:
        assert isinstance(shown, PlainDisplay)
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with RichDisplay(console, "rows") as shown:
        shown.start("t", "adressa: events from one_week.tar.gz")
        shown.update("t", 50_000)
        shown.finish("t", "adressa: 50,000 events rows from one_week.tar.gz")
    assert "\x1b[" in screen.getvalue()
    assert "adressa: 50,000 events rows from one_week.tar.gz in " in screen.getvalue()


def test_load_display_turns_steps_into_tasks() -> None:
    out = io.StringIO()
    with PlainDisplay(out, heartbeat_s=60) as shown:
        report = load_display(shown)
        report(LoadStep("mind", "read", "MINDsmall_train.zip", "news"))
        report(LoadStep("mind", "read", "MINDsmall_train.zip", "news", 1_000))
        report(LoadStep("mind", "read", "MINDsmall_train.zip", "news", 1_500, True))
        report(LoadStep("mind", "write"))
        report(LoadStep("mind", "done"))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("mind: 1,500 news rows from MINDsmall_train.zip in ")
    assert lines[1].startswith("mind: lake written in ")


def test_cli_shows_progress_on_stderr_as_plain_lines(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    events = [adressa_event(1, True), adressa_event(2, False)]
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz", {"one_week/20261118": adressa_day(events)}
    )
    assert main(["--data-dir", str(data)]) == 0
    out, err = capsys.readouterr()
    assert "mind: 3 behaviors rows from MINDsmall_train.zip in " in err
    assert "adressa: 2 events rows from one_week.tar.gz in " in err
    assert "rows/s" in err and "lake written" in err
    assert "\x1b" not in err
    assert "mind: loaded" in out


def test_cli_refuses_a_missing_data_directory_and_does_not_create_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "newsrec-data").mkdir()
    typo = tmp_path / "newsrec-dat"
    assert main(["--data-dir", str(typo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"no data directory at {typo}" in err
    assert f"did you mean {tmp_path / 'newsrec-data'}?" in err
    assert "make sample" in err and "newsrec-download" in err
    assert not typo.exists()


def test_cli_with_nothing_to_ingest_says_what_to_run(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsrec-ingest: nothing to ingest: no downloads in ")
    assert "make sample" in err and "make download" in err
    assert not (data / "lake").exists()


def test_an_emptied_folder_is_still_something_to_ingest(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its rows must drop out of the lake: that is a load."""
    path = mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    assert main(["--data-dir", str(data), "mind"]) == 0
    path.unlink()
    assert main(["--data-dir", str(data), "mind"]) == 0
    assert lake_summary(Layout.at(data), "mind").rows == 0
