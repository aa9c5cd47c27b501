-- The three publishers in one schema: one row per article shown in an impression. This is the
-- contract the marts, the editorial models and the researchers build on (README.md, "Contract:
-- `stg_unified_impressions`").
{{ config(materialized=table_materialization()) }}

{%- set rebuilt = rebuilt_publishers() %}
with

mind as (

    select
        'mind' as publisher,
        dataset,
        impression_key,
        impression_id,
        user_id,
        article_id,
        position,
        impression_time,
        clicked,
        split,
        cast(null as string) as device_type,
        cast(null as string) as session_id,
        cast(null as double) as dwell_time_s

    from {{ ref('stg_mind__impressions') }}
    where {{ rebuilt_filter(rebuilt, "'mind'") }}

),

ebnerd as (

    select
        'ebnerd' as publisher,
        dataset,
        impression_key,
        cast(impression_id as string) as impression_id,
        cast(user_id as string) as user_id,
        cast(article_id as string) as article_id,
        position,
        impression_time,
        clicked,
        split,
        device_type,
        cast(session_id as string) as session_id,
        dwell_time_s

    from {{ ref('stg_ebnerd__impressions') }}
    where {{ rebuilt_filter(rebuilt, "'ebnerd'") }}

),

adressa as (

    select
        'adressa' as publisher,
        dataset,
        impression_key,
        impression_id,
        user_id,
        article_id,
        position,
        impression_time,
        clicked,
        cast(null as string) as split,
        lower(device_type) as device_type,
        cast(null as string) as session_id,
        dwell_time_s

    from {{ ref('stg_adressa__impressions') }}
    where {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

unioned as (

    select * from mind
    union all
    select * from ebnerd
    union all
    select * from adressa

),

healthy as (

    -- a publisher whose staging is not sound is held back (stg_unified_publisher_health)
    select publisher from {{ ref('stg_unified_publisher_health') }}
    where is_healthy

),

admitted as (

    select *
    from unioned
    where publisher in (select healthy.publisher from healthy)

)

select * from admitted
