-- One row per evaluation split of every publisher: its impressions, candidates and clicks, whether
-- it is labeled, and for Adressa the article views left out because their pool held fewer than K
-- allowed articles.
{%- set k = var('adressa_negatives', 4) | int %}
{%- set rebuilt = rebuilt_publishers() %}
with

unified as (

    select * from {{ ref('stg_unified_impressions') }}
    where {{ rebuilt_filter(rebuilt) }}

),

adressa_views as (

    select * from {{ ref('benchmark_adressa_impressions') }}
    where {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

datasets as (

    select
        publisher,
        dataset,
        dataset_number
    from {{ ref('benchmark_datasets') }}
    where {{ rebuilt_filter(rebuilt) }}

),

released as (

    select
        publisher,
        dataset,
        split,
        -- every impression has exactly one candidate at position 0
        count(*) filter (where position = 0) as impressions,
        count(*) as candidates,
        count(*) filter (where clicked) as clicks,
        count(*) filter (where clicked is null) as unlabeled_candidates,
        0 as views_without_negatives

    from unified
    where publisher <> 'adressa'
    group by publisher, dataset, split

),

adressa as (

    select
        'adressa' as publisher,
        dataset,
        split,
        count(*) filter (where has_negatives) as impressions,
        {{ k + 1 }} * count(*) filter (where has_negatives) as candidates,
        count(*) filter (where has_negatives) as clicks,
        0 as unlabeled_candidates,
        count(*) filter (where not has_negatives) as views_without_negatives

    from adressa_views
    group by dataset, split

),

unioned as (

    select * from released
    union all
    select * from adressa

),

final as (

    select
        unioned.publisher,
        unioned.dataset,
        unioned.split,
        {{ split_number('datasets.dataset_number', 'unioned.split') }} as split_number,
        unioned.unlabeled_candidates < unioned.candidates as is_labeled,
        unioned.impressions,
        unioned.candidates,
        unioned.clicks,
        unioned.views_without_negatives

    from unioned
    inner join datasets
        on unioned.publisher = datasets.publisher
        and unioned.dataset = datasets.dataset

)

select * from final
