-- Every publisher's article catalogue in one schema, one row per (publisher, article_id).
{{ config(materialized=table_materialization()) }}

{%- set rebuilt = rebuilt_publishers() %}
with

mind as (

    select
        'mind' as publisher,
        news_id as article_id,
        title,
        abstract,
        category,
        subcategory,
        cast(null as timestamp) as published_at,
        url

    from {{ ref('stg_mind__news') }}
    where {{ rebuilt_filter(rebuilt, "'mind'") }}

),

ebnerd as (

    select
        'ebnerd' as publisher,
        cast(article_id as string) as article_id,
        title,
        subtitle as abstract,
        category,
        -- the release names subcategories by id only
        cast({{ list_element('subcategory_ids', 1) }} as string) as subcategory,
        published_at,
        url

    from {{ ref('stg_ebnerd__articles') }}
    where {{ rebuilt_filter(rebuilt, "'ebnerd'") }}

),

adressa as (

    select
        'adressa' as publisher,
        article_id,
        title,
        cast(null as string) as abstract,
        category,
        subcategory,
        published_at,
        url

    from {{ ref('stg_adressa__articles') }}
    where {{ rebuilt_filter(rebuilt, "'adressa'") }}

),

unioned as (

    select * from mind
    union all
    select * from ebnerd
    union all
    select * from adressa

),

keyed as (

    select
        publisher || ':' || article_id as article_key,
        *

    from unioned

)

select * from keyed
