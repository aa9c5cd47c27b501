"""The leaderboard (`research.benchmark_leaderboard`) as a Markdown table."""

from __future__ import annotations

import duckdb

HEADER = (
    "| publisher | dataset | split | baseline | scored | skipped | AUC | MRR | nDCG@5 | nDCG@10 |",
    "|---|---|---|---|--:|--:|--:|--:|--:|--:|",
)
SQL = """
select publisher, dataset, split, model, impressions_scored, impressions_skipped,
    auc, mrr, ndcg_5, ndcg_10
from research.benchmark_leaderboard
order by
    publisher,
    list_position(['train', 'validation', 'test'], split),
    dataset,
    list_position(['random', 'popular', 'recent', 'decayed'], model)
"""


def markdown(con: duckdb.DuckDBPyConnection) -> str:
    lines = list(HEADER)
    for publisher, dataset, split, model, scored, skipped, *metrics in con.execute(SQL).fetchall():
        values = " | ".join("" if m is None else f"{m:.4f}" for m in metrics)
        lines.append(
            f"| {publisher} | {dataset} | {split} | {model} | {scored:,} | {skipped:,} | {values} |"
        )
    return "\n".join(lines) + "\n"
