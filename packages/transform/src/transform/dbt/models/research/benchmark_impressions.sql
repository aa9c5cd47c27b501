-- The evaluation splits of every publisher in the unified schema, one row per candidate: MIND and
-- EB-NeRD with their own train, validation and test (unlabeled where the release is), Adressa's
-- article views with their sampled negatives (`benchmark_adressa_impressions`), split by day. A
-- view: the exports read it once; stored, it would be a second copy of every candidate.
{{ config(materialized='view') }}
{%- set impression_columns = [
    'publisher', 'dataset', 'impression_key', 'impression_id', 'user_id', 'article_id', 'position',
    'impression_time', 'clicked', 'split', 'device_type', 'session_id', 'dwell_time_s',
] %}

with

unified as (

    select * from {{ ref('stg_unified_impressions') }}

),

datasets as (

    select
        publisher,
        dataset,
        dataset_number
    from {{ ref('benchmark_datasets') }}

),

sampled as (

    select * from {{ ref('benchmark_adressa_impressions') }}
    where has_negatives

),

pools as (

    select
        day_id,
        pool_rank,
        article_id
    from {{ ref('benchmark_adressa_pools') }}

),

released as (

    select * from unified
    where publisher <> 'adressa'

),

adressa_views as (

    select
        unified.*,
        datasets.dataset_number,
        cast(unified.impression_id as {{ hash_word_type() }}) as impression_number

    from unified
    inner join datasets
        on unified.publisher = datasets.publisher
        and unified.dataset = datasets.dataset
    where unified.publisher = 'adressa'

),

slotted as (

    -- the positive (pool rank 0 here) placed among the negatives in the order they were drawn
    select
        *,
        {{ list_concat([
            list_slice('negative_pool_ranks', 1, 'positive_position'),
            list_literal(['0']),
            list_slice('negative_pool_ranks', 'positive_position + 1'),
        ]) }} as slots

    from sampled

),

adressa_slots as (

    select
        dataset_number,
        impression_number,
        day_id,
        split,
        {{ explode_lists([('slots', 'pool_rank')], 'position', position_type='integer') }}

    from slotted

),

adressa as (

    select
        adressa_views.publisher,
        adressa_views.dataset,
        adressa_views.impression_key,
        adressa_views.impression_id,
        adressa_views.user_id,
        coalesce(pools.article_id, adressa_views.article_id) as article_id,
        adressa_slots.position,
        adressa_views.impression_time,
        adressa_slots.pool_rank = 0 as clicked,
        adressa_slots.split,
        adressa_views.device_type,
        adressa_views.session_id,
        case when adressa_slots.pool_rank = 0 then adressa_views.dwell_time_s end as dwell_time_s

    from adressa_slots
    inner join adressa_views
        on adressa_slots.dataset_number = adressa_views.dataset_number
        and adressa_slots.impression_number = adressa_views.impression_number
    left join pools
        on adressa_slots.day_id = pools.day_id
        and adressa_slots.pool_rank = pools.pool_rank

),

unioned as (

    select {{ impression_columns | join(', ') }} from released
    union all
    select {{ impression_columns | join(', ') }} from adressa

)

select {{ impression_columns | join(', ') }}
from unioned
