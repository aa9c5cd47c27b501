-- Adressa logs clicks, not impressions: each article page view is one impression with one
-- candidate, the article, clicked. Front-page and other events are not impressions. The real
-- files repeat an event now and then (the same event id in a release): it is one impression,
-- taken from its first line (daily file, then line), and `copies` says how often it appeared.
with

events as (

    select * from {{ ref('stg_adressa__events') }}

),

article_views as (

    select
        event_key as impression_key,
        cast(event_id as string) as impression_id,
        user_id,
        article_id,
        0 as position,
        event_time as impression_time,
        true as clicked,
        device_type,
        active_time_s as dwell_time_s,
        dataset,
        source_member,
        source_line

    from events
    where is_article_view

),

deduplicated as (

    select
        * {{ except_columns(['source_member', 'source_line']) }},
        count(*) over (partition by impression_key) as copies

    from article_views
    qualify row_number() over (
        partition by impression_key order by source_member, source_line
    ) = 1

)

select * from deduplicated
