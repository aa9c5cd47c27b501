-- Every baseline on every labeled split of every publisher: impressions scored, impressions
-- skipped (no click, or every candidate clicked: AUC is undefined there), and AUC, MRR, nDCG@5 and
-- nDCG@10 averaged over the scored impressions, as MIND's evaluate.py averages them.
{%- set models = baselines() %}
{%- set rebuilt = rebuilt_publishers() %}
with

metrics as (

    select * from {{ ref('benchmark_impression_metrics') }}
    where {{ rebuilt_filter(rebuilt) }}

),

splits as (

    select
        publisher,
        dataset,
        split,
        impressions
    from {{ ref('benchmark_splits') }}
    where is_labeled and {{ rebuilt_filter(rebuilt) }}

),

averaged as (

    select
        publisher,
        dataset,
        split,
        model,
        count(*) as impressions_with_click,
        count(*) filter (where scored) as impressions_scored,
        count(*) filter (where not scored) as impressions_all_clicked,
        avg(auc) as auc,
        avg(mrr) as mrr,
        avg(ndcg_5) as ndcg_5,
        avg(ndcg_10) as ndcg_10

    from metrics
    group by publisher, dataset, split, model

),

counted as (

    -- every labeled split has a row per baseline; its impressions without a click have no row
    -- in the metrics (nothing clicked to rank): they are the split's others
    select
        splits.publisher,
        splits.dataset,
        splits.split,
        models.model,
        coalesce(averaged.impressions_scored, 0) as impressions_scored,
        splits.impressions - coalesce(averaged.impressions_scored, 0) as impressions_skipped,
        splits.impressions - coalesce(averaged.impressions_with_click, 0)
            as impressions_without_click,
        coalesce(averaged.impressions_all_clicked, 0) as impressions_all_clicked,
        averaged.auc,
        averaged.mrr,
        averaged.ndcg_5,
        averaged.ndcg_10

    from splits
    cross join (
        values
        {%- for model in models %}
            ('{{ model }}'){{ "," if not loop.last }}
        {%- endfor %}
    ) as models (model)
    left join averaged
        on splits.publisher = averaged.publisher
        and splits.dataset = averaged.dataset
        and splits.split = averaged.split
        and models.model = averaged.model
    where splits.impressions > 0

)

select * from counted
