"""Hostile and damaged archives are refused at the door, named, before a member is inflated:
truncated, corrupt, empty, escaping paths, links and devices, bombs, files that change."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import adressa_day, adressa_event, mind_zip, visible, write_tar, write_zip
from ingestion import Layout, archive_rules
from ingestion.errors import BadInputError
from ingestion.guarded import ArchiveError
from ingestion.landing import SourceFile, iter_members, scan
from ingestion.pipeline import run_publisher
from ingestion.readers import mind


def only(folder: Path) -> SourceFile:
    (source,), _ = scan(folder)
    return source


def read_all(source: SourceFile) -> dict[str, bytes]:
    read = {}
    for member in iter_members(source):
        with member.open() as stream:
            read[member.name] = stream.read()
    return read


def tar_with(path: Path, entries: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for info, payload in entries:
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload) if payload else None)
    return path


def entry(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


def central_entry(path: Path, member: str) -> tuple[bytearray, int]:
    """The archive's bytes and where `member`'s central directory entry starts."""
    data = bytearray(path.read_bytes())
    header = data.find(b"PK\x01\x02")
    while data[header + 46 : header + 46 + len(member)] != member.encode():
        header = data.find(b"PK\x01\x02", header + 4)
    return data, header


def claim_size(path: Path, member: str, size: int) -> None:
    """Rewrite the central directory so that `member` claims `size` bytes inflated."""
    data, header = central_entry(path, member)
    data[header + 24 : header + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


# --- truncated, corrupt and empty files --------------------------------------------------------


def test_a_truncated_zip_is_named_as_damaged(tmp_path: Path) -> None:
    path = mind_zip(tmp_path, "MINDsmall_train.zip")
    path.write_bytes(path.read_bytes()[:-30])  # the end of the central directory is gone
    with pytest.raises(ArchiveError) as caught:
        read_all(only(tmp_path))
    assert caught.value.file == "MINDsmall_train.zip"
    assert "not a readable zip (no central directory: truncated or damaged)" in str(caught.value)
    assert str(caught.value).endswith("download it again")


def test_a_truncated_zip_fails_the_load_named(data: Path) -> None:
    path = mind_zip(data / "raw-download/mind", "MINDsmall_train.zip")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(BadInputError, match=r"^MINDsmall_train\.zip: not a readable zip"):
        run_publisher("mind", Layout.at(data))
    assert visible(data, "mind", "behaviors") == []


def stored_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return path


def test_a_zip_member_failing_its_crc_is_named_as_damaged(tmp_path: Path) -> None:
    news = b"N1\tnews\tx\tTitle\t\thttps://a\t[]\t[]\n" * 100
    path = stored_zip(tmp_path / "MINDsmall_train.zip", {"news.tsv": news})
    data = bytearray(path.read_bytes())
    data[data.find(b"Title") + 1] ^= 0x20  # one flipped bit: the CRC-32 no longer fits
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError) as caught:
        read_all(only(tmp_path))
    assert str(caught.value) == (
        "MINDsmall_train.zip, member news.tsv: the zip is damaged (the member fails its CRC-32 "
        "check): download it again"
    )


def test_damage_that_shows_as_a_bad_row_is_named_as_damage(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # read in small blocks, the bad row is parsed long before the member's end and its CRC
    monkeypatch.setattr(mind, "BLOCK_BYTES", 4096)
    behaviors = b"1\tU1\t11/11/2019 9:05:58 AM\t\tN1-1\n" * 100_000
    path = stored_zip(data / "raw-download/mind/MINDsmall_train.zip", {"behaviors.tsv": behaviors})
    damaged = bytearray(path.read_bytes())
    damaged[damaged.find(b"2019", 5000)] ^= 0x40  # a year of '2019' becomes 'r019'
    path.write_bytes(bytes(damaged))
    with pytest.raises(ArchiveError) as caught:
        run_publisher("mind", Layout.at(data))
    message = str(caught.value)
    assert message.startswith(
        "MINDsmall_train.zip, member behaviors.tsv: the zip is damaged (the member fails its "
        "CRC-32 check): download it again (first seen as: line "
    )
    assert "time '11/11/r019 9:05:58 AM'" in message


def test_a_corrupt_gzip_is_named_as_a_corrupt_archive_not_as_bad_rows(data: Path) -> None:
    events = [adressa_event(i, article=i % 3 == 0) for i in range(1, 20001)]
    path = write_tar(
        data / "raw-download/adressa/one_week.tar.gz",
        {"one_week/20170101": adressa_day(events), "one_week/20170102": adressa_day(events)},
    )
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 10] ^= 0x55  # inflates to garbage lines first, then fails its CRC
    path.write_bytes(bytes(damaged))
    with pytest.raises(ArchiveError) as caught:
        run_publisher("adressa", Layout.at(data))
    message = str(caught.value)
    assert message.startswith("one_week.tar.gz, member one_week/20170101: ")
    assert "the gzip stream is corrupt (CRC check failed): download it again" in message
    assert "first seen as: line " in message  # the bad rows it showed up as, for the record
    assert visible(data, "adressa", "events") == []


@pytest.mark.parametrize("name", ["MINDsmall_train.zip", "one_week.tar.gz", "20170101"])
def test_an_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(ArchiveError, match=r"the file is empty \(0 bytes\): download it again"):
        read_all(only(tmp_path))


def test_a_file_named_tar_gz_that_is_neither_is_refused(tmp_path: Path) -> None:
    (tmp_path / "one_week.tar.gz").write_bytes(b"<html>Service unavailable</html>" * 40)
    with pytest.raises(ArchiveError, match="neither gzip nor a tar archive"):
        read_all(only(tmp_path))


# --- members that would leave the archive, or are not regular files ----------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../../evil/behaviors.tsv", "leaves the archive"),
        ("MINDsmall_train/../../behaviors.tsv", "leaves the archive"),
        ("/etc/behaviors.tsv", "is absolute"),
        ("C:/Users/behaviors.tsv", "is absolute"),
        ("..\\..\\behaviors.tsv", "leaves the archive"),
    ],
)
def test_a_zip_member_path_outside_the_archive_is_refused(
    tmp_path: Path, name: str, why: str
) -> None:
    write_zip(tmp_path / "MINDsmall_train.zip", {"news.tsv": b"", name: b"1\tU1\n"})
    with pytest.raises(ArchiveError, match=f"the member's path {why}") as caught:
        read_all(only(tmp_path))
    assert caught.value.member == name


def test_a_tar_member_path_outside_the_archive_is_refused(tmp_path: Path) -> None:
    tar_with(tmp_path / "one_week.tar.gz", [(entry("one_week/../../20170101"), b"{}\n")])
    with pytest.raises(ArchiveError, match="leaves the archive") as caught:
        read_all(only(tmp_path))
    assert caught.value.member == "one_week/../../20170101"


@pytest.mark.parametrize(
    ("kind", "link", "said"),
    [
        (tarfile.SYMTYPE, "/etc/passwd", "a symbolic link to '/etc/passwd'"),
        (tarfile.LNKTYPE, "one_week/20170101", "a hard link to 'one_week/20170101'"),
        (tarfile.CHRTYPE, "", "a character device"),
        (tarfile.BLKTYPE, "", "a block device"),
        (tarfile.FIFOTYPE, "", "a named pipe (fifo)"),
    ],
)
def test_tar_links_and_devices_are_refused_and_named(
    tmp_path: Path, kind: bytes, link: str, said: str
) -> None:
    tar_with(
        tmp_path / "one_week.tar.gz",
        [(entry("one_week/20170101"), b"{}\n"), (entry("one_week/20170102", kind, link), b"")],
    )
    with pytest.raises(ArchiveError) as caught:
        read_all(only(tmp_path))
    assert (
        str(caught.value)
        == f"one_week.tar.gz, member one_week/20170102: the member is {said}: refused"
    )


def test_a_zip_symlink_is_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("behaviors.tsv")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "MINDsmall_train.zip", "w") as archive:
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(
        ArchiveError, match=r"behaviors\.tsv: the member is a symbolic link: refused"
    ):
        read_all(only(tmp_path))


@pytest.mark.parametrize(
    ("offset", "value", "said"),
    [
        (8, 0x0001, "the member is encrypted: refused"),  # general purpose flag, bit 0
        (10, 9, "compressed with zip method 9, which cannot be read: re-pack it with deflate"),
    ],
)
def test_zip_members_that_cannot_be_read_are_refused_up_front(
    tmp_path: Path, offset: int, value: int, said: str
) -> None:
    path = write_zip(tmp_path / "MINDsmall_train.zip", {"behaviors.tsv": b"1\tU1\n"})
    data, header = central_entry(path, "behaviors.tsv")
    data[header + offset : header + offset + 2] = value.to_bytes(2, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError) as caught:
        read_all(only(tmp_path))
    assert str(caught.value) == f"MINDsmall_train.zip, member behaviors.tsv: {said}"


# --- size and ratio limits, checked before inflating ------------------------------------------


def test_a_zip_bomb_is_refused_from_its_central_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "MINDsmall_train.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("behaviors.tsv", "w") as member,
    ):
        zeros = bytes(1 << 20)
        for _ in range(128):  # 128 MiB of zeros in about 0.6 MB
            member.write(zeros)
    assert path.stat().st_size < 1 << 20

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    with pytest.raises(ArchiveError) as caught:
        read_all(only(tmp_path))
    assert caught.value.member == "behaviors.tsv"
    assert "inflate to 128.0 MiB or more, over 100 times as much" in str(caught.value)


def test_a_zip_member_claiming_a_huge_size_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_zip(tmp_path / "MINDsmall_train.zip", {"behaviors.tsv": b"1\tU1\n" * 1000})
    claim_size(path, "behaviors.tsv", 4_000_000_000)
    with pytest.raises(ArchiveError, match="over 100 times as much"):
        read_all(only(tmp_path))
    monkeypatch.setattr(archive_rules, "MAX_MEMBER_BYTES", 1 << 30)
    with pytest.raises(ArchiveError, match=r"the member is 3\.7 GiB, over the 1\.0 GiB limit"):
        read_all(only(tmp_path))


def test_many_members_are_refused_by_their_sum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each member stays under the floor, so only their sum against the archive's size shows it
    # (as with members whose data overlap: the same bytes inflated once per name)
    monkeypatch.setattr(archive_rules, "RATIO_FLOOR_BYTES", 4 << 20)
    members = {f"part{i}/news.tsv": bytes(1 << 20) for i in range(8)}
    write_zip(tmp_path / "MINDsmall_dev.zip", members)
    with pytest.raises(ArchiveError) as caught:
        read_all(only(tmp_path))
    assert caught.value.member is None
    assert "inflate to 8.0 MiB or more, over 100 times as much" in str(caught.value)


def test_a_tar_member_over_the_size_limit_is_refused_from_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_rules, "MAX_MEMBER_BYTES", 1 << 20)
    tar_with(tmp_path / "one_week.tar.gz", [(entry("one_week/20170101"), b"{}\n" * 400_000)])
    with pytest.raises(ArchiveError, match=r"the member is 1.1 MiB, over the 1.0 MiB limit"):
        read_all(only(tmp_path))


def test_a_gzip_bomb_is_stopped_while_it_inflates(tmp_path: Path) -> None:
    path = tmp_path / "one_week.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        info = tarfile.TarInfo("one_week/20170101")
        info.size = 256 << 20
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    inflated = 0
    with pytest.raises(ArchiveError, match="over 100 times as much") as caught:
        for member in iter_members(only(tmp_path)):
            with member.open() as stream:
                while chunk := stream.read(1 << 20):
                    inflated += len(chunk)
    assert caught.value.member == "one_week/20170101"
    # stopped at 100 times the compressed bytes read (here the whole 1.1 MB), not at 256 MiB
    assert inflated < 128 << 20


# --- files that are removed or replaced while they are read -----------------------------------


def test_a_file_removed_between_the_scan_and_the_read(tmp_path: Path) -> None:
    mind_zip(tmp_path, "MINDsmall_train.zip")
    source = only(tmp_path)
    source.path.unlink()
    with pytest.raises(ArchiveError, match="removed after the folder was scanned: run the load"):
        read_all(source)


def test_a_file_changed_between_the_scan_and_the_read(tmp_path: Path) -> None:
    path = mind_zip(tmp_path, "MINDsmall_train.zip")
    source = only(tmp_path)
    with path.open("ab") as file:
        file.write(b"more")
    with pytest.raises(ArchiveError, match=r"changed size \(.* bytes\) after the folder was"):
        read_all(source)


@pytest.mark.parametrize("how", ["removed", "replaced", "appended"])
def test_a_file_removed_or_replaced_while_it_is_read(tmp_path: Path, how: str) -> None:
    path = mind_zip(tmp_path, "MINDsmall_train.zip")
    source = only(tmp_path)
    members = iter_members(source)
    first = next(members)
    with first.open() as stream:
        stream.read()
    if how == "removed":
        path.unlink()
    elif how == "replaced":
        other = mind_zip(tmp_path / "new", "MINDsmall_train.zip")
        os.replace(other, path)
    else:
        with path.open("ab") as file:
            file.write(b"\0")
    with pytest.raises(ArchiveError) as caught:
        for member in members:
            with member.open() as stream:
                stream.read()
    said = {
        "removed": "the file was removed while it was being read",
        "replaced": "the file was replaced by another while it was being read",
        "appended": "the file changed size",
    }[how]
    assert said in str(caught.value)
    assert caught.value.file == "MINDsmall_train.zip"


def test_a_tar_gz_removed_while_it_is_read_fails_the_load(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [adressa_event(i, article=False) for i in range(1, 50)]
    path = write_tar(
        data / "raw-download/adressa/one_week.tar.gz",
        {"one_week/20170101": adressa_day(events), "one_week/20170102": adressa_day(events)},
    )
    from ingestion.readers import adressa as reader

    real = reader.read_events

    def remove_after_the_first_day(stream, origin, bad):  # type: ignore[no-untyped-def]
        yield from real(stream, origin, bad)
        path.unlink(missing_ok=True)

    monkeypatch.setattr(reader, "read_events", remove_after_the_first_day)
    with pytest.raises(
        BadInputError, match=r"one_week\.tar\.gz: the file was removed while it was"
    ):
        run_publisher("adressa", Layout.at(data))
    assert visible(data, "adressa", "events") == []
