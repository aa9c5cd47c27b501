"""Members are found by name at any depth; junk and partial downloads are left alone."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
from conftest import write_tar, write_zip
from ingestion.guarded import ArchiveError
from ingestion.landing import is_junk, iter_members, scan


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


def test_tar_gz_members_stream_and_unread_ones_are_skipped(tmp_path: Path) -> None:
    threads = set(threading.enumerate())
    days = {f"one_week/2017010{d}": bytes(range(256)) * (d * 7) + b"\n" for d in range(1, 5)}
    write_tar(tmp_path / "one_week.tar.gz", days)
    (source,), _ = scan(tmp_path)
    read = {}
    for number, member in enumerate(iter_members(source)):
        with member.open() as stream:
            if number == 1:
                read[member.name] = stream.read(300)
            elif number == 2:
                read[member.name] = b"".join(iter(lambda s=stream: s.read1(777), b""))
            elif number == 3:
                read[member.name] = stream.read()
    names = sorted(days)
    assert read == {
        names[1]: days[names[1]][:300],
        names[2]: days[names[2]],
        names[3]: days[names[3]],
    }
    assert set(threading.enumerate()) <= threads  # the inflating thread is gone


def test_plain_tar_members_are_read_too(tmp_path: Path) -> None:
    with tarfile.open(tmp_path / "one_week.tar", "w") as archive:
        payload = tmp_path / "20170101"
        payload.write_bytes(b'{"eventId": 1}\n')
        archive.add(payload, "one_week/20170101")
    payload.unlink()
    (source,), _ = scan(tmp_path)
    assert [m.open().read() for m in iter_members(source)] == [b'{"eventId": 1}\n']


@pytest.mark.parametrize("cut", [0.5, 0.999])
def test_a_truncated_tar_gz_raises_on_read(tmp_path: Path, cut: float) -> None:
    path = write_tar(tmp_path / "one_week.tar.gz", {"one_week/20170101": bytes(range(256)) * 999})
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * cut)])
    (source,), _ = scan(tmp_path)
    with pytest.raises(ArchiveError, match="truncated") as caught:
        for member in iter_members(source):
            member.open().read()
    assert caught.value.file == "one_week.tar.gz"


@pytest.mark.skipif(shutil.which("tar") is None, reason="needs GNU tar to write a sparse member")
def test_sparse_tar_gz_members_are_read_with_their_holes(tmp_path: Path) -> None:
    (tmp_path / "one_week").mkdir()
    with (tmp_path / "one_week/20170101").open("wb") as day:
        day.write(b"{}\n")
        day.seek(1 << 20)
        day.write(b"{}\n")
    subprocess.run(["tar", "-S", "-czf", "one_week.tar.gz", "one_week"], cwd=tmp_path, check=True)
    source = next(f for f in scan(tmp_path)[0] if f.rel == "one_week.tar.gz")
    days = [member.open().read() for member in iter_members(source)]
    assert days == [b"{}\n" + bytes((1 << 20) - 3) + b"{}\n"]


def test_a_corrupt_tar_gz_fails_its_checksum(tmp_path: Path) -> None:
    path = write_tar(tmp_path / "one_week.tar.gz", {"one_week/20170101": b'{"eventId": 1}\n'})
    data = bytearray(path.read_bytes())
    data[-8] ^= 0xFF  # the CRC-32 in the gzip trailer
    path.write_bytes(bytes(data))
    (source,), _ = scan(tmp_path)
    with pytest.raises(ArchiveError, match=r"the gzip stream is corrupt \(CRC check failed\)"):
        for member in iter_members(source):
            member.open().read()
