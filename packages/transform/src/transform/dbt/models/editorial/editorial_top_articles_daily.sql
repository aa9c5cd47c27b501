-- The ten most-clicked articles of each publisher on each day, with their click-through rate.
with

impressions as (

    select * from {{ ref('fct_impressions') }}
    where clicked is not null

),

daily as (

    select
        publisher,
        impression_date,
        article_key,
        article_id,
        any_value(article_title) as title,
        any_value(article_category) as category,
        count(*) filter (where clicked) as clicks,
        count(*) as impressions

    from impressions
    group by publisher, impression_date, article_key, article_id

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

)

select * from ranked
where rank <= 10
