-- One row per Adressa article, from its page views: the most recent view's title, url, category
-- and publication time.
with

events as (

    select * from {{ ref('stg_adressa__events') }}
    where is_article_view

),

articles as (

    select
        article_id,
        arg_max(title, event_time) as title,
        arg_max(coalesce(canonical_url, url), event_time) as url,
        arg_max(category, event_time) as category,
        arg_max(subcategory, event_time) as subcategory,
        min(published_at) as published_at,
        min(event_time) as first_viewed_at,
        max(event_time) as last_viewed_at,
        count(*) as page_views

    from events
    group by article_id

)

select * from articles
