-- Each baseline's ranking of every labeled impression, one row per model and candidate: rank 1 is
-- the candidate the baseline puts first, with the ties broken as in `benchmark_impression_metrics`
-- (random score, then position). Written out in MIND's submission format (`impid [r1,r2,...]`,
-- ranks in candidate order), it is what `newsrec-evaluate` scores. A view: read on demand.
{{ config(materialized='view') }}
{%- set models = baselines() %}

with

scores as (

    select * from {{ ref('benchmark_baseline_scores') }}

),

datasets as (

    select
        publisher,
        dataset,
        dataset_number
    from {{ ref('benchmark_datasets') }}

),

per_model as (

    -- one window per baseline, so that reading one baseline's ranks of one split sorts only those
    {%- for model in models %}
        select
            '{{ model }}' as model,
            split_number,
            impression_number,
            impression_time,
            position,
            clicked,
            cast(row_number() over (
                partition by split_number, impression_number
                order by
                    {% if model != 'random' %}score_{{ model }} desc,
                    {% endif %}
                    score_random desc,
                    position
            ) as integer) as rank

        from scores
        {{ "union all" if not loop.last }}
    {%- endfor %}

),

named as (

    select
        per_model.model,
        datasets.publisher,
        datasets.dataset,
        {{ split_name('per_model.split_number') }} as split,
        per_model.split_number,
        -- the source's own id: a number in all three releases
        cast(per_model.impression_number as string) as impression_id,
        per_model.impression_number,
        per_model.impression_time,
        per_model.position,
        per_model.clicked,
        per_model.rank

    from per_model
    inner join datasets
        on {{ int_div('per_model.split_number', 4) }} = datasets.dataset_number

)

select * from named
