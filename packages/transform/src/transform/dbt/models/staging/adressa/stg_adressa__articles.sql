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
        max_by(title, event_time) as title,
        max_by(coalesce(canonical_url, url), event_time) as url,
        max_by(category, event_time) as category,
        max_by(subcategory, event_time) as subcategory,
        min(published_at) as published_at,
        min(event_time) as first_viewed_at,
        max(event_time) as last_viewed_at,
        count(*) as page_views

    from events
    group by article_id

)

select * from articles
