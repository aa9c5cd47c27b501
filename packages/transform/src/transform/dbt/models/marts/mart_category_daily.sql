-- Publisher × category × day: impressions, clicks, click-through rate, users and articles.
with

impressions as (

    select * from {{ ref('fct_impressions') }}

),

daily as (

    select
        publisher,
        coalesce(article_category, 'unknown') as category,
        impression_date,
        count(*) as impressions,
        count(clicked) as labeled_impressions,
        count(*) filter (where clicked) as clicks,
        count(distinct user_key) as unique_users,
        count(distinct article_key) as unique_articles

    from impressions
    group by publisher, coalesce(article_category, 'unknown'), impression_date

),

rated as (

    select
        * exclude (labeled_impressions),
        clicks / nullif(labeled_impressions, 0) as ctr

    from daily

)

select * from rated
