-- Articles whose clicks rose most in the last 24 hours against the 24 hours before, measured from
-- each publisher's latest impression (the data may be a historical release).
with

impressions as (

    select * from {{ ref('fct_impressions') }}

),

publisher_clock as (

    select
        publisher,
        max(impression_time) as as_of

    from impressions
    group by publisher

),

windowed as (

    select
        impressions.publisher,
        impressions.article_key,
        impressions.article_id,
        impressions.article_title,
        impressions.article_category,
        impressions.clicked,
        publisher_clock.as_of,
        impressions.impression_time > publisher_clock.as_of - interval 24 hour as is_last_24h

    from impressions
    inner join publisher_clock
        on impressions.publisher = publisher_clock.publisher
    where impressions.impression_time > publisher_clock.as_of - interval 48 hour

),

compared as (

    select
        publisher,
        article_key,
        article_id,
        any_value(article_title) as title,
        any_value(article_category) as category,
        any_value(as_of) as as_of,
        count(*) filter (where clicked and is_last_24h) as clicks_last_24h,
        count(*) filter (where clicked and not is_last_24h) as clicks_previous_24h

    from windowed
    group by publisher, article_key, article_id

),

ranked as (

    select
        *,
        clicks_last_24h - clicks_previous_24h as click_rise,
        row_number() over (
            partition by publisher
            order by clicks_last_24h - clicks_previous_24h desc, clicks_last_24h desc, article_id
        ) as rank

    from compared
    where clicks_last_24h > clicks_previous_24h

)

select * from ranked
