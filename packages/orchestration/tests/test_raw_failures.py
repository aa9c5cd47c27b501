"""A raw asset that fails says why, with the file, member and reason as metadata: never an
unexplained traceback, whatever raised (our checks, a library, the disk)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import dagster as dg
import pytest
from orchestration.defs.assets import raw
from orchestration.defs.resources import LayoutResource

NEWS = b"N1\tnews\tworld\tCaf\xe9 \xff\xfe\tabstract\thttps://example.com\t[]\t[]\n"
BEHAVIORS = b"1\tU1\t11/11/2019 9:05:58 AM\t\tN1-1\n"


def failure_of(data_dir: Path) -> dg.DagsterEvent:
    result = dg.materialize(
        [raw.raw_asset("mind")],
        resources={"layout": LayoutResource(data_dir=str(data_dir))},
        raise_on_error=False,
    )
    assert not result.success
    (failed,) = [e for e in result.all_node_events if e.is_step_failure]
    return failed


def test_a_refused_file_is_a_failure_naming_file_member_and_line(data_dir: Path) -> None:
    folder = data_dir / "raw-download/mind"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "MINDsmall_train.zip", "w") as archive:
        archive.writestr("behaviors.tsv", BEHAVIORS)
        archive.writestr("news.tsv", NEWS)
    data = failure_of(data_dir).step_failure_data
    assert data.user_failure_data is not None
    metadata = {k: v.value for k, v in data.user_failure_data.metadata.items()}
    assert metadata["file"] == "MINDsmall_train.zip"
    assert metadata["member"] == "news.tsv"
    assert metadata["line"] == 1
    assert "not UTF-8" in metadata["reason"]
    assert data.user_failure_data.description.startswith(
        "mind: malformed input: MINDsmall_train.zip, member news.tsv, line 1: "
    )


def test_an_error_of_no_file_is_a_failure_with_its_reason(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(raw, "run_publisher", full_disk)
    data = failure_of(data_dir).step_failure_data
    assert data.user_failure_data is not None
    assert data.user_failure_data.description == (
        "mind: OSError: [Errno 28] No space left on device"
    )
    metadata = {k: v.value for k, v in data.user_failure_data.metadata.items()}
    assert metadata["error"] == "OSError"
