-- Whether each publisher's staging is sound enough to join the others: every impression has a
-- key, a user and a time, and no key repeats. A publisher that fails is held back from
-- stg_unified_impressions (quarantined, with the count of what was held back and why), so one
-- publisher's bad data does not stop the others' rows from reaching the marts.
{{ config(materialized='table') }}

with

mind as (

    select
        'mind' as publisher,
        count(*) as impressions,
        count(*) - count(distinct impression_key) as repeated_keys,
        count(*) filter (
            where impression_key is null or user_id is null or impression_time is null
        ) as incomplete,
        cast(0 as bigint) as duplicates_dropped

    from {{ ref('stg_mind__behaviors') }}

),

ebnerd as (

    select
        'ebnerd' as publisher,
        count(*) as impressions,
        count(*) - count(distinct impression_key) as repeated_keys,
        count(*) filter (
            where impression_key is null or user_id is null or impression_time is null
        ) as incomplete,
        cast(0 as bigint) as duplicates_dropped

    from {{ ref('stg_ebnerd__behaviors') }}

),

adressa as (

    -- repeated events are already one impression each: their extra copies are counted here
    select
        'adressa' as publisher,
        count(*) as impressions,
        count(*) - count(distinct impression_key) as repeated_keys,
        count(*) filter (
            where impression_key is null or user_id is null or impression_time is null
        ) as incomplete,
        cast(coalesce(sum(copies - 1), 0) as bigint) as duplicates_dropped

    from {{ ref('stg_adressa__impressions') }}

),

unioned as (

    select * from mind
    union all
    select * from ebnerd
    union all
    select * from adressa

),

assessed as (

    select
        *,
        repeated_keys = 0 and incomplete = 0 as is_healthy,
        case
            when repeated_keys > 0 and incomplete > 0
                then
                    repeated_keys || ' repeated impression keys and '
                    || incomplete || ' impressions without key, user or time'
            when repeated_keys > 0 then repeated_keys || ' repeated impression keys'
            when incomplete > 0
                then incomplete || ' impressions without key, user or time'
        end as problem

    from unioned

)

select * from assessed
