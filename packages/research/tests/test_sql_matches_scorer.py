"""The leaderboard computed in SQL equals `newsrec-evaluate` on the same rankings: each baseline's
ranks written as a MIND submission and scored against the exported truth agree with the
leaderboard to 1e-9, on every labeled split of every publisher."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import query
from research.cli import leaderboard_main
from research.evaluate import score_files
from research.export import BASELINES, export
from research.splits import Split


@pytest.fixture(scope="module")
def exported(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    to = tmp_path_factory.mktemp("exports")
    export(warehouse, to, fmt="mind")
    export(warehouse, to, fmt="predictions")
    return to


def test_every_leaderboard_row_is_what_the_file_scorer_gives(
    warehouse: Path, exported: Path
) -> None:
    rows = query(
        warehouse,
        "select publisher, dataset, split, model, impressions_scored, impressions_skipped, "
        "auc, mrr, ndcg_5, ndcg_10 from research.benchmark_leaderboard",
    )
    stems = {p.name for p in (exported / "predictions").iterdir()}
    assert len(rows) == len(stems) * len(BASELINES) == 7 * 4
    for publisher, dataset, split, model, scored, skipped, *metrics in rows:
        stem = Split(publisher, dataset, split, True, scored, split_number=0).stem
        assert stem in stems
        scores = score_files(
            exported / "mind" / f"{stem}.zip", exported / "predictions" / stem / f"{model}.txt"
        )
        assert (scores.impressions_scored, scores.impressions_skipped) == (scored, skipped)
        assert scores.predictions_missing == scores.impressions_unlabeled == 0
        for ours, theirs in zip(
            metrics, [scores.auc, scores.mrr, scores.ndcg_5, scores.ndcg_10], strict=True
        ):
            assert abs(ours - theirs) < 1e-9, (stem, model)
    # the baselines are not all alike: the leaderboard separates them
    aucs = {model: auc for _, dataset, _, model, _, _, auc, *_ in rows if dataset == "one_week"}
    assert max(aucs.values()) - min(aucs.values()) > 0.05


def test_the_leaderboard_command_prints_every_row_as_markdown(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert leaderboard_main(["--warehouse", str(warehouse)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| publisher | dataset | split | baseline | scored | skipped | AUC")
    rows = [line.split(" | ") for line in lines[2:]]
    assert len(rows) == 28
    (auc,) = query(
        warehouse,
        "select auc from research.benchmark_leaderboard "
        "where dataset = 'MINDsmall_dev' and model = 'popular'",
    )[0]
    assert ["| mind", "MINDsmall_dev", "validation", "popular"] in [row[:4] for row in rows]
    row = next(r for r in rows if r[1] == "MINDsmall_dev" and r[3] == "popular")
    assert row[6] == f"{auc:.4f}"
