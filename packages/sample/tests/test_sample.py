"""The sample generator: deterministic, format-faithful (every quirk the loaders must survive), and
its report says exactly what the ingestion lands."""

from __future__ import annotations

import gzip
import io
import json
import re
import tarfile
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingestion import Layout, LoadReport, install_lake_rules, run_publisher
from sample import generate_sample, write_adressa_day
from sample.cli import main
from sample.clock import resolve_end
from sample.sql import connect, text

END = datetime(2026, 5, 10, 12, tzinfo=UTC)
PUBLISHERS = ("ebnerd", "adressa", "mind")
MIND_TIME = re.compile(
    r"^([1-9]|1[0-2])/([1-9]|[12]\d|3[01])/\d{4} ([1-9]|1[0-2]):[0-5]\d:[0-5]\d (AM|PM)$"
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sample")
    generate_sample(Layout.at(base), scale=1, seed=0, end=END)
    return base


@pytest.fixture(scope="module")
def report(sample: Path) -> dict:
    return json.loads((sample / "sample-report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def landed(sample: Path) -> dict[str, LoadReport]:
    """The sample ingested once; the lake lives next to the downloads."""
    return {p: run_publisher(p, Layout.at(sample)) for p in PUBLISHERS}


def files(base: Path) -> dict[str, bytes]:
    root = base / "raw-download"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def lake(base: Path, publisher: str, table: str, select: str) -> tuple:
    con = install_lake_rules(duckdb.connect(), Layout.at(base))
    query = select.replace("ROWS", "lake_visible_rows(?, ?)")
    return con.execute(query, [f"raw_{publisher}", table]).fetchall()[0]


def zip_text(path: Path, member: str) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8").splitlines()


def parquet(path: Path, member: str) -> pa.Table:
    with zipfile.ZipFile(path) as archive:
        return pq.read_table(io.BytesIO(archive.read(member)))


def adressa_days(sample: Path) -> dict[str, list[str]]:
    with tarfile.open(sample / "raw-download/adressa/one_week.tar.gz", "r|*") as archive:
        return {
            m.name: archive.extractfile(m).read().decode("ascii").splitlines()
            for m in archive
            if m.isfile()
        }


def events(lines: list[str]) -> list[dict]:
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            continue
    return parsed


# --- determinism and the report -------------------------------------------------------------


def test_report_shape(sample: Path, report: dict) -> None:
    assert report["scale"] == 1 and report["seed"] == 0
    assert report["end"] == "2026-05-10T12:00:00+00:00"
    assert report["files"] == {
        "ebnerd": ["ebnerd_small.zip", "ebnerd_testset.zip"],
        "adressa": ["one_week.tar.gz"],
        "mind": ["MINDsmall_train.zip", "MINDsmall_dev.zip", "MINDlarge_test.zip"],
    }
    keys = {"impressions", "candidates", "clicks", "unlabeled_candidates", "articles", "users"}
    assert set(report["publishers"]) == set(PUBLISHERS)
    assert all(set(counts) == keys for counts in report["publishers"].values())
    assert sorted(files(sample)) == sorted(
        f"{p}/{name}" for p, names in report["files"].items() for name in names
    )


def test_same_seed_and_end_give_identical_bytes_whatever_the_workers(
    sample: Path, report: dict, tmp_path: Path
) -> None:
    steps: list[tuple[int, int]] = []
    again = generate_sample(
        Layout.at(tmp_path),
        scale=1,
        seed=0,
        end=END,
        workers=1,
        progress=lambda *s: steps.append(s),
    )
    assert again == report
    assert files(tmp_path) == files(sample)
    # progress: one step per MIND split, EB-NeRD zip and Adressa day, then the Adressa archive
    total = len(report["files"]["mind"]) + len(report["files"]["ebnerd"]) + 7 + 1
    assert steps == [(done, total) for done in range(1, total)] + [(total, total)]


def test_another_seed_gives_other_files(sample: Path, tmp_path: Path) -> None:
    generate_sample(Layout.at(tmp_path), scale=1, seed=1, end=END, workers=1)
    ours, theirs = files(sample), files(tmp_path)
    assert ours.keys() == theirs.keys()
    assert all(ours[name] != theirs[name] for name in ours)


def test_sizes_grow_with_the_scale_and_match_the_small_releases_at_100(
    report: dict, tmp_path: Path
) -> None:
    half = generate_sample(Layout.at(tmp_path), scale=0.5, seed=0, end=END, workers=1)
    counts = report["publishers"]
    for publisher in PUBLISHERS:
        for key in ("impressions", "candidates"):
            twice = 2 * half["publishers"][publisher][key]
            assert counts[publisher][key] == pytest.approx(twice, rel=0.05), (publisher, key)
    # scale 100 is about the real small releases: 156,965 MINDsmall_train impressions and
    # 232,887 ebnerd_small train impressions
    assert 100 * counts["mind"]["impressions"] == pytest.approx(156_965, rel=0.05)
    assert 100 * counts["ebnerd"]["impressions"] == pytest.approx(232_887, rel=0.05)
    # candidates per impression as in the releases: MIND about 37, EB-NeRD's in-view mean 11.6
    assert 30 < counts["mind"]["candidates"] / counts["mind"]["impressions"] < 45
    assert 10.5 < counts["ebnerd"]["candidates"] / counts["ebnerd"]["impressions"] < 13.5


def test_report_equals_what_the_mind_ingestion_lands(
    sample: Path, report: dict, landed: dict[str, LoadReport]
) -> None:
    got = lake(
        sample,
        "mind",
        "behaviors",
        """select count(*), sum(len(tokens)),
            sum(len(list_filter(tokens, lambda t: t like '%-1'))),
            sum(len(tokens)) filter (where _split = 'test'), count(distinct user_id)
        from (select *, string_split(impressions, ' ') as tokens from ROWS)""",
    )
    (articles,) = lake(sample, "mind", "news", "select count(distinct news_id) from ROWS")
    expected = report["publishers"]["mind"]
    assert got == tuple(
        expected[k]
        for k in ("impressions", "candidates", "clicks", "unlabeled_candidates", "users")
    )
    assert articles == expected["articles"]
    assert landed["mind"].status == "loaded" and not landed["mind"].bad_lines_skipped


def test_report_equals_what_the_ebnerd_ingestion_lands(
    sample: Path, report: dict, landed: dict[str, LoadReport]
) -> None:
    got = lake(
        sample,
        "ebnerd",
        "behaviors",
        """select count(*), sum(len(article_ids_inview)),
            coalesce(sum(len(list_filter(article_ids_inview,
                lambda a: list_contains(article_ids_clicked, a)))), 0),
            sum(len(article_ids_inview)) filter (where _split = 'test'), count(distinct user_id)
        from ROWS""",
    )
    (articles,) = lake(sample, "ebnerd", "articles", "select count(distinct article_id) from ROWS")
    expected = report["publishers"]["ebnerd"]
    assert got == tuple(
        expected[k]
        for k in ("impressions", "candidates", "clicks", "unlabeled_candidates", "users")
    )
    assert articles == expected["articles"]
    assert landed["ebnerd"].status == "loaded"


def test_report_equals_what_the_adressa_ingestion_lands(
    sample: Path, report: dict, landed: dict[str, LoadReport]
) -> None:
    got = lake(
        sample,
        "adressa",
        "events",
        """select count(*) filter (where id is not null), count(distinct id),
            count(distinct user_id) filter (where id is not null)
        from ROWS""",
    )
    expected = report["publishers"]["adressa"]
    assert got == (expected["impressions"], expected["articles"], expected["users"])
    assert expected["impressions"] == expected["candidates"] == expected["clicks"]
    assert expected["unlabeled_candidates"] == 0


def test_newest_timestamp_of_each_publisher_is_shortly_before_end(
    sample: Path, landed: dict[str, LoadReport]
) -> None:
    (mind_times,) = lake(sample, "mind", "behaviors", "select list(time) from ROWS")
    newest = {
        "mind": max(datetime.strptime(t, "%m/%d/%Y %I:%M:%S %p") for t in mind_times),
        "ebnerd": lake(sample, "ebnerd", "behaviors", "select max(impression_time) from ROWS")[0],
        "adressa": datetime.fromtimestamp(
            lake(sample, "adressa", "events", "select max(time) from ROWS")[0], UTC
        ).replace(tzinfo=None),
    }
    naive_end = END.replace(tzinfo=None)
    for publisher, moment in newest.items():
        assert naive_end - timedelta(hours=3) <= moment <= naive_end, publisher
    (history_max, published_max, modified_max) = (
        lake(
            sample,
            "ebnerd",
            "history",
            "select max(list_max(impression_time_fixed)) from ROWS",
        )[0],
        *lake(
            sample,
            "ebnerd",
            "articles",
            "select max(published_time), max(last_modified_time) from ROWS",
        ),
    )
    assert max(history_max, published_max, modified_max) <= naive_end


# --- MIND quirks ---------------------------------------------------------------------------


def mind_rows(sample: Path, name: str, member: str) -> list[list[str]]:
    return [line.split("\t") for line in zip_text(sample / "raw-download/mind" / name, member)]


def test_mind_zips_are_flat_and_the_large_one_has_a_placeholder(sample: Path) -> None:
    for name in ("MINDsmall_train.zip", "MINDsmall_dev.zip", "MINDlarge_test.zip"):
        with zipfile.ZipFile(sample / "raw-download/mind" / name) as archive:
            names = {i.filename: i for i in archive.infolist()}
        data = {"behaviors.tsv", "news.tsv", "entity_embedding.vec", "relation_embedding.vec"}
        assert data <= set(names)
        if "large" in name:
            assert set(names) == data | {"__placeholder__"}
            assert names["__placeholder__"].file_size == 0
        else:
            assert set(names) == data
        assert all(i.date_time == (2026, 5, 10, 12, 0, 0) for i in names.values())


def test_mind_behaviours(sample: Path) -> None:
    train = mind_rows(sample, "MINDsmall_train.zip", "behaviors.tsv")
    test = mind_rows(sample, "MINDlarge_test.zip", "behaviors.tsv")
    for rows in (train, test, mind_rows(sample, "MINDsmall_dev.zip", "behaviors.tsv")):
        assert all(len(r) == 5 for r in rows)
        assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
        assert all(MIND_TIME.match(r[2]) for r in rows)
        assert all(re.fullmatch(r"U\d+", r[1]) for r in rows)
    times = [r[2].split(" ", 1)[1] for r in train]
    assert any(t.startswith("12:") and t.endswith("AM") for t in times)
    assert any(t.startswith("12:") and t.endswith("PM") for t in times)
    assert any(re.match(r"[1-9]:", t) for t in times)
    assert any(r[3] == "" for r in train)
    assert any(len(r[3].split(" ")) > 1 for r in train)
    for row in train:
        tokens = row[4].split(" ")
        assert all(re.fullmatch(r"N\d+-[01]", t) for t in tokens)
        assert any(t.endswith("-1") for t in tokens)
        assert len({t.split("-")[0] for t in tokens}) == len(tokens)
    assert all(re.fullmatch(r"N\d+", t) for r in test for t in r[4].split(" "))
    order = [t.endswith("-1") for r in train for t in r[4].split(" ")]
    assert not all(order[i] >= order[i + 1] for i in range(len(order) - 1))


def test_mind_news_and_embeddings(sample: Path) -> None:
    catalogues = {}
    for name in ("MINDsmall_train.zip", "MINDsmall_dev.zip", "MINDlarge_test.zip"):
        news = mind_rows(sample, name, "news.tsv")
        behaviors = mind_rows(sample, name, "behaviors.tsv")
        assert all(len(r) == 8 for r in news)
        ids = {r[0] for r in news}
        assert len(ids) == len(news)
        mentioned = {t.split("-")[0] for r in behaviors for t in r[4].split(" ")}
        mentioned |= {n for r in behaviors for n in r[3].split(" ") if n}
        assert mentioned == ids
        catalogues[name] = ids
        for row in news:
            for column in (6, 7):
                entities = json.loads(row[column])
                assert all(
                    set(e)
                    == {
                        "Label",
                        "Type",
                        "WikidataId",
                        "Confidence",
                        "OccurrenceOffsets",
                        "SurfaceForms",
                    }
                    for e in entities
                )
        for member in ("entity_embedding.vec", "relation_embedding.vec"):
            lines = zip_text(sample / "raw-download/mind" / name, member)
            assert all(line.endswith("\t") and len(line.split("\t")) == 102 for line in lines)
    assert catalogues["MINDsmall_train.zip"] & catalogues["MINDsmall_dev.zip"]
    train_news = mind_rows(sample, "MINDsmall_train.zip", "news.tsv")
    assert any('"' in r[3] for r in train_news)
    assert any(r[4] == "" for r in train_news)
    assert any(r[6] == "[]" for r in train_news) and any(r[6] != "[]" for r in train_news)


# --- EB-NeRD quirks ------------------------------------------------------------------------

TRAIN_COLUMNS = [
    "impression_id", "article_id", "impression_time", "read_time", "scroll_percentage",
    "device_type", "article_ids_inview", "article_ids_clicked", "user_id", "is_sso_user",
    "gender", "postcode", "age", "is_subscriber", "session_id", "next_read_time",
    "next_scroll_percentage",
]  # fmt: skip
TEST_COLUMNS = [
    "impression_id", "impression_time", "read_time", "scroll_percentage", "device_type",
    "article_ids_inview", "user_id", "is_sso_user", "gender", "postcode", "age",
    "is_subscriber", "session_id", "is_beyond_accuracy",
]  # fmt: skip


def ebnerd(sample: Path, name: str) -> Path:
    return sample / "raw-download/ebnerd" / name


def test_ebnerd_zip_layouts(sample: Path) -> None:
    with zipfile.ZipFile(ebnerd(sample, "ebnerd_small.zip")) as archive:
        small = archive.namelist()
    with zipfile.ZipFile(ebnerd(sample, "ebnerd_testset.zip")) as archive:
        test = archive.namelist()
    data = [n for n in small if not n.startswith("__MACOSX/") and not n.endswith("/")]
    assert sorted(data) == [
        "articles.parquet",
        "train/behaviors.parquet",
        "train/history.parquet",
        "validation/behaviors.parquet",
        "validation/history.parquet",
    ]
    assert "__MACOSX/._articles.parquet" in small
    assert all(n.startswith(("ebnerd_testset/", "__MACOSX/")) for n in test)
    assert {
        "ebnerd_testset/articles.parquet",
        "ebnerd_testset/test/behaviors.parquet",
        "ebnerd_testset/test/history.parquet",
        "ebnerd_testset/.DS_Store",
        "__MACOSX/ebnerd_testset/test/._behaviors.parquet",
    } <= set(test)


def test_ebnerd_arrow_types(sample: Path) -> None:
    train = parquet(ebnerd(sample, "ebnerd_small.zip"), "train/behaviors.parquet").schema
    test = parquet(ebnerd(sample, "ebnerd_testset.zip"), "ebnerd_testset/test/behaviors.parquet")
    history = parquet(ebnerd(sample, "ebnerd_small.zip"), "validation/history.parquet").schema
    articles = parquet(ebnerd(sample, "ebnerd_small.zip"), "articles.parquet").schema
    assert train.names == TRAIN_COLUMNS
    assert test.schema.names == TEST_COLUMNS
    types = {f.name: f.type for f in train}
    assert types["impression_id"] == pa.uint32() and types["user_id"] == pa.uint32()
    assert types["article_id"] == pa.int32()
    assert types["impression_time"] == pa.timestamp("us")
    assert types["article_ids_inview"] == pa.large_list(pa.int32())
    assert {types[c] for c in ("gender", "postcode", "age", "device_type")} == {pa.int8()}
    assert {types[c] for c in ("read_time", "scroll_percentage", "next_read_time")} == {
        pa.float32()
    }
    assert test.schema.field("is_beyond_accuracy").type == pa.bool_()
    assert history.names == [
        "user_id",
        "impression_time_fixed",
        "scroll_percentage_fixed",
        "article_id_fixed",
        "read_time_fixed",
    ]
    assert history.field("impression_time_fixed").type == pa.large_list(pa.timestamp("us"))
    assert history.field("scroll_percentage_fixed").type == pa.large_list(pa.float32())
    assert len(articles) == 21
    assert articles.field("image_ids").type == pa.large_list(pa.int64())
    assert articles.field("subcategory").type == pa.large_list(pa.int16())
    assert articles.field("category").type == pa.int16()
    assert articles.field("total_inviews").type == pa.int32()


def test_ebnerd_behaviour_quirks(sample: Path) -> None:
    articles = set(
        parquet(ebnerd(sample, "ebnerd_small.zip"), "articles.parquet")["article_id"].to_pylist()
    )
    rows = parquet(ebnerd(sample, "ebnerd_small.zip"), "train/behaviors.parquet").to_pylist()
    front = [r for r in rows if r["article_id"] is None]
    assert front and all(r["scroll_percentage"] is None for r in front)
    assert any(r["article_id"] is not None and r["scroll_percentage"] is None for r in rows)
    for row in rows:
        inview, clicked = row["article_ids_inview"], row["article_ids_clicked"]
        assert len(inview) >= 5 and len(set(inview)) == len(inview)
        assert 1 <= len(clicked) <= 2 and set(clicked) <= set(inview)
        assert set(inview) <= articles
        assert row["article_id"] is None or row["article_id"] in articles
    times = [r["impression_time"] for r in rows]
    assert times != sorted(times)
    for column in ("gender", "postcode", "age"):
        values = [r[column] for r in rows]
        assert None in values and any(v is not None for v in values)
    assert any(r["article_ids_inview"].index(r["article_ids_clicked"][0]) > 0 for r in rows)


def test_ebnerd_beyond_accuracy_rows(sample: Path) -> None:
    rows = parquet(
        ebnerd(sample, "ebnerd_testset.zip"), "ebnerd_testset/test/behaviors.parquet"
    ).to_pylist()
    catalogue = parquet(ebnerd(sample, "ebnerd_testset.zip"), "ebnerd_testset/articles.parquet")
    beyond = [r for r in rows if r["is_beyond_accuracy"]]
    regular = [r for r in rows if not r["is_beyond_accuracy"]]
    assert 1 <= len(beyond) <= 0.01 * len(rows)
    assert {r["impression_id"] for r in beyond} == {0}
    assert len({tuple(r["article_ids_inview"]) for r in beyond}) == 1
    assert len(beyond[0]["article_ids_inview"]) == min(250, catalogue.num_rows)
    assert all(r["impression_id"] != 0 for r in regular)
    assert len({r["impression_id"] for r in regular}) == len(regular)


def test_ebnerd_history_and_articles(sample: Path) -> None:
    behaviors = parquet(ebnerd(sample, "ebnerd_small.zip"), "validation/behaviors.parquet")
    history = parquet(ebnerd(sample, "ebnerd_small.zip"), "validation/history.parquet")
    assert set(history["user_id"].to_pylist()) == set(behaviors["user_id"].to_pylist())
    assert history.num_rows == len(set(history["user_id"].to_pylist()))
    window_start = min(behaviors["impression_time"].to_pylist())
    nulls = 0
    for row in history.to_pylist():
        times = row["impression_time_fixed"]
        assert len(times) >= 5
        assert times == sorted(times) and times[-1] < window_start
        lengths = {len(row[c]) for c in history.column_names if c != "user_id"}
        assert lengths == {len(times)}
        nulls += row["scroll_percentage_fixed"].count(None)
    assert nulls > 0
    articles = parquet(ebnerd(sample, "ebnerd_small.zip"), "articles.parquet")
    totals = articles["total_inviews"].to_pylist()
    assert None in totals and any(t is not None for t in totals)
    old = [
        p for p, t in zip(articles["published_time"].to_pylist(), totals, strict=True) if t is None
    ]
    assert max(old) < min(
        p for p, t in zip(articles["published_time"].to_pylist(), totals, strict=True) if t
    )
    assert articles == parquet(
        ebnerd(sample, "ebnerd_testset.zip"), "ebnerd_testset/articles.parquet"
    )


# --- Adressa quirks ------------------------------------------------------------------------


def test_adressa_daily_files_are_named_by_oslo_date(sample: Path) -> None:
    days = adressa_days(sample)
    last = date(2026, 5, 10)
    assert list(days) == [f"one_week/{last - timedelta(days=6 - i):%Y%m%d}" for i in range(7)]
    for name, lines in days.items():
        day = datetime.strptime(name.rsplit("/", 1)[1], "%Y%m%d").replace(tzinfo=UTC)
        opens = day - timedelta(hours=1)
        times = [e["time"] for e in events(lines)]
        assert (
            opens.timestamp() <= min(times) and max(times) < (opens + timedelta(days=1)).timestamp()
        )
        first = datetime.fromtimestamp(json.loads(lines[0])["time"], UTC)
        assert (first.hour, first.minute) == (23, 0) and first.date() == (
            day - timedelta(days=1)
        ).date()
        assert times != sorted(times)
    with tarfile.open(sample / "raw-download/adressa/one_week.tar.gz") as archive:
        assert archive.getmember("one_week").isdir()
    gzip.decompress((sample / "raw-download/adressa/one_week.tar.gz").read_bytes())


def test_adressa_one_bad_line_in_some_files_is_skipped_and_counted(
    sample: Path, report: dict, landed: dict[str, LoadReport]
) -> None:
    bad = report["bad_lines"]["adressa"]
    assert bad and set(bad.values()) == {1}
    assert landed["adressa"].bad_lines_skipped == bad
    days = adressa_days(sample)
    for name, lines in days.items():
        broken = len(lines) - len(events(lines))
        assert broken == bad.get(f"one_week.tar.gz :: {name}", 0)
        assert broken / len(lines) < 0.001
    assert len(bad) < len(days)


def test_adressa_events(sample: Path) -> None:
    lines = [line for day in adressa_days(sample).values() for line in day]
    parsed = events(lines)
    articles = [e for e in parsed if "id" in e]
    others = [e for e in parsed if "id" not in e]
    assert others and any(e["url"] == "http://adressa.no" for e in others)
    assert all(set(e) >= {"eventId", "time", "userId", "url"} for e in parsed)
    assert any("\\u00" in line for line in lines)
    titles: dict[str, set] = {}
    for event in articles:
        assert re.fullmatch(r"[0-9a-f]{40}", event["id"])
        assert event["url"].endswith(".ece") and event["canonicalUrl"].startswith("http://www.")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", event["publishtime"])
        assert event["publishtime"] < datetime.fromtimestamp(event["time"], UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
        groups = {g["group"] for item in event["profile"] for g in item["groups"]}
        assert {"taxonomy", "category", "pageclass"} <= groups
        titles.setdefault(event["id"], set()).add((event["title"], event["publishtime"]))
    assert all(len(v) == 1 for v in titles.values())
    assert any(not e["title"].isascii() for e in articles)
    for key in ("category1", "activeTime", "city", "referrerUrl", "author"):
        present = sum(key in e for e in articles)
        assert 0 < present < len(articles), key
    assert any("|" in e["category1"] for e in articles if "category1" in e)
    pairs = [(e["userId"], e["id"]) for e in articles]
    assert len(set(pairs)) < len(pairs)


def test_write_adressa_day_matches_the_archive_and_lands(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "raw-download/adressa/extra"
    folder.mkdir(parents=True)
    counts = write_adressa_day(folder, date(2026, 5, 9), scale=1, seed=0)
    written = (folder / "20260509").read_bytes().decode("ascii").splitlines()
    assert written == adressa_days(sample)["one_week/20260509"]
    views = sum(1 for event in events(written) if "id" in event)
    assert counts["impressions"] == counts["candidates"] == counts["clicks"] == views
    landed = run_publisher("adressa", Layout.at(tmp_path))
    got = lake(
        tmp_path,
        "adressa",
        "events",
        "select count(*) filter (where id is not null), count(distinct id), "
        "count(distinct user_id) filter (where id is not null) from ROWS",
    )
    assert got == (counts["impressions"], counts["articles"], counts["users"])
    assert sum(landed.bad_lines_skipped.values()) == counts["bad_lines"]


# --- small parts ---------------------------------------------------------------------------


def test_end_defaults_to_now_truncated_to_the_hour() -> None:
    end = resolve_end(None)
    now = datetime.now(UTC)
    assert end.tzinfo == UTC and (end.minute, end.second, end.microsecond) == (0, 0, 0)
    assert timedelta(0) <= now - end < timedelta(hours=1, minutes=1)
    assert resolve_end(datetime(2026, 1, 1, 1, 30)) == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)


def test_cli_writes_into_the_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["--scale", "0.05", "--seed", "3", "--end", "2026-01-02T03:00:00"]
    assert main([*args, "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "sample scale 0.05: 6 files written in" in err  # progress: on stderr, plain text
    assert "\x1b" not in err
    report = json.loads((tmp_path / "sample-report.json").read_text(encoding="utf-8"))
    assert report["end"] == "2026-01-02T03:00:00+00:00" and report["seed"] == 3
    assert "one_week.tar.gz" in out and str(tmp_path) in out
    assert (tmp_path / "raw-download/mind/MINDsmall_train.zip").is_file()


def test_lines_made_out_of_order_are_written_in_key_order() -> None:
    """A day's lines can exceed 2 GiB: reordering them gathers into 64-bit offsets."""
    con = connect(seed=0)
    query = "select k::varchar || chr(10) as line, k from range(5) t(k) order by k desc"
    assert b"".join(text(con, query, order_by="k")) == b"0\n1\n2\n3\n4\n"
