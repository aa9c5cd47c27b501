"""One publisher never breaks another: any error in one, ours or a library's, is reported for
that publisher with its file (and member where known), the others still load, the exit code is
1. File names reach SQL only as parameters."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import ingestion.pipeline
import pytest
from conftest import (
    FIXTURES,
    MIND_BEHAVIORS,
    adressa_day,
    adressa_event,
    mind_vectors,
    visible,
    write_tar,
    write_zip,
)
from ingestion import Layout, SourceFileError, run_publisher
from ingestion.cli import main

NON_UTF8_NEWS = b"N1\tnews\tworld\tCaf\xe9 \xff\xfe\tabstract\thttps://example.com\t[]\t[]\n"
NEWS = b"N1\tnews\tworld\tT\tA\thttps://e.com\t[]\t[]\n"
DEFLATE64 = 9  # Windows' "compressed folder" method for large files; Python cannot inflate it


def with_compression_method(path: Path, member: str, method: int) -> None:
    """Mark a member as compressed with `method`, in its local and its central header."""
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
        entry = archive.start_dir
    data = bytearray(path.read_bytes())
    data[local + 8 : local + 10] = method.to_bytes(2, "little")
    while True:  # central directory entries: signature, fixed fields, then the name at 46
        size = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + size] == member.encode():
            data[entry + 10 : entry + 12] = method.to_bytes(2, "little")
            break
        extra = int.from_bytes(data[entry + 30 : entry + 32], "little")
        comment = int.from_bytes(data[entry + 32 : entry + 34], "little")
        entry += 46 + size + extra + comment
    path.write_bytes(bytes(data))


def broken_mind(data: Path, news: bytes, method: int | None = None) -> Path:
    path = write_zip(
        data / "raw-download/mind/MINDsmall_train.zip",
        {
            "behaviors.tsv": MIND_BEHAVIORS.encode(),
            "news.tsv": news,
            "entity_embedding.vec": mind_vectors(["Q1"]),
            "relation_embedding.vec": mind_vectors(["P31"]),
        },
    )
    if method is not None:
        with_compression_method(path, "news.tsv", method)
    return path


def good_others(data: Path) -> None:
    train = data / "raw-download/ebnerd/ebnerd_demo/train"
    train.mkdir(parents=True)
    (train / "behaviors.parquet").write_bytes((FIXTURES / "behaviors.parquet").read_bytes())
    write_tar(
        data / "raw-download/adressa/one_week.tar.gz",
        {"one_week/20170101": adressa_day([adressa_event(1, article=True)])},
    )


def assert_others_loaded(data: Path) -> None:
    assert visible(data, "ebnerd", "behaviors", "count(*)")[0][0] > 0
    assert visible(data, "adressa", "events", "count(*)") == [(1,)]
    assert visible(data, "mind", "news", "count(*)") == []


@pytest.mark.parametrize(
    ("news", "method", "reason"),
    [
        (NON_UTF8_NEWS, None, ", line 1: title holds bytes that are not UTF-8"),
        (NEWS, DEFLATE64, ": compressed with zip method 9, which cannot be read"),
    ],
    ids=["non-utf8-title", "member-compressed-with-deflate64"],
)
def test_a_refused_file_names_file_and_member_and_the_others_load(
    data: Path, capsys: pytest.CaptureFixture[str], news: bytes, method: int | None, reason: str
) -> None:
    broken_mind(data, news, method)
    good_others(data)
    assert main(["--data-dir", str(data)]) == 1
    out = capsys.readouterr()
    failure = next(line for line in out.err.splitlines() if line.startswith("mind: FAILED"))
    assert failure.startswith(f"mind: FAILED: MINDsmall_train.zip, member news.tsv{reason}")
    assert "Traceback" not in out.err
    assert "ebnerd: loaded" in out.out and "adressa: loaded" in out.out
    assert_others_loaded(data)


@pytest.mark.parametrize("when", ["after the scan", "after hashing"])
def test_a_zip_removed_while_the_load_runs_is_reported(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], when: str
) -> None:
    path = broken_mind(data, NEWS)
    good_others(data)
    step = "snapshot" if when == "after the scan" else "plan_load"
    real = getattr(ingestion.pipeline, step)

    def then_remove(*args: object) -> object:
        result = real(*args)
        if args[-1] == "mind" or (step == "plan_load" and path.exists()):
            path.unlink(missing_ok=True)
        return result

    monkeypatch.setattr(ingestion.pipeline, step, then_remove)
    assert main(["--data-dir", str(data), "--json", "mind", "ebnerd", "adressa"]) == 1
    out = capsys.readouterr()
    assert "mind: FAILED: MINDsmall_train.zip" in out.err
    reports = {r["publisher"]: r for r in json.loads(out.out)}
    assert reports["mind"]["status"] == "failed"
    assert reports["mind"]["file"] == "MINDsmall_train.zip"
    assert reports["ebnerd"]["status"] == reports["adressa"]["status"] == "loaded"
    assert_others_loaded(data)


def test_an_error_of_no_file_is_one_line_and_the_others_load(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_mind(data, NEWS)
    good_others(data)
    real = ingestion.pipeline._load

    def failing(publisher: str, *args: object) -> object:
        if publisher == "mind":
            raise OSError(28, "No space left on device")
        return real(publisher, *args)

    monkeypatch.setattr(ingestion.pipeline, "_load", failing)
    assert main(["--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "mind: FAILED: OSError: [Errno 28] No space left on device" in err
    assert "Traceback" not in err
    assert_others_loaded(data)


def test_quotes_in_paths_and_names_reach_sql_only_as_parameters(tmp_path: Path) -> None:
    data = tmp_path / "o'brien's data"
    folder = data / "raw-download/mind/it's; drop table x; --"
    write_zip(
        folder / "MINDsmall_train.zip",
        {
            "behaviors.tsv": MIND_BEHAVIORS.encode(),
            "news.tsv": b"N1\tnews\tworld\tT\tA\thttps://e.com\t[]\t[]\n",
        },
    )
    assert run_publisher("mind", Layout.at(data)).status == "loaded"
    assert visible(data, "mind", "behaviors", "_source_file, count(*)", grouped=True) == [
        ("it's; drop table x; --/MINDsmall_train.zip", 3)
    ]
    assert run_publisher("mind", Layout.at(data)).status == "up_to_date"


def test_archive_members_are_read_in_place_or_in_a_private_temporary_folder(
    data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """EB-NeRD's Parquet members are spooled to a temporary folder this process creates (and
    removes); nothing is extracted under a member's own name."""
    import tempfile

    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    created: list[str] = []
    real = tempfile.TemporaryDirectory

    def watched(*args: object, **kwargs: object) -> tempfile.TemporaryDirectory[str]:
        folder = real(*args, **kwargs)  # type: ignore[call-overload]
        created.append(folder.name)
        return folder

    monkeypatch.setattr(tempfile, "TemporaryDirectory", watched)
    write_zip(
        data / "raw-download/ebnerd/ebnerd_demo.zip",
        {"train/behaviors.parquet": (FIXTURES / "behaviors.parquet").read_bytes()},
    )
    before = {p for p in data.parent.rglob("*") if "lake" not in p.parts}
    assert run_publisher("ebnerd", Layout.at(data)).status == "loaded"
    assert created and all(Path(c).parent == private for c in created)
    assert list(private.iterdir()) == []
    new = {p for p in data.parent.rglob("*") if "lake" not in p.parts and ".dlt" not in p.parts}
    assert new - before == set()
    with zipfile.ZipFile(data / "raw-download/ebnerd/ebnerd_demo.zip") as archive:
        assert not any((data / name).exists() for name in archive.namelist())


def test_a_located_error_is_a_source_file_error() -> None:
    error = SourceFileError("MINDsmall_train.zip", "news.tsv", 3, "bad")
    assert str(error) == "MINDsmall_train.zip, member news.tsv, line 3: bad"
