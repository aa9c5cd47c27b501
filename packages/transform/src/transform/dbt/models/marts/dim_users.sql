-- One row per user of every publisher: when they were first and last seen, how many impressions
-- they had and how many articles they clicked.
{%- set rebuilt = rebuilt_publishers() %}
with

impressions as (

    select * from {{ ref('stg_unified_impressions') }}
    where {{ rebuilt_filter(rebuilt) }}

),

user_datasets as (

    -- one row per user and dataset first, so that counting datasets below is a plain count: a
    -- count(distinct) next to the other aggregates would copy every candidate row aside first
    select
        publisher,
        user_id,
        dataset,
        min(impression_time) as first_seen_at,
        max(impression_time) as last_seen_at,
        -- every impression has exactly one candidate at position 0 (positions are 0-based and
        -- (impression_key, position) is unique), so this counts distinct impressions
        count(*) filter (where position = 0) as impressions,
        count(*) as candidates,
        count(*) filter (where clicked) as clicks

    from impressions
    group by publisher, user_id, dataset

),

users as (

    select
        publisher,
        user_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        cast(sum(impressions) as bigint) as impressions,
        cast(sum(candidates) as bigint) as candidates,
        cast(sum(clicks) as bigint) as clicks,
        count(*) as datasets

    from user_datasets
    group by publisher, user_id

),

keyed as (

    select
        publisher || ':' || user_id as user_key,
        *

    from users

)

select * from keyed
