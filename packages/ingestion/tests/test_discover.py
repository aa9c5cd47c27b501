"""Members are found by name at any depth; junk and partial downloads are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tar, write_zip
from ingestion.discover import is_junk, iter_members, scan


@pytest.mark.parametrize(
    ("name", "junk"),
    [
        ("__MACOSX/ebnerd_testset/._.DS_Store", True),
        ("ebnerd_testset/.DS_Store", True),
        ("train/._behaviors.parquet", True),
        ("__placeholder__", True),
        ("ebnerd_testset/test/behaviors.parquet", False),
        ("one_week/20170101", False),
    ],
)
def test_junk_names(name: str, junk: bool) -> None:
    assert is_junk(name) is junk


def test_scan_skips_junk_and_holds_back_partial_downloads(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/behaviors.tsv").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "MINDlarge_dev.zip.part").write_text("x")
    files, waiting = scan(tmp_path)
    assert [f.rel for f in files] == ["a/behaviors.tsv"]
    assert waiting == ["MINDlarge_dev.zip.part"]
    assert files[0].fingerprint.startswith("1:")


def test_zip_and_tar_members_in_archive_order(tmp_path: Path) -> None:
    write_zip(tmp_path / "x.zip", {"deep/er/news.tsv": b"1", "__MACOSX/._news.tsv": b"", "b": b""})
    write_tar(tmp_path / "y.tar.gz", {"one_week/20170102": b"{}", "one_week/._20170102": b""})
    files, _ = scan(tmp_path)
    names = {f.rel: [m.name for m in iter_members(f)] for f in files}
    assert names == {"x.zip": ["deep/er/news.tsv", "b"], "y.tar.gz": ["one_week/20170102"]}
