-- The candidate grain of every publisher, with the article's attributes and calendar columns:
-- the relation analysts query.
--
-- A view: stored, it would be a second copy of the 10.8M-row `stg_unified_impressions` (scale 100)
-- with eight more columns, and writing its fourteen text columns cost a third of the whole build.
-- Read, it is one scan of that table and a hash join against the ~84k-row `dim_articles`.
{{ config(materialized='view') }}

with

impressions as (

    select * from {{ ref('stg_unified_impressions') }}

),

articles as (

    select * from {{ ref('dim_articles') }}

),

joined as (

    select
        impressions.publisher,
        impressions.dataset,
        impressions.split,
        impressions.impression_key,
        impressions.impression_id,
        impressions.position,
        impressions.publisher || ':' || impressions.user_id as user_key,
        impressions.user_id,
        impressions.publisher || ':' || impressions.article_id as article_key,
        impressions.article_id,
        impressions.impression_time,
        cast(impressions.impression_time as date) as impression_date,
        impressions.clicked,
        impressions.device_type,
        impressions.session_id,
        impressions.dwell_time_s,
        articles.title as article_title,
        articles.category as article_category,
        articles.subcategory as article_subcategory,
        articles.published_at as article_published_at,
        {{ seconds_between('articles.published_at', 'impressions.impression_time') }}
        / cast(3600 as double) as hours_since_publication

    from impressions
    left join articles
        on impressions.publisher = articles.publisher
        and impressions.article_id = articles.article_id

)

select * from joined
