-- Publisher × category × day: impressions, clicks, click-through rate, users and articles.
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

article_days as (

    -- one row per article and day, before the category is looked up
    select
        publisher,
        article_id,
        cast(impression_time as date) as impression_date,
        count(*) as impressions,
        count(clicked) as labeled_impressions,
        count(*) filter (where clicked) as clicks

    from impressions
    group by publisher, article_id, cast(impression_time as date)

),

category_days as (

    -- one article-day row per article shown that day, so counting rows counts articles
    select
        article_days.publisher,
        -- `unknown` also for articles missing from the catalogue
        coalesce(articles.category, 'unknown') as category,
        article_days.impression_date,
        cast(sum(article_days.impressions) as bigint) as impressions,
        cast(sum(article_days.labeled_impressions) as bigint) as labeled_impressions,
        cast(sum(article_days.clicks) as bigint) as clicks,
        count(*) as unique_articles

    from article_days
    left join articles
        on article_days.publisher = articles.publisher
        and article_days.article_id = articles.article_id
    group by
        article_days.publisher,
        coalesce(articles.category, 'unknown'),
        article_days.impression_date

),

category_users as (

    -- users need the category on every candidate: a user is counted once per category and day
    select
        impressions.publisher,
        coalesce(articles.category, 'unknown') as category,
        cast(impressions.impression_time as date) as impression_date,
        count(distinct impressions.user_id) as unique_users

    from impressions
    left join articles
        on impressions.publisher = articles.publisher
        and impressions.article_id = articles.article_id
    group by
        impressions.publisher,
        coalesce(articles.category, 'unknown'),
        cast(impressions.impression_time as date)

),

daily as (

    select
        category_days.publisher,
        category_days.category,
        category_days.impression_date,
        category_days.impressions,
        category_days.labeled_impressions,
        category_days.clicks,
        category_users.unique_users,
        category_days.unique_articles

    from category_days
    inner join category_users
        on category_days.publisher = category_users.publisher
        and category_days.category = category_users.category
        and category_days.impression_date = category_users.impression_date

),

rated as (

    select
        *,
        clicks / nullif(labeled_impressions, 0) as ctr

    from daily

)

select * from rated
