-- How each article did: times shown, clicks, click-through rate over labeled impressions, unique
-- users and mean dwell time on click.
{%- set rebuilt = rebuilt_publishers() %}
with

-- not materialized: read twice below, a plain CTE would be copied in full before either read
impressions as {{ not_materialized() }} (

    select * from {{ ref('stg_unified_impressions') }}
    where {{ rebuilt_filter(rebuilt) }}

),

articles as (

    select * from {{ ref('dim_articles') }}
    where {{ rebuilt_filter(rebuilt) }}

),

performance as (

    -- grouped on (publisher, article_id); the title and category are looked up per article below,
    -- not carried through the aggregation row by row
    select
        publisher,
        article_id,
        count(*) as impressions,
        count(clicked) as labeled_impressions,
        count(*) filter (where clicked) as clicks,
        avg(dwell_time_s) filter (where clicked) as mean_dwell_time_s,
        min(impression_time) as first_shown_at,
        max(impression_time) as last_shown_at

    from impressions
    group by publisher, article_id

),

audience as (

    -- a pass of its own: next to the other aggregates, the distinct count would have DuckDB copy
    -- every candidate row aside first (tens of millions of rows at scale 400, spilled to disk)
    select
        publisher,
        article_id,
        count(distinct user_id) as unique_users

    from impressions
    group by publisher, article_id

),

described as (

    select
        performance.publisher || ':' || performance.article_id as article_key,
        performance.publisher,
        performance.article_id,
        articles.title,
        articles.category,
        performance.impressions,
        performance.clicks,
        audience.unique_users,
        performance.mean_dwell_time_s,
        performance.first_shown_at,
        performance.last_shown_at,
        performance.clicks / nullif(performance.labeled_impressions, 0) as ctr

    from performance
    inner join audience
        on performance.publisher = audience.publisher
        and performance.article_id = audience.article_id
    left join articles
        on performance.publisher = articles.publisher
        and performance.article_id = articles.article_id

)

select * from described
