-- How each article did: times shown, clicks, click-through rate over labeled impressions, unique
-- users and mean dwell time on click.
with

impressions as (

    select * from {{ ref('fct_impressions') }}

),

performance as (

    select
        article_key,
        publisher,
        article_id,
        any_value(article_title) as title,
        any_value(article_category) as category,
        count(*) as impressions,
        count(clicked) as labeled_impressions,
        count(*) filter (where clicked) as clicks,
        count(distinct user_key) as unique_users,
        avg(dwell_time_s) filter (where clicked) as mean_dwell_time_s,
        min(impression_time) as first_shown_at,
        max(impression_time) as last_shown_at

    from impressions
    group by article_key, publisher, article_id

),

rated as (

    select
        * exclude (labeled_impressions),
        clicks / nullif(labeled_impressions, 0) as ctr

    from performance

)

select * from rated
