-- Every hour in which MIND or EB-NeRD shows an article in a labeled impression, with the article's
-- clicks in the 24 clock hours before that hour (the "most popular" signal; Adressa's is in
-- `benchmark_adressa_pool_hours`). A table of numbers: the scoring looks it up per candidate in
-- one join, and it is built alongside Adressa's impressions.
{%- set rebuilt = rebuilt_publishers() %}
with

unified as (

    select
        publisher,
        article_id,
        impression_time,
        clicked
    from {{ ref('stg_unified_impressions') }}
    where publisher <> 'adressa' and clicked is not null and {{ rebuilt_filter(rebuilt) }}

),

articles as (

    select
        publisher,
        article_id,
        article_number
    from {{ ref('benchmark_articles') }}
    where {{ rebuilt_filter(rebuilt) }}

),

shown as (

    -- grouped on the article's text first: fewer rows to number than candidates
    select
        publisher,
        article_id,
        {{ epoch_hour('impression_time') }} as hour,
        count(*) filter (where clicked) as clicks

    from unified
    group by publisher, article_id, hour

),

series as (

    select
        articles.article_number,
        shown.hour,
        shown.clicks,
        true as is_needed

    from shown
    inner join articles
        on shown.publisher = articles.publisher
        and shown.article_id = articles.article_id

),

popularity as (

    {{ clicks_in_previous_24_hours('series') }}

),

final as (

    select
        article_number,
        hour,
        cast(clicks_24h as integer) as clicks_24h,
        {{ publisher_of_number('article_number', 100000000) }} as publisher
    from popularity

)

select * from final
