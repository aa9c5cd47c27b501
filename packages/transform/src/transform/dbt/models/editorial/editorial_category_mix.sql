-- Whether readers click a category more or less than it is shown: its share of clicks against its
-- share of impressions, per publisher and week.
with

impressions as (

    select * from {{ ref('fct_impressions') }}
    where clicked is not null

),

weekly as (

    select
        publisher,
        cast(date_trunc('week', impression_time) as date) as week_start,
        coalesce(article_category, 'unknown') as category,
        count(*) as impressions,
        count(*) filter (where clicked) as clicks

    from impressions
    group by publisher, cast(date_trunc('week', impression_time) as date),
        coalesce(article_category, 'unknown')

),

shares as (

    select
        *,
        impressions / sum(impressions) over (partition by publisher, week_start)
            as share_of_impressions,
        clicks / nullif(sum(clicks) over (partition by publisher, week_start), 0)
            as share_of_clicks

    from weekly

),

indexed as (

    select
        *,
        share_of_clicks / share_of_impressions as click_index

    from shares

)

select * from indexed
