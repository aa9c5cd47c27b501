{#
  Each baseline's metrics on each impression of the labeled splits, defined as MIND's evaluate.py
  defines them on a ranking (it scores candidate i by 1 / rank_i):
    AUC     the share of (clicked, not clicked) pairs the ranking orders correctly
    MRR     sum over clicked candidates of 1 / rank, divided by the number of clicks
    nDCG@k  sum over clicked candidates ranked <= k of 1 / log2(rank + 1), over the ideal DCG@k
  A candidate's rank is 1 + the candidates ranked above it (`ranks_above`: ties broken by the
  random score, then by position). Only the clicked candidates' ranks are needed, so each is
  counted against its impression's candidates in one join, for all baselines at once, instead of
  sorting every impression four times. One row per model and impression with a click (an
  impression without one has no clicked candidate to rank; the leaderboard counts those from
  `benchmark_splits`). An impression with every candidate clicked has no AUC (evaluate.py's
  sklearn call fails or gives NaN there): it is `scored = false`, its metrics are null and the
  leaderboard counts it as skipped.
#}
{{ config(materialized='view') }}
{%- set models = baselines() -%}

with

scores as {{ not_materialized() }} (

    -- read twice and not stored in between (it is every candidate): the read of the clicked
    -- candidates only filters its sources down to them
    select * from {{ ref('benchmark_baseline_scores') }}

),

clicked as (

    select * from scores
    where clicked

),

clicked_ranks as (

    select
        clicked.split_number,
        clicked.impression_number,
        count(*) as candidates,
        count(*) filter (where candidate.clicked) as clicks,
    {%- for model in models %}
        1 + count(*) filter (
            where {{ ranks_above('candidate', 'clicked', 'score_' ~ model) }}
        ) as rank_{{ model }}{{ "," if not loop.last }}
    {%- endfor %}

    from clicked
    inner join scores as candidate
        on clicked.split_number = candidate.split_number
        and clicked.impression_number = candidate.impression_number
    group by clicked.split_number, clicked.impression_number, clicked.position

),

rank_sums as (

    select
        split_number,
        impression_number,
        any_value(candidates) as candidates,
        any_value(clicks) as clicks,
    {%- for model in models %}
        sum(candidates - rank_{{ model }}) as below_{{ model }},
        sum(1 / rank_{{ model }}) as reciprocal_{{ model }},
        sum(case when rank_{{ model }} <= 5 then 1 / log2(rank_{{ model }} + 1) else 0 end)
            as dcg_5_{{ model }},
        sum(case when rank_{{ model }} <= 10 then 1 / log2(rank_{{ model }} + 1) else 0 end)
            as dcg_10_{{ model }}{{ "," if not loop.last }}
    {%- endfor %}

    from clicked_ranks
    group by split_number, impression_number

),

per_model as (

    {%- for model in models %}
        select
            '{{ model }}' as model,
            split_number,
            impression_number,
            candidates,
            clicks,
            below_{{ model }} as below,
            reciprocal_{{ model }} as reciprocal,
            dcg_5_{{ model }} as dcg_5,
            dcg_10_{{ model }} as dcg_10

        from rank_sums
        {{ "union all" if not loop.last }}
    {%- endfor %}

),

datasets as (

    select
        publisher,
        dataset,
        dataset_number
    from {{ ref('benchmark_datasets') }}

),

metrics as (

    select
        model,
        split_number,
        impression_number,
        cast(candidates as integer) as candidates,
        cast(clicks as integer) as clicks,
        clicks < candidates as scored,
        -- pairs ordered right: each click's candidates below it, less the clicks among them
        case
            when clicks < candidates
                then
                    (below - clicks * (clicks - 1) / 2) / (clicks * (candidates - clicks))
        end as auc,
        case when clicks < candidates then reciprocal / clicks end as mrr,
        case when clicks < candidates then dcg_5 / {{ ideal_dcg('clicks', 5) }} end as ndcg_5,
        case when clicks < candidates then dcg_10 / {{ ideal_dcg('clicks', 10) }} end as ndcg_10

    from per_model

),

named as (

    select
        per_impression.model,
        datasets.publisher,
        datasets.dataset,
        {{ split_name('per_impression.split_number') }} as split,
        per_impression.* {{ except_columns(['model']) }}  -- noqa: RF02

    from metrics as per_impression
    inner join datasets
        on {{ int_div('per_impression.split_number', 4) }} = datasets.dataset_number

)

select * from named
