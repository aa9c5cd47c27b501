"""`newsrec-evaluate` scores as MIND's evaluate.py does: hand-computed impressions, a reference
written line for line from evaluate.py's definitions on random impressions with ties, and every
kind of bad input refused with its file and line."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pytest
from research import evaluate
from research.cli import evaluate_main
from research.evaluate import SubmissionError, score_files

LOG2_3 = math.log2(3)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def behaviors_line(impid: str, labels: list[int] | None, ids: list[str] | None = None) -> str:
    ids = ids or [f"N{i}" for i in range(len(labels or []))]
    tokens = (
        ids if labels is None else [f"{n}-{label}" for n, label in zip(ids, labels, strict=True)]
    )
    return f"{impid}\tU1\t11/9/2019 12:05:01 AM\tN90 N91\t{' '.join(tokens)}"


def prediction_line(impid: str, ranks: list[int]) -> str:
    return f"{impid} [{','.join(str(r) for r in ranks)}]"


def test_one_click(tmp_path: Path) -> None:
    # the click is ranked second of four: above two of the three others
    truth = write(tmp_path / "behaviors.tsv", [behaviors_line("7", [0, 1, 0, 0])])
    prediction = write(tmp_path / "prediction.txt", [prediction_line("7", [1, 2, 3, 4])])
    scores = score_files(truth, prediction)
    assert scores.auc == pytest.approx(2 / 3)
    assert scores.mrr == pytest.approx(1 / 2)
    assert scores.ndcg_5 == pytest.approx(1 / LOG2_3)
    assert scores.ndcg_10 == pytest.approx(1 / LOG2_3)
    assert (scores.impressions_scored, scores.impressions_skipped) == (1, 0)


def test_several_clicks(tmp_path: Path) -> None:
    # ranks 3,1,2,5,4: the clicks (positions 0 and 2) come second and third
    truth = write(tmp_path / "behaviors.tsv", [behaviors_line("1", [1, 0, 1, 0, 0])])
    prediction = write(tmp_path / "prediction.txt", [prediction_line("1", [3, 1, 2, 5, 4])])
    scores = score_files(truth, prediction)
    assert scores.auc == pytest.approx(4 / 6)
    assert scores.mrr == pytest.approx((1 / 2 + 1 / 3) / 2)  # normalised by the two clicks
    ideal = 1 + 1 / LOG2_3
    assert scores.ndcg_5 == pytest.approx((1 / LOG2_3 + 1 / 2) / ideal)
    assert scores.ndcg_10 == pytest.approx((1 / LOG2_3 + 1 / 2) / ideal)


def test_ties_count_half_in_auc_and_put_the_later_candidate_first(tmp_path: Path) -> None:
    # the click ties the first negative: half a pair right for AUC; for MRR and nDCG the later
    # of the tied candidates comes first (np.argsort(score)[::-1]), so the click is second
    truth = write(tmp_path / "behaviors.tsv", [behaviors_line("1", [1, 0, 0])])
    prediction = write(tmp_path / "prediction.txt", [prediction_line("1", [1, 1, 2])])
    scores = score_files(truth, prediction)
    assert scores.auc == pytest.approx((0.5 + 1) / 2)
    assert scores.mrr == pytest.approx(1 / 2)
    assert scores.ndcg_5 == pytest.approx(1 / LOG2_3)


def test_all_clicked_and_none_clicked_are_skipped_and_counted(tmp_path: Path) -> None:
    truth = write(
        tmp_path / "behaviors.tsv",
        [
            behaviors_line("1", [1, 1]),
            behaviors_line("2", [0, 1, 0, 0]),
            behaviors_line("3", [0, 0, 0]),
            behaviors_line("4", None, ["N1", "N2"]),
        ],
    )
    prediction = write(
        tmp_path / "prediction.txt",
        [
            prediction_line("1", [2, 1]),
            prediction_line("2", [1, 2, 3, 4]),
            prediction_line("3", [1, 2, 3]),
            prediction_line("4", [1, 2]),
        ],
    )
    scores = score_files(truth, prediction)
    assert (scores.impressions_scored, scores.impressions_skipped) == (1, 2)
    assert scores.impressions_unlabeled == 1
    assert scores.auc == pytest.approx(2 / 3)  # the one scored impression alone


def test_no_scored_impression_gives_nan(tmp_path: Path) -> None:
    truth = write(tmp_path / "behaviors.tsv", [behaviors_line("1", [1, 1])])
    prediction = write(tmp_path / "prediction.txt", [prediction_line("1", [1, 2])])
    scores = score_files(truth, prediction)
    assert math.isnan(scores.auc) and scores.impressions_skipped == 1


def test_means_over_impressions_and_evaluate_py_truth_format(tmp_path: Path) -> None:
    truth = write(tmp_path / "truth.txt", ["1 [0,1,0,0]", "2 [1,0,0]", "3 []"])
    prediction = write(
        tmp_path / "prediction.txt",
        [prediction_line("1", [1, 2, 3, 4]), prediction_line("2", [1, 2, 3]), "3 [1,2]"],
    )
    scores = score_files(truth, prediction)
    assert scores.auc == pytest.approx((2 / 3 + 1) / 2)
    assert scores.mrr == pytest.approx((1 / 2 + 1) / 2)
    assert scores.ndcg_10 == pytest.approx((1 / LOG2_3 + 1) / 2)
    assert scores.impressions_unlabeled == 1


def test_a_prediction_that_ends_early_scores_the_rest_as_ties(tmp_path: Path) -> None:
    # evaluate.py fills the missing lines with rank 1 for every candidate
    truth = write(
        tmp_path / "behaviors.tsv", [behaviors_line("1", [0, 1]), behaviors_line("2", [1, 0])]
    )
    prediction = write(tmp_path / "prediction.txt", [prediction_line("1", [2, 1])])
    scores = score_files(truth, prediction)
    assert scores.predictions_missing == 1
    assert scores.auc == pytest.approx((1 + 0.5) / 2)
    # all tied: the later candidate (not clicked) first, the click second
    assert scores.mrr == pytest.approx((1 + 1 / 2) / 2)


def test_zipped_truth_and_submission(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "MINDsmall_dev.zip", "w") as archive:
        archive.writestr("news.tsv", "N1\tnews\t\t\t\t\t\t\n")
        archive.writestr("behaviors.tsv", behaviors_line("1", [0, 1, 0, 0]) + "\n")
    with zipfile.ZipFile(tmp_path / "prediction.zip", "w") as archive:
        archive.writestr("prediction.txt", prediction_line("1", [1, 2, 3, 4]) + "\n")
    scores = score_files(tmp_path / "MINDsmall_dev.zip", tmp_path / "prediction.zip")
    assert scores.auc == pytest.approx(2 / 3)


def reference(labels: np.ndarray, ranks: np.ndarray) -> tuple[float, float, float, float]:
    """evaluate.py's functions, with a stable sort (so ties are deterministic) and the pairwise
    definition of AUC in place of sklearn's."""
    y_true = labels.astype("float32")
    y_score = 1.0 / ranks

    def dcg(y_true: np.ndarray, y_score: np.ndarray, k: int) -> float:
        order = np.argsort(y_score, kind="stable")[::-1]
        gains = 2 ** np.take(y_true, order[:k]) - 1
        return float(np.sum(gains / np.log2(np.arange(len(gains)) + 2)))

    order = np.argsort(y_score, kind="stable")[::-1]
    mrr = float(np.sum(np.take(y_true, order) / (np.arange(len(y_true)) + 1)) / np.sum(y_true))
    positives, negatives = y_score[y_true == 1], y_score[y_true == 0]
    pairs = [(p > n) + 0.5 * (p == n) for p in positives for n in negatives]
    auc = float(np.mean(pairs))
    ndcg = [dcg(y_true, y_score, k) / dcg(y_true, y_true, k) for k in (5, 10)]
    return auc, mrr, *ndcg


def test_random_impressions_match_evaluate_py_definitions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hundreds of impressions of 2-40 candidates, some ranks tied, scored in several chunks."""
    monkeypatch.setattr(evaluate, "CHUNK_CANDIDATES", 500)
    rng = np.random.default_rng(3)
    truth_lines, prediction_lines, expected = [], [], []
    for impid in range(400):
        size = int(rng.integers(2, 41))
        labels = (rng.random(size) < 0.2).astype(int)
        labels[rng.integers(size)] = 1
        ranks = rng.permutation(size) + 1
        if impid % 3 == 0:  # ties: several candidates share a rank
            ranks = np.minimum(ranks, int(rng.integers(1, size + 1)))
        truth_lines.append(behaviors_line(str(impid), labels.tolist()))
        prediction_lines.append(prediction_line(str(impid), ranks.tolist()))
        if 0 < labels.sum() < size:
            expected.append(reference(labels, ranks.astype(float)))
    scores = score_files(
        write(tmp_path / "behaviors.tsv", truth_lines),
        write(tmp_path / "prediction.txt", prediction_lines),
    )
    means = np.mean(np.array(expected), axis=0)
    assert scores.impressions_scored == len(expected)
    assert scores.impressions_scored + scores.impressions_skipped == 400
    for got, want in zip(
        [scores.auc, scores.mrr, scores.ndcg_5, scores.ndcg_10], means, strict=True
    ):
        assert abs(got - want) < 1e-12


@pytest.mark.parametrize(
    ("prediction", "message"),
    [
        (["2 [1,2]"], "prediction.txt, line 1: impression 2, but the truth has 1 here"),
        (
            ["1 [1,2,3]"],
            "prediction.txt, line 1: impression 1 has 2 candidates, the prediction ranks 3",
        ),
        (["1 [1, 2]"], "prediction.txt, line 1: expected `impid [r1,r2,...]` with no spaces"),
        (["1 [0,1]"], "prediction.txt, line 1: rank 0: ranks are numbers from 1"),
        (["1 [1,true]"], "prediction.txt, line 1: rank True: ranks are numbers from 1"),
        (["1 {1,2}"], "prediction.txt, line 1: not a JSON list"),
    ],
)
def test_bad_predictions_are_refused_with_their_line(
    tmp_path: Path, prediction: list[str], message: str
) -> None:
    truth = write(tmp_path / "behaviors.tsv", [behaviors_line("1", [0, 1])])
    with pytest.raises(SubmissionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        score_files(truth, write(tmp_path / "prediction.txt", prediction))


@pytest.mark.parametrize(
    ("truth", "message"),
    [
        (
            ["1\tU1\t11/9/2019 12:05:01 AM\tN1-1 N2-0"],
            "line 1: expected 5 tab-separated fields, got 4",
        ),
        ([behaviors_line("1", None, ["N1-1", "N2"])], "line 1: some candidates are labeled"),
        ([behaviors_line("1", None, ["N1-2", "N2-0"])], "line 1: candidate 'N1-2': the label"),
        (["1 [0,2]"], "line 1: labels must be 0 or 1"),
    ],
)
def test_bad_truth_is_refused_with_its_line(tmp_path: Path, truth: list[str], message: str) -> None:
    prediction = write(tmp_path / "prediction.txt", ["1 [1,2]"])
    with pytest.raises(SubmissionError, match=message):
        score_files(write(tmp_path / "truth", truth), prediction)


def test_the_command_prints_the_metrics_and_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = write(
        tmp_path / "behaviors.tsv", [behaviors_line("1", [0, 1, 0, 0]), behaviors_line("2", [1, 1])]
    )
    prediction = write(
        tmp_path / "prediction.txt",
        [prediction_line("1", [1, 2, 3, 4]), prediction_line("2", [1, 2])],
    )
    assert evaluate_main([str(truth), str(prediction)]) == 0
    out = capsys.readouterr().out
    assert "AUC      0.666667" in out
    assert "impressions scored 1; skipped 1" in out
    assert evaluate_main([str(truth), str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt: no such file" in capsys.readouterr().err
