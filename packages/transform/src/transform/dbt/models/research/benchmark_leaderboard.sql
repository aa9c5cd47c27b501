-- Every baseline on every labeled split of every publisher: impressions scored, impressions
-- skipped (no click, or every candidate clicked: AUC is undefined there), and AUC, MRR, nDCG@5 and
-- nDCG@10 averaged over the scored impressions, as MIND's evaluate.py averages them.
with

metrics as (

    select * from {{ ref('benchmark_impression_metrics') }}

),

averaged as (

    select
        publisher,
        dataset,
        split,
        model,
        count(*) filter (where scored) as impressions_scored,
        count(*) filter (where not scored) as impressions_skipped,
        count(*) filter (where clicks = 0) as impressions_without_click,
        count(*) filter (where clicks = candidates) as impressions_all_clicked,
        avg(auc) as auc,
        avg(mrr) as mrr,
        avg(ndcg_5) as ndcg_5,
        avg(ndcg_10) as ndcg_10

    from metrics
    group by publisher, dataset, split, model

)

select * from averaged
