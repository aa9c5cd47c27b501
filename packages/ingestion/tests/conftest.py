"""Builders for small, format-faithful downloads, and a reader for the visible lake rows."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import duckdb
import pytest
from ingestion import Layout, install_lake_rules
from sample import EBNERD_BENCHMARK_ROWS

FIXTURES = EBNERD_BENCHMARK_ROWS


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An empty data directory with the three landing folders."""
    for publisher in ("ebnerd", "adressa", "mind"):
        (tmp_path / "raw-download" / publisher).mkdir(parents=True)
    return tmp_path


def visible(
    base: Path, publisher: str, table: str, columns: str = "*", grouped: bool = False
) -> list[tuple]:
    """Visible rows of a raw table, sorted; `grouped` adds `group by all` for aggregates."""
    con = install_lake_rules(duckdb.connect(), Layout.at(base))
    dataset = [f"raw_{publisher}", table]
    if not con.execute("select lake_table_ready(?, ?)", dataset).fetchall()[0][0]:
        return []
    group = "group by all" if grouped else ""
    query = f"select {columns} from lake_visible_rows(?, ?) {group} order by all"
    return con.execute(query, dataset).fetchall()


def write_zip(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.comment = path.name.encode()  # the same members under two names: not a copy
        for name, payload in members.items():
            archive.writestr(name, payload)
    return path


def write_tar(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return path


MIND_BEHAVIORS = (
    "1\tU13740\t11/11/2019 9:05:58 AM\tN55189 N42782\tN55689-1 N35729-0\n"
    "2\tU91836\t11/12/2019 12:11:30 AM\t\tN20678-0 N39317-0 N58114-1\n"
    "3\tU73700\t11/14/2019 12:46:01 PM\tN10732\tN50014-0\n"
)
MIND_TEST_BEHAVIORS = "1\tU1\t11/16/2019 1:01:01 PM\tN1\tN10 N11 N12\n"
MIND_NEWS = (
    'N55528\tlifestyle\tlifestyleroyals\tThe "Brands" Queen Elizabeth\tShop the notebooks\t'
    'https://assets.msn.com/labs/mind/AAGH0ET.html\t[{"Label": "Prince Philip", "Type": "P", '
    '"WikidataId": "Q80976", "Confidence": 1.0, "OccurrenceOffsets": [48], '
    '"SurfaceForms": ["Prince Philip"]}]\t[]\n'
    "N19639\thealth\tweightloss\t50 Worst Habits\t\thttps://assets.msn.com/labs/mind/AAB19MK.html"
    "\t[]\t[]\n"
)


def mind_vectors(ids: list[str]) -> bytes:
    lines = ["\t".join([i, *(f"{k / 1000:.6f}" for k in range(100))]) + "\t" for i in ids]
    return ("\n".join(lines) + "\n").encode()


def mind_zip(folder: Path, name: str, behaviors: str = MIND_BEHAVIORS) -> Path:
    members = {
        "behaviors.tsv": behaviors.encode(),
        "news.tsv": MIND_NEWS.encode(),
        "entity_embedding.vec": mind_vectors(["Q80976", "Q43274"]),
        "relation_embedding.vec": mind_vectors(["P31"]),
    }
    if "large" in name:
        members["__placeholder__"] = b""
    return write_zip(folder / name, members)


def adressa_event(event_id: int, article: bool, **extra: object) -> dict:
    event: dict[str, object] = {
        "eventId": event_id,
        "time": 1483225202 + event_id,
        "userId": f"cx:{event_id % 7}:z9xm",
        "url": "http://adressa.no",
        "sessionStart": False,
        "deviceType": "Mobile",
    }
    if article:
        event.update(
            id="9f3999bd1a1a8d67bcb073ad54840f15cb30f014",
            title="Nyttårsbilder",
            url="http://adressa.no/nyheter/2016/12/31/a.ece",
            publishtime="2016-12-31T17:13:57.000Z",
            author=["norunn bergesen"],
            profile=[
                {
                    "item": "nyheter/trondheim",
                    "groups": [{"count": 1, "group": "taxonomy", "weight": 0.5}],
                },
            ],
        )
    event.update(extra)
    return event


def adressa_day(events: list[dict], bad: list[str] = ()) -> bytes:
    lines = [json.dumps(e) for e in events] + list(bad)
    return ("\n".join(lines) + "\n").encode()
