-- The ten most-clicked articles of each publisher on each day, with their click-through rate.
{%- set rebuilt = rebuilt_publishers() %}
with

impressions as (

    select * from {{ ref('stg_unified_impressions') }}
    where clicked is not null and {{ rebuilt_filter(rebuilt) }}

),

articles as (

    select * from {{ ref('dim_articles') }}
    where {{ rebuilt_filter(rebuilt) }}

),

daily as (

    -- grouped on (publisher, article_id); titles are looked up for the winners only, below
    select
        publisher,
        cast(impression_time as date) as impression_date,
        article_id,
        count(*) filter (where clicked) as clicks,
        count(*) as impressions

    from impressions
    group by publisher, cast(impression_time as date), article_id

),

ranked as (

    select
        *,
        clicks / impressions as ctr,
        row_number() over (
            partition by publisher, impression_date
            order by clicks desc, impressions desc, article_id
        ) as rank

    from daily
    where clicks > 0

),

top_ten as (

    select * from ranked
    where rank <= 10

),

described as (

    select
        top_ten.publisher,
        top_ten.impression_date,
        top_ten.publisher || ':' || top_ten.article_id as article_key,
        top_ten.article_id,
        articles.title,
        articles.category,
        top_ten.clicks,
        top_ten.impressions,
        top_ten.ctr,
        top_ten.rank

    from top_ten
    left join articles
        on top_ten.publisher = articles.publisher
        and top_ten.article_id = articles.article_id

)

select * from described
