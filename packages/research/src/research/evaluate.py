"""MIND's official metrics for a submission, computed as MIND's `evaluate.py` computes them, from
its definitions.

A submission has one line per impression of the truth file, in the same order: `impid
[r1,r2,...]`, the rank of each candidate in the order shown (no spaces inside the list). Each
candidate scores 1 / rank. Per impression:

- AUC: sklearn's `roc_auc_score` on those scores, the share of (clicked, not clicked) pairs
  ordered right, a tie counting one half;
- MRR: the candidates sorted by score (`np.argsort(score)[::-1]`), the sum of label / position
  divided by the number of clicks;
- nDCG@k: gains 2^label - 1 discounted by log2(position + 1) over the first k of that order,
  divided by the same over the labels sorted best first.

Each metric is the mean over impressions. Where a submission ties ranks, the later candidate
comes first, which is what `np.argsort(...)[::-1]` gives wherever numpy's sort is stable (always
for impressions of up to 16 candidates). Two things evaluate.py leaves undefined are made
explicit: an impression with no click or with every candidate clicked has no AUC (sklearn fails
or returns NaN there), so it is skipped and counted; an unlabeled truth line (a test release) is
skipped and counted, as evaluate.py skips it. Like evaluate.py, a prediction file that ends early
scores the rest as all ties (every rank 1); that is counted too.

The truth is an exported `behaviors.tsv` (labels from the `-1`/`-0` tokens), an export's zip, or
evaluate.py's own `truth.txt` (`impid [l1,l2,...]`). Both files are read line by line and scored
in chunks of impressions with numpy, so memory does not grow with their size.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

CHUNK_CANDIDATES = 1_000_000
TRUTH_MEMBERS = ("behaviors.tsv", "truth.txt")


class SubmissionError(ValueError):
    """A truth or prediction file that cannot be scored: names the file and the line."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = path.name if line is None else f"{path.name}, line {line}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Scores:
    """The four metrics (NaN when no impression could be scored) and what was not scored."""

    auc: float
    mrr: float
    ndcg_5: float
    ndcg_10: float
    impressions_scored: int
    impressions_skipped: int
    impressions_unlabeled: int
    predictions_missing: int

    def to_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Scorer:
    """Impressions in, sums of the per-impression metrics out, a chunk at a time."""

    labels: list[float] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    sums: np.ndarray = field(default_factory=lambda: np.zeros(4))
    scored: int = 0
    skipped: int = 0

    def add(self, labels: list[int], ranks: list[float]) -> None:
        self.labels.extend(labels)
        self.scores.extend(1.0 / rank for rank in ranks)
        self.lengths.append(len(labels))
        if len(self.labels) >= CHUNK_CANDIDATES:
            self.flush()

    def flush(self) -> None:
        if not self.lengths:
            return
        metrics, valid = chunk_metrics(
            np.asarray(self.labels, dtype=np.float64),
            np.asarray(self.scores, dtype=np.float64),
            np.asarray(self.lengths, dtype=np.int64),
        )
        self.sums += metrics[:, valid].sum(axis=1)
        self.scored += int(valid.sum())
        self.skipped += int((~valid).sum())
        self.labels, self.scores, self.lengths = [], [], []

    def means(self) -> list[float]:
        self.flush()
        if not self.scored:
            return [math.nan] * 4
        return [float(total / self.scored) for total in self.sums]


def chunk_metrics(
    labels: np.ndarray, scores: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """AUC, MRR, nDCG@5 and nDCG@10 (rows) of each impression (columns) of a chunk: the
    impressions' labels and scores back to back, `lengths` candidates each. Also which
    impressions have an AUC (at least one click and one candidate not clicked)."""
    count = len(lengths)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    group = np.repeat(np.arange(count), lengths)
    index = np.arange(len(labels)) - starts[group]
    clicks = np.bincount(group, weights=labels, minlength=count)
    negatives = lengths - clicks
    valid = (clicks > 0) & (negatives > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = (
            _positive_rank_sums(labels, scores, group, starts, count) - clicks * (clicks + 1) / 2
        ) / (clicks * negatives)
        # evaluate.py's order: np.argsort(score)[::-1], i.e. score descending, ties later first
        order = np.lexsort((-index, -scores, group))
        position = np.arange(len(labels)) - starts[group[order]] + 1
        ranked = labels[order]
        mrr = np.bincount(group[order], weights=ranked / position, minlength=count) / clicks
        ideal = np.lexsort((-labels, group))
        ideal_position = np.arange(len(labels)) - starts[group[ideal]] + 1
        ndcg = [
            _dcg(ranked, position, group[order], k, count)
            / _dcg(labels[ideal], ideal_position, group[ideal], k, count)
            for k in (5, 10)
        ]
    return np.vstack([auc, mrr, *ndcg]), valid


def _positive_rank_sums(
    labels: np.ndarray, scores: np.ndarray, group: np.ndarray, starts: np.ndarray, count: int
) -> np.ndarray:
    """Per impression, the sum over clicked candidates of their rank among its scores
    (ascending, 1-based, tied scores sharing their mean rank): the Mann-Whitney statistic."""
    order = np.lexsort((scores, group))
    sorted_group, sorted_scores = group[order], scores[order]
    new_run = np.ones(len(order), dtype=bool)
    new_run[1:] = (sorted_group[1:] != sorted_group[:-1]) | (
        sorted_scores[1:] != sorted_scores[:-1]
    )
    run = np.cumsum(new_run) - 1
    run_first = np.flatnonzero(new_run)
    run_last = np.append(run_first[1:], len(order)) - 1
    offset = np.arange(len(order)) - starts[sorted_group]
    first, last = offset[run_first[run]], offset[run_last[run]]
    mean_rank = (first + last) / 2 + 1
    return np.bincount(sorted_group, weights=mean_rank * labels[order], minlength=count)


def _dcg(
    labels: np.ndarray, position: np.ndarray, group: np.ndarray, k: int, count: int
) -> np.ndarray:
    gains = (2**labels - 1) * (position <= k) / np.log2(position + 1)
    return np.bincount(group, weights=gains, minlength=count)


def score_files(truth: Path, prediction: Path) -> Scores:
    """Score `prediction` against `truth`, line by line as evaluate.py does."""
    scorer = Scorer()
    unlabeled = missing = 0
    with _lines(truth, TRUTH_MEMBERS) as truth_lines, _lines(prediction, None) as predicted:
        for number, line in enumerate(truth_lines, start=1):
            impid, labels = parse_truth(truth, number, line)
            submitted = predicted.readline()
            if labels is None:
                unlabeled += 1
                continue
            if submitted == "":
                # evaluate.py: a submission that has ended scores every candidate rank 1
                missing += 1
                scorer.add(labels, [1.0] * len(labels))
                continue
            sub_impid, ranks = parse_prediction(prediction, number, submitted)
            if sub_impid != impid:
                raise SubmissionError(
                    prediction, number, f"impression {sub_impid}, but the truth has {impid} here"
                )
            if len(ranks) != len(labels):
                raise SubmissionError(
                    prediction,
                    number,
                    f"impression {impid} has {len(labels)} candidates, the prediction ranks "
                    f"{len(ranks)}",
                )
            scorer.add(labels, ranks)
    auc, mrr, ndcg_5, ndcg_10 = scorer.means()
    return Scores(auc, mrr, ndcg_5, ndcg_10, scorer.scored, scorer.skipped, unlabeled, missing)


def parse_truth(path: Path, number: int, line: str) -> tuple[str, list[int] | None]:
    """An impression id and its labels (None where unlabeled), from a behaviors.tsv line or a
    truth.txt line."""
    line = line.rstrip("\n")
    if "\t" in line:
        fields = line.split("\t")
        if len(fields) != 5:
            raise SubmissionError(
                path, number, f"expected 5 tab-separated fields, got {len(fields)}"
            )
        return fields[0], _token_labels(path, number, fields[4].split())
    fields = line.split()
    if len(fields) != 2:
        raise SubmissionError(path, number, "expected `impid [l1,l2,...]`")
    labels = _json_list(path, number, fields[1])
    if not labels:
        return fields[0], None
    if any(label not in (0, 1) or isinstance(label, bool) for label in labels):
        raise SubmissionError(path, number, "labels must be 0 or 1")
    return fields[0], [int(label) for label in labels]


def _token_labels(path: Path, number: int, tokens: list[str]) -> list[int] | None:
    labels = []
    bare = 0
    for token in tokens:
        _, dash, label = token.rpartition("-")
        if not dash:
            bare += 1
        elif label in ("0", "1"):
            labels.append(int(label))
        else:
            raise SubmissionError(path, number, f"candidate {token!r}: the label must be 0 or 1")
    if bare and labels:
        raise SubmissionError(path, number, "some candidates are labeled, some are not")
    if not tokens:
        raise SubmissionError(path, number, "an impression without candidates")
    return labels or None


def parse_prediction(path: Path, number: int, line: str) -> tuple[str, list[float]]:
    fields = line.rstrip("\n").split()
    if len(fields) != 2:
        raise SubmissionError(
            path, number, "expected `impid [r1,r2,...]` with no spaces in the list"
        )
    ranks = _json_list(path, number, fields[1])
    for rank in ranks:
        if isinstance(rank, bool) or not isinstance(rank, int | float) or not rank >= 1:
            raise SubmissionError(path, number, f"rank {rank!r}: ranks are numbers from 1")
    return fields[0], ranks


def _json_list(path: Path, number: int, text: str) -> list:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SubmissionError(path, number, f"not a JSON list: {error.msg}") from None
    if not isinstance(value, list):
        raise SubmissionError(path, number, "not a JSON list")
    return value


@contextmanager
def _lines(path: Path, members: tuple[str, ...] | None) -> Iterator[IO[str]]:
    """A text stream of `path`, or of the member of a zip: the first of `members` present, or
    for a submission the zip's only text file (`prediction.zip` holds `prediction.txt`)."""
    if not path.is_file():
        raise SubmissionError(path, None, "no such file")
    if not zipfile.is_zipfile(path):
        with path.open(encoding="utf-8", newline="") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        if members is None:
            found = [n for n in names if n.endswith(".txt")]
            if len(found) != 1:
                raise SubmissionError(path, None, "a submission zip holds exactly one .txt file")
        else:
            found = [n for n in names if Path(n).name in members][:1]
            if not found:
                raise SubmissionError(path, None, f"no {' or '.join(members)} in the archive")
        with archive.open(found[0]) as member:
            yield io.TextIOWrapper(member, encoding="utf-8", newline="")
