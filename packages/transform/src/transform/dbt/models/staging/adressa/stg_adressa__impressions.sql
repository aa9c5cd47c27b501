-- Adressa logs clicks, not impressions: each article page view is one impression with one
-- candidate, the article, clicked. Front-page and other events are not impressions.
with

events as (

    select * from {{ ref('stg_adressa__events') }}

),

article_views as (

    select
        event_key as impression_key,
        cast(event_id as varchar) as impression_id,
        user_id,
        article_id,
        0 as position,
        event_time as impression_time,
        true as clicked,
        device_type,
        active_time_s as dwell_time_s,
        dataset

    from events
    where is_article_view

)

select * from article_views
