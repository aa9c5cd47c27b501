-- Articles whose clicks rose most in the last 24 hours against the 24 hours before, measured from
-- each publisher's latest impression (the data may be a historical release).
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
        impressions.article_id,
        impressions.clicked,
        publisher_clock.as_of,
        impressions.impression_time > publisher_clock.as_of - interval 24 hour as is_last_24h

    from impressions
    inner join publisher_clock
        on impressions.publisher = publisher_clock.publisher
    where impressions.impression_time > publisher_clock.as_of - interval 48 hour

),

compared as (

    -- grouped on (publisher, article_id); titles are looked up per article below
    select
        publisher,
        article_id,
        any_value(as_of) as as_of,
        count(*) filter (where clicked and is_last_24h) as clicks_last_24h,
        count(*) filter (where clicked and not is_last_24h) as clicks_previous_24h

    from windowed
    group by publisher, article_id

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

),

described as (

    select
        ranked.publisher,
        ranked.publisher || ':' || ranked.article_id as article_key,
        ranked.article_id,
        articles.title,
        articles.category,
        ranked.as_of,
        ranked.clicks_last_24h,
        ranked.clicks_previous_24h,
        ranked.click_rise,
        ranked.rank

    from ranked
    left join articles
        on ranked.publisher = articles.publisher
        and ranked.article_id = articles.article_id

)

select * from described
