"""`newsrec-export` writes MIND's format exactly (five and eight columns, MIND's time format,
`-1`/`-0` tokens, bare ids where unlabeled, every article named in news.tsv) and the unified
schema as Parquet, streaming, from a warehouse opened read-only."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import query
from research import mind_format
from research.cli import export_main
from research.export import ExportError, export
from research.mind_format import characters
from research.warehouse import WarehouseError, connect

TIME = re.compile(
    r"^([1-9]|1[0-2])/([1-9]|[12]\d|3[01])/\d{4} ([1-9]|1[0-2]):[0-5]\d:[0-5]\d [AP]M$"
)
ARCHIVES = {
    "MINDsmall_train.zip",
    "MINDsmall_dev.zip",
    "MINDlarge_test.zip",
    "ebnerd_small_train_mind.zip",
    "ebnerd_small_validation_mind.zip",
    "ebnerd_testset_test_mind.zip",
    "adressa_one_week_train_mind.zip",
    "adressa_one_week_validation_mind.zip",
    "adressa_one_week_test_mind.zip",
}


@pytest.fixture(scope="module")
def exported(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    to = tmp_path_factory.mktemp("exports")
    export(warehouse, to, fmt="mind")
    export(warehouse, to, fmt="parquet")
    return to


def members(archive: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(archive) as zf:
        return {name: zf.read(name).decode("utf-8").split("\n")[:-1] for name in zf.namelist()}


def test_one_zip_per_release_and_split_named_like_the_official_archives(exported: Path) -> None:
    assert {p.name for p in (exported / "mind").iterdir()} == ARCHIVES
    for archive in (exported / "mind").iterdir():
        assert set(members(archive)) == {"behaviors.tsv", "news.tsv"}, archive.name


def test_behaviors_are_five_columns_in_mind_time_format(exported: Path, warehouse: Path) -> None:
    splits = {
        (dataset, split): (impressions, labeled)
        for dataset, split, impressions, labeled in query(
            warehouse,
            "select dataset, split, impressions, is_labeled from research.benchmark_splits",
        )
    }
    checked = 0
    for dataset, split, stem in [
        ("MINDsmall_train", "train", "MINDsmall_train"),
        ("MINDlarge_test", "test", "MINDlarge_test"),
        ("ebnerd_small/validation", "validation", "ebnerd_small_validation_mind"),
        ("ebnerd_testset/test", "test", "ebnerd_testset_test_mind"),
        ("one_week", "test", "adressa_one_week_test_mind"),
    ]:
        lines = members(exported / "mind" / f"{stem}.zip")["behaviors.tsv"]
        impressions, labeled = splits[(dataset, split)]
        assert len(lines) == impressions
        for line in lines:
            fields = line.split("\t")
            assert len(fields) == 5, line
            _, _, time, history, candidates = fields
            assert TIME.match(time), time
            datetime.strptime(time, "%m/%d/%Y %I:%M:%S %p")
            tokens = candidates.split(" ")
            if labeled:
                assert all(re.fullmatch(r"[^\s-]+-[01]", t) for t in tokens), line
                assert any(t.endswith("-1") for t in tokens)
            else:
                assert all("-" not in t for t in tokens), line
            assert all(history.split(" ")) or history == ""
            checked += 1
    assert checked > 4000


def test_the_export_carries_the_warehouse_rows(exported: Path, warehouse: Path) -> None:
    """Times, users and candidates in the order shown, as the unified model has them; MIND's
    history as its release wrote it."""
    lines = members(exported / "mind" / "MINDsmall_dev.zip")["behaviors.tsv"]
    ours = {}
    for line in lines:
        impid, user, time, history, candidates = line.split("\t")
        ours[impid] = (user, datetime.strptime(time, "%m/%d/%Y %I:%M:%S %p"), history, candidates)
    rows = query(
        warehouse,
        "select impression_id, any_value(user_id), any_value(impression_time), "
        "string_agg(article_id || '-' || clicked::int, ' ' order by position) "
        "from staging.stg_unified_impressions where dataset = 'MINDsmall_dev' group by 1",
    )
    history = dict(
        query(
            warehouse,
            "select impression_id, array_to_string(history_news_ids, ' ') "
            "from staging.stg_mind__behaviors where dataset = 'MINDsmall_dev'",
        )
    )
    assert {impid: (u, t, history[impid], c) for impid, u, t, c in rows} == ours


def test_adressa_lines_are_the_sampled_impressions(exported: Path) -> None:
    lines = members(exported / "mind" / "adressa_one_week_test_mind.zip")["behaviors.tsv"]
    for line in lines:
        _, _, _, history, candidates = line.split("\t")
        tokens = candidates.split(" ")
        assert len(tokens) == 5 and sum(t.endswith("-1") for t in tokens) == 1
        assert history == ""  # Adressa ships no history


def test_ebnerd_history_is_the_users_history_file(exported: Path, warehouse: Path) -> None:
    lines = members(exported / "mind" / "ebnerd_small_train_mind.zip")["behaviors.tsv"]
    histories = {
        str(user): history
        for user, history in query(
            warehouse,
            "select user_id, string_agg(article_id::varchar, ' ' order by position) "
            "from staging.stg_ebnerd__user_history where dataset = 'ebnerd_small/train' group by 1",
        )
    }
    for line in lines:
        _, user, _, history, _ = line.split("\t")
        assert history == histories.get(user, "")
    assert sum(bool(line.split("\t")[3]) for line in lines) > len(lines) * 0.9


def test_news_names_every_article_of_the_behaviors_in_eight_columns(exported: Path) -> None:
    for archive in (exported / "mind").iterdir():
        files = members(archive)
        rows = [line.split("\t") for line in files["news.tsv"]]
        assert all(len(row) == 8 for row in rows), archive.name
        ids = [row[0] for row in rows]
        assert len(ids) == len(set(ids))
        named = set()
        for line in files["behaviors.tsv"]:
            _, _, _, history, candidates = line.split("\t")
            named.update(t.rsplit("-", 1)[0] if "-" in t else t for t in candidates.split(" "))
            named.update(history.split(" ") if history else [])
        assert named == set(ids), archive.name
        assert sum(bool(row[3]) for row in rows) > len(rows) * 0.9  # titles are there


def test_parquet_is_the_unified_schema_one_folder_per_publisher_and_split(
    exported: Path, warehouse: Path
) -> None:
    folders = sorted(
        str(p.relative_to(exported / "parquet")) for p in (exported / "parquet").glob("*/*")
    )
    assert folders == [
        f"{p}/{s}" for p in ("adressa", "ebnerd", "mind") for s in ("test", "train", "validation")
    ]
    unified = pq.read_schema(exported / "parquet" / "mind" / "train" / "impressions.parquet").names
    columns = [
        name
        for (name,) in query(
            warehouse,
            "select column_name from information_schema.columns "
            "where table_name = 'stg_unified_impressions' order by ordinal_position",
        )
    ]
    assert unified == columns
    counts = dict(
        query(
            warehouse,
            "select publisher || '/' || split, sum(candidates) "
            "from research.benchmark_splits group by 1",
        )
    )
    for folder in folders:
        table = pq.read_table(exported / "parquet" / folder / "impressions.parquet")
        assert table.num_rows == counts[folder], folder
        articles = pq.read_table(exported / "parquet" / folder / "articles.parquet")
        assert set(table.column("article_id").to_pylist()) <= set(
            articles.column("article_id").to_pylist()
        ), folder


def test_lines_are_the_same_whatever_the_batch_size(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = export(warehouse, tmp_path / "whole", publisher="ebnerd", split="validation")
    monkeypatch.setattr(mind_format, "BATCH_ROWS", 7)
    batched = export(warehouse, tmp_path / "batched", publisher="ebnerd", split="validation")
    assert members(whole[0].path) == members(batched[0].path)


def test_characters_of_a_slice_are_its_own() -> None:
    lines = pa.array(["a\n", "bc\n", "", "déf\n"])
    assert bytes(characters(lines.slice(1))) == "bc\ndéf\n".encode()
    assert bytes(characters(lines.slice(2, 1))) == b""
    assert bytes(characters(pa.array(["x\n"], pa.large_string()))) == b"x\n"


def test_the_warehouse_is_opened_read_only_and_left_unchanged(
    warehouse: Path, tmp_path: Path
) -> None:
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    with (
        connect(warehouse, tmp_path / "spill") as con,
        pytest.raises(duckdb.Error, match="read-only"),
    ):
        con.execute("create table research.scratch (a integer)")
    export(warehouse, tmp_path / "again", publisher="mind", split="validation", fmt="parquet")
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_the_command_says_what_it_wrote_and_refuses_what_is_not_there(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--warehouse", str(warehouse), "--to", str(tmp_path)]
    assert export_main([*args, "--publisher", "mind", "--split", "test"]) == 0
    assert capsys.readouterr().out.strip().endswith("MINDlarge_test.zip  157 impressions")
    assert export_main([*args, "--publisher", "mind", "--split", "dev"]) == 1
    assert "no evaluation split for publisher mind, split dev in" in capsys.readouterr().err
    assert export_main(["--warehouse", str(tmp_path / "none.duckdb"), "--to", str(tmp_path)]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    with pytest.raises(ExportError, match="no labeled evaluation split"):
        export(warehouse, tmp_path, publisher="mind", split="test", fmt="predictions")


def test_a_warehouse_without_the_research_models_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(WarehouseError, match="has no research models"):
        export(empty, tmp_path / "out")
