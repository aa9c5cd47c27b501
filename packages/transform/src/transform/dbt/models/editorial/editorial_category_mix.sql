-- Whether readers click a category more or less than it is shown: its share of clicks against its
-- share of impressions, per publisher and week.
{%- set rebuilt = rebuilt_publishers() %}
with

category_days as (

    -- already aggregated per publisher, category and day: a few hundred rows, not every candidate
    select * from {{ ref('mart_category_daily') }}
    where {{ rebuilt_filter(rebuilt) }}

),

weekly as (

    -- only labeled impressions count: those where a click could have been recorded
    select
        publisher,
        cast(date_trunc('week', impression_date) as date) as week_start,
        category,
        cast(sum(labeled_impressions) as bigint) as impressions,
        cast(sum(clicks) as bigint) as clicks

    from category_days
    group by publisher, cast(date_trunc('week', impression_date) as date), category
    having sum(labeled_impressions) > 0

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
